package org.trialwatch.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The golden examples, sent as a producer sends them (binary mode), are what a consumer decodes. */
class CloudEventDecoderTest {

    static List<String> allTypes() {
        return EventTypes.ALL;
    }

    private static String topicOf(String type) {
        return EventTypes.EVIDENCE_SUMMARY_UPDATED.equals(type) ? Topics.EVIDENCE_EVENTS : Topics.TRIAL_EVENTS;
    }

    private static Map<String, String> headers(String id, String type) {
        Map<String, String> h = new HashMap<>();
        if (id != null) {
            h.put(CloudEventHeaders.ID, id);
        }
        if (type != null) {
            h.put(CloudEventHeaders.TYPE, type);
        }
        h.put(CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
        h.put(CloudEventHeaders.SOURCE, "/trial-registry");
        h.put(CloudEventHeaders.SUBJECT, "NCT05379985");
        h.put(CloudEventHeaders.TIME, "2026-11-26T10:00:00Z");
        return h;
    }

    private static byte[] golden(String type) {
        return EventSchemas.goldenExample(type).toString().getBytes(StandardCharsets.UTF_8);
    }

    private static UndecodableEventException.Reason rejection(CloudEventDecoder decoder, Map<String, String> headers,
                                                              byte[] value) {
        try {
            decoder.decode(headers, value);
        } catch (UndecodableEventException e) {
            return e.reason();
        }
        throw new AssertionError("decoded although it should not");
    }

    @ParameterizedTest
    @MethodSource("allTypes")
    void everyGoldenExampleDecodesIntoItsContractRecord(String type) {
        CloudEventDecoder.Decoded decoded = CloudEventDecoder.forTopic(topicOf(type))
                .decode(headers("ce-1", type), golden(type));
        assertThat(decoded.id()).isEqualTo("ce-1");
        assertThat(decoded.type()).isEqualTo(type);
        assertThat(decoded.source()).isEqualTo("/trial-registry");
        assertThat(decoded.subject()).isEqualTo("NCT05379985");
        assertThat(decoded.time()).isEqualTo("2026-11-26T10:00:00Z");
        assertThat(decoded.payload()).isEqualTo(EventSchemas.goldenExample(type));
        if (EventTypes.EVIDENCE_SUMMARY_UPDATED.equals(type)) {
            assertThat(decoded.summaryUpdated().groupKey())
                    .isEqualTo(EventSchemas.goldenExample(type).get("groupKey").asText());
        } else {
            assertThat(decoded.trialEvent().type()).isEqualTo(type);
            assertThat(decoded.trialEvent().nctId()).isEqualTo(EventSchemas.goldenExample(type).get("nctId").asText());
        }
    }

    @Test
    void aTopicTakesOnlyTheTypesItCarries() {
        assertThat(rejection(CloudEventDecoder.forTopic(Topics.EVIDENCE_EVENTS),
                headers("x", EventTypes.TRIAL_STATUS_CHANGED), golden(EventTypes.TRIAL_STATUS_CHANGED)))
                .isEqualTo(UndecodableEventException.Reason.TYPE_NOT_CARRIED);
        assertThat(rejection(CloudEventDecoder.forTopic(Topics.TRIAL_EVENTS),
                headers("x", "org.trialwatch.trial.exploded.v1"), golden(EventTypes.TRIAL_STATUS_CHANGED)))
                .isEqualTo(UndecodableEventException.Reason.TYPE_NOT_CARRIED);
    }

    @Test
    void theIdHeaderIsRequiredUnlessTheConsumerSaysOtherwise() {
        CloudEventDecoder decoder = CloudEventDecoder.forTopic(Topics.TRIAL_EVENTS);
        byte[] value = golden(EventTypes.TRIAL_UPDATED);
        assertThat(rejection(decoder, headers(null, EventTypes.TRIAL_UPDATED), value))
                .isEqualTo(UndecodableEventException.Reason.MISSING_ID);
        assertThat(decoder.idOptional().decode(headers(null, EventTypes.TRIAL_UPDATED), value).id()).isNull();
        assertThat(rejection(decoder.idOptional(), headers(null, null), value))
                .isEqualTo(UndecodableEventException.Reason.MISSING_TYPE);
    }

    @Test
    void aPayloadThatIsNoEventSaysWhatIsWrong() {
        CloudEventDecoder decoder = CloudEventDecoder.forTopic(Topics.TRIAL_EVENTS);
        Map<String, String> h = headers("x", EventTypes.TRIAL_UPDATED);
        assertThat(rejection(decoder, h, new byte[0])).isEqualTo(UndecodableEventException.Reason.EMPTY_PAYLOAD);
        assertThat(rejection(decoder, h, "{not json".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(UndecodableEventException.Reason.NOT_JSON);
        assertThat(rejection(decoder, h, "[1,2]".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(UndecodableEventException.Reason.NOT_AN_OBJECT);
    }

    @Test
    void aSchemaViolationNamesTheField() {
        ObjectNode broken = EventSchemas.goldenExample(EventTypes.TRIAL_STATUS_CHANGED).deepCopy();
        broken.remove("sequence");
        assertThatThrownBy(() -> CloudEventDecoder.forTopic(Topics.TRIAL_EVENTS).decode(
                headers("x", EventTypes.TRIAL_STATUS_CHANGED), broken.toString().getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(UndecodableEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(UndecodableEventException.Reason.SCHEMA_INVALID);
                    assertThat(e.violations()).anySatisfy(v -> assertThat(v).contains("sequence"));
                });
    }
}
