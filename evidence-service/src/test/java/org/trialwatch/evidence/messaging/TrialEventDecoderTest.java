package org.trialwatch.evidence.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.trialwatch.events.CloudEventHeaders;
import org.trialwatch.events.EventSchemas;
import org.trialwatch.events.EventTypes;
import org.trialwatch.events.TrialStatusChanged;

class TrialEventDecoderTest {

    static java.util.List<String> trialTypes() {
        return EventTypes.TRIAL_TYPES;
    }

    private static Map<String, String> headers(String type, String id) {
        Map<String, String> h = new HashMap<>();
        h.put(CloudEventHeaders.TYPE, type);
        if (id != null) {
            h.put(CloudEventHeaders.ID, id);
        }
        return h;
    }

    private static byte[] golden(String type) {
        return EventSchemas.goldenExample(type).toString().getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @MethodSource("trialTypes")
    void decodesEveryGoldenExampleOfTheContract(String type) {
        String nct = EventSchemas.goldenExample(type).get("nctId").asText();
        TrialEventDecoder.Decoded d = TrialEventDecoder.decode(headers(type, "ce-1"), nct, golden(type));
        assertThat(d.type()).isEqualTo(type);
        assertThat(d.eventId()).isEqualTo("ce-1");
        assertThat(d.event().nctId()).isEqualTo(nct);
    }

    @Test
    void fallsBackToThePayloadEventIdWithoutACeIdHeader() {
        TrialEventDecoder.Decoded d = TrialEventDecoder.decode(headers(EventTypes.TRIAL_STATUS_CHANGED, null),
                "NCT05379985", golden(EventTypes.TRIAL_STATUS_CHANGED));
        assertThat(d.eventId()).isEqualTo("5b0c7d1e-8f0a-4c55-a1a9-2e7f3b9c6d20");
        assertThat(((TrialStatusChanged) d.event()).newStatus().name()).isEqualTo("TERMINATED");
    }

    @Test
    void anUnknownTypeIsPoison() {
        assertThatThrownBy(() -> TrialEventDecoder.decode(headers("org.trialwatch.trial.exploded.v1", "x"), null,
                golden(EventTypes.TRIAL_STATUS_CHANGED)))
                .isInstanceOf(PoisonEventException.class).hasMessageStartingWith("unknown-type:");
    }

    @Test
    void aRecordWithoutTypeIsPoison() {
        assertThatThrownBy(() -> TrialEventDecoder.decode(new HashMap<>(), null, golden(EventTypes.TRIAL_UPDATED)))
                .isInstanceOf(PoisonEventException.class).hasMessageStartingWith("missing-header:");
    }

    @Test
    void notJsonIsPoison() {
        assertThatThrownBy(() -> TrialEventDecoder.decode(headers(EventTypes.TRIAL_UPDATED, "x"), null,
                "{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PoisonEventException.class).hasMessageStartingWith("malformed:");
    }

    @Test
    void aPayloadBreakingItsSchemaIsPoisonAndSaysWhere() {
        String bad = EventSchemas.goldenExample(EventTypes.TRIAL_STATUS_CHANGED).toString()
                .replace("\"TERMINATED\"", "\"EXPLODED\"");
        assertThatThrownBy(() -> TrialEventDecoder.decode(headers(EventTypes.TRIAL_STATUS_CHANGED, "x"), "NCT05379985",
                bad.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PoisonEventException.class).hasMessageStartingWith("schema-invalid:")
                .hasMessageContaining("newStatus");
    }

    @Test
    void aKeyThatIsNotThePayloadsTrialIsPoison() {
        assertThatThrownBy(() -> TrialEventDecoder.decode(headers(EventTypes.TRIAL_STATUS_CHANGED, "x"), "NCT00000001",
                golden(EventTypes.TRIAL_STATUS_CHANGED)))
                .isInstanceOf(PoisonEventException.class).hasMessageContaining("record key");
    }
}
