package org.trialwatch.notification.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import org.trialwatch.events.EventJson;
import org.trialwatch.events.EventSchemas;
import org.trialwatch.events.EventTypes;

class WebhookPayloadsTest {

    private final WebhookPayloads payloads = new WebhookPayloads("http://registry:8081/", "http://evidence:8082");

    @Test
    void statusChangeCarriesTheEventAndALinkToTheTrial() throws Exception {
        String body = payloads.forEvent(EventTypes.TRIAL_STATUS_CHANGED, "ce-1",
                EventSchemas.goldenExample(EventTypes.TRIAL_STATUS_CHANGED), Instant.parse("2026-11-26T10:20:00Z"));
        JsonNode json = EventJson.mapper().readTree(body);
        assertThat(json.get("type").asText()).isEqualTo("trial.status_changed");
        assertThat(json.get("timestamp").asText()).isEqualTo("2026-11-26T10:20:00Z");
        assertThat(json.at("/data/newStatus").asText()).isEqualTo("TERMINATED");
        assertThat(json.at("/data/links/trial").asText()).isEqualTo("http://registry:8081/api/trials/NCT05379985");
        assertThat(json.at("/data/cloudEventId").asText()).isEqualTo("ce-1");
    }

    @Test
    void summaryLinksToTheGroupAndItsCauseTrial() throws Exception {
        String body = payloads.forEvent(EventTypes.EVIDENCE_SUMMARY_UPDATED, "ce-2",
                EventSchemas.goldenExample(EventTypes.EVIDENCE_SUMMARY_UPDATED), Instant.now());
        JsonNode json = EventJson.mapper().readTree(body);
        assertThat(json.get("type").asText()).isEqualTo("evidence.summary_updated");
        assertThat(json.at("/data/links/summary").asText())
                .isEqualTo("http://evidence:8082/api/summaries/PC.any-line.targeted.KRAS");
        assertThat(json.at("/data/links/trial").asText()).isEqualTo("http://registry:8081/api/trials/NCT05379985");
    }
}
