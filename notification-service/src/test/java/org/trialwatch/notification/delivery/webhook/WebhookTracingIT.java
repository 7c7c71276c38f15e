package org.trialwatch.notification.delivery.webhook;

import org.trialwatch.notification.testing.Api;
import org.trialwatch.notification.testing.ContractEvents;
import org.trialwatch.notification.testing.GreenMailResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.trialwatch.events.TrialStatus;
import org.trialwatch.events.TrialStatusChanged;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.TracingOn;
import org.trialwatch.testbed.WebhookReceiver;

/**
 * With tracing on, an event's trace (its Kafka traceparent header) reaches the subscriber: the consumer span continues
 * it, and every webhook attempt, the retry included, is a client span in it whose traceparent the endpoint receives.
 */
@QuarkusTest
@TestProfile(TracingOn.class)
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(GreenMailResource.class)
class WebhookTracingIT {

    /** The registry's request span, as its outbox relay sends it in the record's traceparent header. */
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String REGISTRY_SPAN_ID = "00f067aa0ba902b7";

    private static WebhookReceiver receiver;

    @Inject
    InMemorySpanExporter spans;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = WebhookReceiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    void theWebhookAttemptAndItsRetryJoinTheTraceOfTheEvent() {
        String nct = "NCT90000701";
        Api.webhook("team-traced", receiver.url("/traced"), Map.of("nctIds", List.of(nct)));
        receiver.script("/traced", 503); // the first attempt fails; the retry (1 s later in tests) succeeds
        TrialStatusChanged change = ContractEvents.statusChange(nct, 2, TrialStatus.RECRUITING, TrialStatus.COMPLETED);
        ContractEvents.publishTraced(change, "00-" + TRACE_ID + "-" + REGISTRY_SPAN_ID + "-01");

        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.at("/traced").size() >= 2);
        List<WebhookReceiver.Received> attempts = receiver.at("/traced");
        String first = attempts.get(0).header("traceparent");
        String retry = attempts.get(1).header("traceparent");
        assertThat(first).isNotNull().startsWith("00-" + TRACE_ID + "-");
        assertThat(retry).isNotNull().startsWith("00-" + TRACE_ID + "-").isNotEqualTo(first);

        // the consumer span is the registry span's child; each attempt is a client span under the consumer span,
        // and what the endpoint received names that attempt's span
        SpanData consumer = await().atMost(Duration.ofSeconds(20)).until(
                () -> span(SpanKind.CONSUMER, "trial-events process"), s -> s != null);
        assertThat(consumer.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(consumer.getParentSpanId()).isEqualTo(REGISTRY_SPAN_ID);
        await().atMost(Duration.ofSeconds(20)).until(() -> clientSpans().size() >= 2);
        List<SpanData> clients = clientSpans();
        assertThat(clients).allSatisfy(c -> {
            assertThat(c.getTraceId()).isEqualTo(TRACE_ID);
            assertThat(c.getParentSpanId()).isEqualTo(consumer.getSpanId());
        });
        assertThat(clients).extracting(SpanData::getSpanId).contains(spanIdOf(first), spanIdOf(retry));
    }

    private SpanData span(SpanKind kind, String name) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == kind && s.getName().equals(name) && s.getTraceId().equals(TRACE_ID))
                .findFirst().orElse(null);
    }

    private List<SpanData> clientSpans() {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.CLIENT && s.getName().equals("webhook POST")
                        && s.getTraceId().equals(TRACE_ID))
                .toList();
    }

    private static String spanIdOf(String traceparent) {
        return traceparent.split("-")[2];
    }
}
