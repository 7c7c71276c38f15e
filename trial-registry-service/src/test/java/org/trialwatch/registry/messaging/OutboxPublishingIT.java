package org.trialwatch.registry.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.trialwatch.events.CloudEventHeaders;
import org.trialwatch.events.EventJson;
import org.trialwatch.events.EventSchemas;
import org.trialwatch.events.EventTypes;
import org.trialwatch.events.Topics;
import org.trialwatch.support.outbox.OutboxProducer;
import org.trialwatch.testbed.KafkaBroker;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.KafkaTopicReader.Received;
import org.trialwatch.testbed.KafkaTopicReader;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.PrometheusText;
import org.trialwatch.testbed.TestTokens;

@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(org.trialwatch.registry.ctgov.CtgovWireMockResource.class)
class OutboxPublishingIT {

    @Inject
    OutboxProducer publisher;

    @Inject
    DataSource dataSource;

    @Inject
    InMemorySpanExporter spans;

    private static String etagOf(String nctId) {
        return given().get("/api/trials/{id}", nctId).then().statusCode(200).extract().header("ETag");
    }

    private static io.restassured.response.Response changeStatus(String nctId, String etag, String status, String reason) {
        return given().auth().oauth2(TestTokens.curator()).header("If-Match", etag).contentType(ContentType.JSON)
                .body(reason == null
                        ? "{\"newStatus\":\"" + status + "\",\"effectiveDate\":\"2026-11-20\"}"
                        : "{\"newStatus\":\"" + status + "\",\"effectiveDate\":\"2026-11-20\",\"reason\":\"" + reason + "\"}")
                .post("/api/trials/{id}/status-changes", nctId);
    }

    private static JsonNode json(Received r) {
        try {
            return EventJson.mapper().readTree(r.value());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<Received> eventsOf(List<Received> all, String nctId) {
        return all.stream().filter(r -> nctId.equals(r.key())).toList();
    }

    @Test
    void producerIsDurableByConfigurationNotByDefault() {
        Map<String, Object> config = publisher.effectiveConfig();
        assertThat(config.get("acks")).isEqualTo("all");
        assertThat(config.get("enable.idempotence")).isEqualTo(true);
        assertThat(config.get("delivery.timeout.ms")).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void everySeededTrialIsAnnouncedOnceAsASchemaValidCloudEvent() {
        try (KafkaTopicReader reader = new KafkaTopicReader(KafkaTopicReader.testBootstrapServers(), Topics.TRIAL_EVENTS)) {
            List<Received> registered = reader.readUntil(all -> all.stream()
                    .filter(r -> EventTypes.TRIAL_REGISTERED.equals(r.header(CloudEventHeaders.TYPE)))
                    .map(Received::key).distinct().count() >= 14, Duration.ofSeconds(30)).stream()
                    .filter(r -> EventTypes.TRIAL_REGISTERED.equals(r.header(CloudEventHeaders.TYPE)))
                    .filter(r -> "NCT04333927".equals(r.key())).toList();
            assertThat(registered).hasSize(1);
            Received r = registered.get(0);
            assertThat(r.header(CloudEventHeaders.SPEC_VERSION)).isEqualTo("1.0");
            assertThat(r.header(CloudEventHeaders.SUBJECT)).isEqualTo("NCT04333927");
            assertThat(r.header(CloudEventHeaders.SOURCE)).isEqualTo("/trial-registry-service");
            assertThat(r.header(CloudEventHeaders.CONTENT_TYPE)).isEqualTo("application/json");
            JsonNode payload = json(r);
            assertThat(EventSchemas.violations(EventTypes.TRIAL_REGISTERED, payload)).isEmpty();
            assertThat(payload.path("eventId").asText()).isEqualTo(r.header(CloudEventHeaders.ID));
            assertThat(payload.path("sequence").asLong()).isEqualTo(1);
            assertThat(payload.path("trial").path("overallStatus").asText()).isEqualTo("ACTIVE_NOT_RECRUITING");
        }
    }

    @Test
    void statusChangeIsPublishedAsCloudEventKeyedByNctIdWithTheNextSequence() {
        String nctId = "NCT04548752";
        try (KafkaTopicReader reader = new KafkaTopicReader(KafkaTopicReader.testBootstrapServers(), Topics.TRIAL_EVENTS)) {
            changeStatus(nctId, etagOf(nctId), "RECRUITING", null).then().statusCode(201);
            List<Received> changed = reader.readUntil(all -> eventsOf(all, nctId).stream()
                    .anyMatch(r -> EventTypes.TRIAL_STATUS_CHANGED.equals(r.header(CloudEventHeaders.TYPE))),
                    Duration.ofSeconds(20));
            Received event = eventsOf(changed, nctId).stream()
                    .filter(r -> EventTypes.TRIAL_STATUS_CHANGED.equals(r.header(CloudEventHeaders.TYPE)))
                    .findFirst().orElseThrow();
            JsonNode payload = json(event);
            assertThat(EventSchemas.violations(EventTypes.TRIAL_STATUS_CHANGED, payload)).isEmpty();
            assertThat(event.header(CloudEventHeaders.SUBJECT)).isEqualTo(nctId);
            assertThat(payload.path("newStatus").asText()).isEqualTo("RECRUITING");
            assertThat(payload.path("previousStatus").isNull()).isTrue();
            assertThat(payload.path("origin").asText()).isEqualTo("CURATOR");
            assertThat(payload.path("sequence").asLong()).isEqualTo(2);
        }
    }

    @Test
    void withTracingOffNothingIsRecordedStoredSentOrExported() throws Exception {
        String nctId = "NCT09990402";
        given().auth().oauth2(TestTokens.curator()).contentType(ContentType.JSON)
                .body("{\"nctId\":\"" + nctId + "\",\"tumourTypes\":[\"PC\"]}").post("/api/trials")
                .then().statusCode(201);
        try (KafkaTopicReader reader = new KafkaTopicReader(KafkaTopicReader.testBootstrapServers(), Topics.TRIAL_EVENTS)) {
            changeStatus(nctId, etagOf(nctId), "RECRUITING", null).then().statusCode(201);
            Received event = eventsOf(reader.readUntil(all -> eventsOf(all, nctId).stream()
                    .anyMatch(r -> EventTypes.TRIAL_STATUS_CHANGED.equals(r.header(CloudEventHeaders.TYPE))),
                    Duration.ofSeconds(20)), nctId).stream()
                    .filter(r -> EventTypes.TRIAL_STATUS_CHANGED.equals(r.header(CloudEventHeaders.TYPE)))
                    .findFirst().orElseThrow();
            assertThat(event.header("traceparent")).isNull();
        }
        try (var c = dataSource.getConnection(); var ps = c.prepareStatement(
                "SELECT count(*) FROM outbox_event WHERE aggregate_id = ? AND traceparent IS NOT NULL")) {
            ps.setString(1, nctId);
            try (var rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
        }
        // the exporter bean is there, but with the SDK disabled no span reaches it
        assertThat(spans.getFinishedSpanItems()).isEmpty();
        // and the metrics carry no exemplars: every sample line is name{labels} value
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics.lines().filter(l -> !l.startsWith("#"))).noneMatch(l -> l.contains("trace_id"));
    }

    @Test
    void updatesAndResultsArePublishedWithFieldLevelDiffs() {
        String nctId = "NCT05093231";
        try (KafkaTopicReader reader = new KafkaTopicReader(KafkaTopicReader.testBootstrapServers(), Topics.TRIAL_EVENTS)) {
            given().auth().oauth2(TestTokens.curator()).header("If-Match", etagOf(nctId)).contentType(ContentType.JSON)
                    .body("{\"sponsor\":\"Test Sponsor\"}").patch("/api/trials/{id}", nctId).then().statusCode(200);
            given().auth().oauth2(TestTokens.curator()).contentType(ContentType.JSON)
                    .body("{\"results\":[{\"endpoint\":\"HR\",\"arm\":\"A vs B\",\"value\":0.8,\"unit\":null,"
                            + "\"ci95\":{\"lower\":0.6,\"upper\":1.05},\"n\":null,\"source\":\"test\"}]}")
                    .post("/api/trials/{id}/results", nctId).then().statusCode(201);
            List<Received> events = eventsOf(reader.readUntil(all -> eventsOf(all, nctId).size() >= 3,
                    Duration.ofSeconds(20)), nctId);
            Received updated = events.stream()
                    .filter(r -> EventTypes.TRIAL_UPDATED.equals(r.header(CloudEventHeaders.TYPE))).findFirst().orElseThrow();
            assertThat(EventSchemas.violations(EventTypes.TRIAL_UPDATED, json(updated))).isEmpty();
            JsonNode change = json(updated).path("changes").get(0);
            assertThat(change.path("field").asText()).isEqualTo("sponsor");
            assertThat(change.path("from").isNull()).isTrue();
            assertThat(change.path("to").asText()).isEqualTo("Test Sponsor");
            Received results = events.stream()
                    .filter(r -> EventTypes.TRIAL_RESULTS_POSTED.equals(r.header(CloudEventHeaders.TYPE))).findFirst().orElseThrow();
            assertThat(EventSchemas.violations(EventTypes.TRIAL_RESULTS_POSTED, json(results))).isEmpty();
            assertThat(json(results).path("results").get(0).path("endpoint").asText()).isEqualTo("HR");
        }
    }

    @Test
    void aRejectedChangePublishesNothing() {
        String nctId = "NCT06128551"; // RECRUITING in the seed
        try (KafkaTopicReader reader = new KafkaTopicReader(KafkaTopicReader.testBootstrapServers(), Topics.TRIAL_EVENTS)) {
            String etag = etagOf(nctId);
            changeStatus(nctId, etag, "TERMINATED", null).then().statusCode(422);   // no reason
            changeStatus(nctId, etag, "WITHDRAWN", "x").then().statusCode(422);     // enrolment started
            changeStatus(nctId, "\"999\"", "COMPLETED", null).then().statusCode(412);
            List<Received> events = reader.readFor(Duration.ofSeconds(4));
            assertThat(eventsOf(events, nctId)).extracting(r -> r.header(CloudEventHeaders.TYPE))
                    .containsOnly(EventTypes.TRIAL_REGISTERED);
        }
    }

    @Test
    void twoConcurrentChangesWithTheSameVersionOneWinsOneGets412() throws Exception {
        String nctId = "NCT04753879";
        String etag = etagOf(nctId);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Integer>> both = List.of(
                    () -> changeStatus(nctId, etag, "RECRUITING", null).statusCode(),
                    () -> changeStatus(nctId, etag, "ACTIVE_NOT_RECRUITING", null).statusCode());
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(both)) {
                codes.add(f.get());
            }
            assertThat(codes).containsExactlyInAnyOrder(201, 412);
        } finally {
            pool.shutdown();
        }
        given().get("/api/trials/{id}/history", nctId).then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(1));
    }

    /**
     * The broker goes away; curators keep working; when it returns every change is published exactly once and in
     * order per trial. Runs against the test JVM's own broker, which it stops and restarts.
     */
    @Test
    void changesMadeWhileKafkaIsDownArePublishedOnceInOrderWhenItReturns() {
        org.junit.jupiter.api.Assumptions.assumeTrue(KafkaBroker.externalBootstrapServers() == null,
                "needs the test's own broker to stop it");
        List<String> trials = List.of("NCT09990101", "NCT09990102");
        for (String nctId : trials) {
            given().auth().oauth2(TestTokens.curator()).contentType(ContentType.JSON)
                    .body("{\"nctId\":\"" + nctId + "\",\"tumourTypes\":[\"PC\"]}").post("/api/trials")
                    .then().statusCode(201);
        }
        KafkaBroker broker = KafkaBroker.shared();
        broker.stop();
        try {
            for (String nctId : trials) {
                changeStatus(nctId, etagOf(nctId), "RECRUITING", null).then().statusCode(201);
                changeStatus(nctId, etagOf(nctId), "SUSPENDED", "interim safety review").then().statusCode(201);
                changeStatus(nctId, etagOf(nctId), "RECRUITING", null).then().statusCode(201);
            }
            // Stay down past the relay's send timeout, so that it has given up waiting at least once: the rows it
            // sent must neither be lost nor re-sent behind the later events of their trial.
            double failuresBefore = publishFailures();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(40))
                    .until(() -> publishFailures() > failuresBefore);
        } finally {
            broker.start();
        }
        try (KafkaTopicReader reader = new KafkaTopicReader(KafkaTopicReader.testBootstrapServers(), Topics.TRIAL_EVENTS)) {
            List<Received> all = reader.readUntil(r -> trials.stream().allMatch(id -> eventsOf(r, id).stream()
                    .filter(e -> EventTypes.TRIAL_STATUS_CHANGED.equals(e.header(CloudEventHeaders.TYPE))).count() >= 3),
                    Duration.ofSeconds(60));
            all = reader.readFor(Duration.ofSeconds(3)); // anything duplicated would arrive meanwhile
            for (String nctId : trials) {
                List<Received> changes = eventsOf(all, nctId).stream()
                        .filter(e -> EventTypes.TRIAL_STATUS_CHANGED.equals(e.header(CloudEventHeaders.TYPE))).toList();
                assertThat(changes).extracting(e -> json(e).path("newStatus").asText())
                        .containsExactly("RECRUITING", "SUSPENDED", "RECRUITING");
                assertThat(changes).extracting(e -> e.header(CloudEventHeaders.ID)).doesNotHaveDuplicates();
                List<Long> sequences = eventsOf(all, nctId).stream().map(e -> json(e).path("sequence").asLong()).toList();
                assertThat(sequences).isSorted().doesNotHaveDuplicates();
                Map<String, Long> perId = eventsOf(all, nctId).stream()
                        .collect(Collectors.groupingBy(e -> e.header(CloudEventHeaders.ID), Collectors.counting()));
                assertThat(perId.values()).containsOnly(1L);
            }
        }
    }

    private static double publishFailures() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return PrometheusText.sum(metrics, "trialwatch_outbox_publish_failures_total");
    }

    @Test
    void serviceLayerRejectionLeavesNoOutboxRow() throws Exception {
        long before = outboxRows();
        given().auth().oauth2(TestTokens.curator()).header("If-Match", "\"1\"").contentType(ContentType.JSON)
                .body("{\"newStatus\":\"WITHDRAWN\",\"effectiveDate\":\"2026-11-20\",\"reason\":\"x\"}")
                .post("/api/trials/NCT05379985/status-changes").then().statusCode(org.hamcrest.Matchers.either(
                        org.hamcrest.Matchers.is(422)).or(org.hamcrest.Matchers.is(412)));
        assertThat(outboxRows()).isEqualTo(before);
    }

    /** The outbox row count, straight from the database. */
    private long outboxRows() throws java.sql.SQLException {
        try (java.sql.Connection c = dataSource.getConnection();
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM outbox_event")) {
            rs.next();
            return rs.getLong(1);
        }
    }

}
