package org.trialwatch.notification.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.trialwatch.events.CloudEventHeaders;
import org.trialwatch.events.EventJson;
import org.trialwatch.events.EventSchemas;
import org.trialwatch.events.EventTypes;
import org.trialwatch.events.Topics;
import org.trialwatch.notification.domain.matching.EventFacts;
import org.trialwatch.notification.application.EventFactsReader;
import org.trialwatch.notification.persistence.TrialFact;

class EnvelopeCheckTest {

    private static Map<String, String> headers(String id, String type) {
        Map<String, String> h = new HashMap<>();
        h.put(CloudEventHeaders.ID, id);
        h.put(CloudEventHeaders.TYPE, type);
        h.put(CloudEventHeaders.TIME, "2026-11-26T10:20:00Z");
        return h;
    }

    private static byte[] golden(String type) {
        return EventJson.toBytes(EventSchemas.goldenExample(type));
    }

    @Test
    void everyGoldenExampleIsAcceptedOnItsTopic() {
        for (String type : EventTypes.ALL) {
            String topic = type.equals(EventTypes.EVIDENCE_SUMMARY_UPDATED) ? Topics.EVIDENCE_EVENTS : Topics.TRIAL_EVENTS;
            assertThat(EnvelopeCheck.check(topic, headers("id-" + type, type), golden(type)))
                    .as(type).isInstanceOf(EnvelopeCheck.Accepted.class);
        }
    }

    @Test
    void missingIdIsRejected() {
        Map<String, String> h = headers(null, EventTypes.TRIAL_STATUS_CHANGED);
        assertThat(EnvelopeCheck.check(Topics.TRIAL_EVENTS, h, golden(EventTypes.TRIAL_STATUS_CHANGED)))
                .isEqualTo(new EnvelopeCheck.Rejected("missing header ce_id"));
    }

    @Test
    void aTypeTheTopicDoesNotCarryIsRejected() {
        assertThat(EnvelopeCheck.check(Topics.EVIDENCE_EVENTS, headers("x", EventTypes.TRIAL_STATUS_CHANGED),
                golden(EventTypes.TRIAL_STATUS_CHANGED))).isInstanceOf(EnvelopeCheck.Rejected.class);
    }

    @Test
    void payloadsBreakingTheSchemaAreRejectedWithTheViolation() {
        ObjectNode bad = (ObjectNode) EventSchemas.goldenExample(EventTypes.TRIAL_STATUS_CHANGED);
        bad.put("newStatus", "FINISHED");
        EnvelopeCheck.Outcome outcome = EnvelopeCheck.check(Topics.TRIAL_EVENTS,
                headers("x", EventTypes.TRIAL_STATUS_CHANGED), EventJson.toBytes(bad));
        assertThat(outcome).isInstanceOf(EnvelopeCheck.Rejected.class);
        assertThat(((EnvelopeCheck.Rejected) outcome).reason()).contains("schema");
    }

    @Test
    void nonJsonIsRejected() {
        assertThat(EnvelopeCheck.check(Topics.TRIAL_EVENTS, headers("x", EventTypes.TRIAL_UPDATED),
                "not json".getBytes(StandardCharsets.UTF_8))).isInstanceOf(EnvelopeCheck.Rejected.class);
    }

    @Test
    void statusChangeIsMatchedWithWhatTheProjectionKnowsOfTheTrial() {
        EnvelopeCheck.Accepted accepted = (EnvelopeCheck.Accepted) EnvelopeCheck.check(Topics.TRIAL_EVENTS,
                headers("x", EventTypes.TRIAL_STATUS_CHANGED), golden(EventTypes.TRIAL_STATUS_CHANGED));
        EventFacts facts = EventFactsReader.facts(accepted.event(),
                nct -> new TrialFact(nct, List.of("PC"), "KRAS G12D inhibitor", "targeted", 1));
        assertThat(facts).isEqualTo(new EventFacts("trial.status-changed", "NCT05379985", List.of("PC"),
                "KRAS G12D inhibitor", "targeted", "RECRUITING", "TERMINATED", null));
    }

    @Test
    void registeredEventCarriesItsOwnFacts() {
        EnvelopeCheck.Accepted accepted = (EnvelopeCheck.Accepted) EnvelopeCheck.check(Topics.TRIAL_EVENTS,
                headers("x", EventTypes.TRIAL_REGISTERED), golden(EventTypes.TRIAL_REGISTERED));
        EventFacts facts = EventFactsReader.facts(accepted.event(), TrialFact::unknown);
        assertThat(facts.tumourTypes()).containsExactly("PC");
        assertThat(facts.mechanism()).isEqualTo("KRAS G12D inhibitor");
        assertThat(facts.therapyClass()).isEqualTo("targeted");
        assertThat(facts.newStatus()).isNull();
    }

    @Test
    void summaryIsMatchedByGroupAndByTheTrialThatCausedIt() {
        EnvelopeCheck.Accepted accepted = (EnvelopeCheck.Accepted) EnvelopeCheck.check(Topics.EVIDENCE_EVENTS,
                headers("x", EventTypes.EVIDENCE_SUMMARY_UPDATED), golden(EventTypes.EVIDENCE_SUMMARY_UPDATED));
        EventFacts facts = EventFactsReader.facts(accepted.event(), TrialFact::unknown);
        assertThat(facts.groupKey()).isEqualTo("PC.any-line.targeted.KRAS");
        assertThat(facts.nctId()).isEqualTo("NCT05379985");
    }

    @Test
    void aBadOccurredAtIsRejectedBeforeIntakeWouldFailOnIt() {
        for (String type : EventTypes.ALL) {
            String topic = type.equals(EventTypes.EVIDENCE_SUMMARY_UPDATED) ? Topics.EVIDENCE_EVENTS : Topics.TRIAL_EVENTS;
            ObjectNode bad = (ObjectNode) EventSchemas.goldenExample(type).deepCopy();
            bad.put("occurredAt", "2026-13-45T99:00:00Z");
            EnvelopeCheck.Outcome outcome = EnvelopeCheck.check(topic, headers("bad-time-" + type, type),
                    EventJson.toBytes(bad));
            assertThat(outcome).as(type).isInstanceOf(EnvelopeCheck.Rejected.class);
            assertThat(((EnvelopeCheck.Rejected) outcome).reason()).as(type).contains("occurredAt");
        }
    }
}
