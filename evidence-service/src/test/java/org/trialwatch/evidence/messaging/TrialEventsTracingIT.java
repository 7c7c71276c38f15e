package org.trialwatch.evidence.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.trialwatch.events.EventTypes;
import org.trialwatch.events.Topics;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.TracingOn;

/**
 * With tracing on, a trial event's trace (its traceparent header, as the registry's relay sends it) is continued by the
 * consumer span, and the evidence event it causes carries that span on to evidence-events.
 */
@QuarkusTest
@TestProfile(TracingOn.class)
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
class TrialEventsTracingIT {

    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String REGISTRY_SPAN_ID = "b7ad6b7169203331";
    private static final Duration WITHIN = Duration.ofSeconds(30);

    @Inject
    InMemorySpanExporter spans;

    @Test
    void theEvidenceEventCarriesTheTraceOfTheTrialEventThatCausedIt() {
        String nct = "NCT05379985";
        KafkaClients.sendTrialEvent("trace-reg-" + nct, EventTypes.TRIAL_REGISTERED, nct,
                TrialEventsFixtures.registered("trace-reg-" + nct, nct, 1, "RECRUITING",
                        "KRAS G12X (multi-variant RAS) inhibitor", "RMC-6236").toString());
        String ceId = "trace-sc-" + nct;
        ProducerRecord<String, byte[]> record = KafkaClients.trialEventRecord(ceId, EventTypes.TRIAL_STATUS_CHANGED, nct,
                TrialEventsFixtures.statusChanged(ceId, nct, 2, "RECRUITING", "TERMINATED").toString()
                        .getBytes(StandardCharsets.UTF_8));
        record.headers().add("traceparent",
                ("00-" + TRACE_ID + "-" + REGISTRY_SPAN_ID + "-01").getBytes(StandardCharsets.UTF_8));
        KafkaClients.send(record);

        ConsumerRecord<String, byte[]> caused = KafkaClients.awaitRecord(Topics.EVIDENCE_EVENTS,
                r -> new String(r.value(), StandardCharsets.UTF_8).contains(ceId), WITHIN);
        String traceparent = KafkaClients.headers(caused).get("traceparent");
        assertThat(traceparent).isNotNull().startsWith("00-" + TRACE_ID + "-");

        SpanData consumer = await().atMost(WITHIN).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.CONSUMER && s.getTraceId().equals(TRACE_ID))
                .findFirst().orElse(null), s -> s != null);
        assertThat(consumer.getName()).isEqualTo("trial-events process");
        assertThat(consumer.getParentSpanId()).isEqualTo(REGISTRY_SPAN_ID);
        // the evidence event's header names the consumer span: the notification service continues from there
        assertThat(traceparent.split("-")[2]).isEqualTo(consumer.getSpanId());
    }
}
