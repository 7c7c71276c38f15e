package org.trialwatch.registry.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.trialwatch.events.CloudEventHeaders;
import org.trialwatch.events.EventTypes;
import org.trialwatch.events.Topics;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.KafkaTopicReader.Received;
import org.trialwatch.testbed.KafkaTopicReader;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.TestTokens;
import org.trialwatch.testbed.TracingOn;

/** With tracing on, a curator's change carries its trace through the outbox to the Kafka record. */
@QuarkusTest
@TestProfile(TracingOn.class)
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(org.trialwatch.registry.ctgov.CtgovWireMockResource.class)
class OutboxTracingIT {

    @Inject
    InMemorySpanExporter spans;

    @Inject
    DataSource dataSource;

    @Test
    void aStatusChangeCarriesTheTraceOfTheCuratorsRequestToTheKafkaRecord() throws Exception {
        String nctId = "NCT09990401";
        given().auth().oauth2(TestTokens.curator()).contentType(ContentType.JSON)
                .body("{\"nctId\":\"" + nctId + "\",\"tumourTypes\":[\"PC\"]}").post("/api/trials")
                .then().statusCode(201);
        String etag = given().get("/api/trials/{id}", nctId).then().statusCode(200).extract().header("ETag");
        try (KafkaTopicReader reader = new KafkaTopicReader(KafkaTopicReader.testBootstrapServers(), Topics.TRIAL_EVENTS)) {
            spans.reset();
            given().auth().oauth2(TestTokens.curator()).header("If-Match", etag).contentType(ContentType.JSON)
                    .body("{\"newStatus\":\"RECRUITING\",\"effectiveDate\":\"2026-11-20\"}")
                    .post("/api/trials/{id}/status-changes", nctId).then().statusCode(201);

            SpanData request = await().atMost(Duration.ofSeconds(20)).until(() -> serverSpan("/status-changes"),
                    s -> s != null);

            // the outbox row keeps the request's trace
            String stored = storedTraceparent(nctId, EventTypes.TRIAL_STATUS_CHANGED);
            assertThat(stored).isNotNull().startsWith("00-" + request.getTraceId() + "-");

            // and the record carries it as its W3C traceparent header, so the consumers' spans join that trace
            Received record = reader.readUntil(all -> all.stream().anyMatch(r -> isStatusChange(r, nctId)),
                    Duration.ofSeconds(30)).stream().filter(r -> isStatusChange(r, nctId)).findFirst().orElseThrow();
            assertThat(record.header("traceparent")).isEqualTo(stored);
            assertThat(traceIdOf(record.header("traceparent"))).isEqualTo(request.getTraceId());
        }
    }

    private static boolean isStatusChange(Received r, String nctId) {
        return nctId.equals(r.key()) && EventTypes.TRIAL_STATUS_CHANGED.equals(r.header(CloudEventHeaders.TYPE));
    }

    private static String traceIdOf(String traceparent) {
        return traceparent.split("-")[1];
    }

    private SpanData serverSpan(String pathEnd) {
        List<SpanData> finished = spans.getFinishedSpanItems();
        return finished.stream().filter(s -> s.getKind() == SpanKind.SERVER && s.getName().endsWith(pathEnd))
                .findFirst().orElse(null);
    }

    private String storedTraceparent(String nctId, String type) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT traceparent FROM outbox_event WHERE aggregate_id = ? AND event_type = ? ORDER BY id DESC LIMIT 1")) {
            ps.setString(1, nctId);
            ps.setString(2, type);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
