package org.trialwatch.registry.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.trialwatch.events.CloudEventHeaders;
import org.trialwatch.events.EventTypes;
import org.trialwatch.events.Topics;
import org.trialwatch.support.outbox.OutboxRelay;
import org.trialwatch.testbed.KafkaBroker;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.KafkaTopicReader.Received;
import org.trialwatch.testbed.KafkaTopicReader;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.PrometheusText;
import org.trialwatch.testbed.TestTokens;

/** What the outbox does when a row, or the broker, will not cooperate. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(org.trialwatch.registry.ctgov.CtgovWireMockResource.class)
class OutboxFaultsIT {

    /** Over the producer's max.request.size (1 MiB): refused with RecordTooLargeException on every send. */
    private static final int TOO_LARGE = 1_200_000;

    @Inject
    DataSource dataSource;

    @Inject
    OutboxRelay relay;

    @Test
    void aRowTheBrokerWillNeverTakeIsParkedItsKeyWaitsAndOtherTrialsGoOn() throws Exception {
        String poisonedKey = "NCT09990301";
        UUID poison = UUID.randomUUID();
        UUID behindIt = UUID.randomUUID();
        insertRow(poison, poisonedKey, "{\"pad\":\"" + "x".repeat(TOO_LARGE) + "\"}");
        insertRow(behindIt, poisonedKey, "{\"small\":true}");
        String nctId = track("NCT09990311");
        try (KafkaTopicReader reader = new KafkaTopicReader(KafkaTopicReader.testBootstrapServers(), Topics.TRIAL_EVENTS)) {
            given().auth().oauth2(TestTokens.curator()).header("If-Match", etagOf(nctId)).contentType(ContentType.JSON)
                    .body("{\"sponsor\":\"Sponsor after the poison row\"}").patch("/api/trials/{id}", nctId)
                    .then().statusCode(200);

            // the change written after the poison row is published: the poison row holds up nobody else
            List<Received> events = reader.readUntil(all -> all.stream().anyMatch(r -> nctId.equals(r.key())
                    && r.value().contains("Sponsor after the poison row")), Duration.ofSeconds(60));
            assertThat(events).anyMatch(r -> nctId.equals(r.key()) && r.value().contains("Sponsor after the poison row"));

            // after max-attempts it is parked with its reason; the row behind it, same key, waits
            await().atMost(Duration.ofSeconds(60)).until(() -> parkedAt(poison) != null);
            assertThat(lastError(poison)).contains("RecordTooLargeException");
            assertThat(sentAt(behindIt)).isNull();
            assertThat(reader.readFor(Duration.ofSeconds(2)))
                    .noneMatch(r -> poisonedKey.equals(r.key()));

            // visible to operators: endpoint, metrics, health detail
            JsonPath parked = given().auth().oauth2(TestTokens.operator()).get("/api/outbox/parked")
                    .then().statusCode(200).body("topic", equalTo(Topics.TRIAL_EVENTS))
                    .body("items.eventId", hasItem(poison.toString())).extract().jsonPath();
            assertThat(parked.getString("items.find { it.eventId == '" + poison + "' }.lastError"))
                    .contains("RecordTooLargeException");
            assertThat(parked.getInt("items.find { it.eventId == '" + poison + "' }.heldBehind")).isEqualTo(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> metric("trialwatch_outbox_parked") >= 1);
            assertThat(metric("trialwatch_outbox_send_failures_total")).isGreaterThanOrEqualTo(5);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/well").then()
                    .statusCode(503).body("checks.find { it.name == 'outbox' }.data.parked", equalTo(1)));

            // the cause is dealt with (here: the row made small enough), an operator retries it: it is published,
            // then the row that waited behind it, in that order
            execute("UPDATE outbox_event SET payload = '{\"fixed\":true}' WHERE event_id = ?", poison);
            given().auth().oauth2(TestTokens.operator()).post("/api/outbox/parked/{id}/retry", poison)
                    .then().statusCode(202).body("eventId", equalTo(poison.toString()));
            List<Received> released = reader.readUntil(all -> all.stream()
                    .filter(r -> poisonedKey.equals(r.key())).count() >= 2, Duration.ofSeconds(60)).stream()
                    .filter(r -> poisonedKey.equals(r.key())).toList();
            assertThat(released).extracting(r -> r.header(CloudEventHeaders.ID))
                    .containsExactly(poison.toString(), behindIt.toString());
        }
        given().auth().oauth2(TestTokens.operator()).get("/api/outbox/parked").then().statusCode(200)
                .body("items.eventId", org.hamcrest.Matchers.not(hasItem(poison.toString())));
    }

    @Test
    void theParkedRowsEndpointIsForOperatorsAndExplainsBadRequests() {
        given().get("/api/outbox/parked").then().statusCode(401);
        given().auth().oauth2(TestTokens.curator()).get("/api/outbox/parked").then().statusCode(403);
        given().auth().oauth2(TestTokens.operator()).post("/api/outbox/parked/{id}/retry", "not-a-uuid")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("eventId"));
        given().auth().oauth2(TestTokens.operator()).get("/api/outbox/parked?limit=0")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("limit"));
        given().auth().oauth2(TestTokens.operator()).get("/api/outbox/parked?cursor=bogus")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("cursor"));
        // the envelope every list has
        given().auth().oauth2(TestTokens.operator()).get("/api/outbox/parked").then().statusCode(200)
                .body("limit", equalTo(50)).body("$", org.hamcrest.Matchers.hasKey("next"))
                .body("items", org.hamcrest.Matchers.notNullValue());
        given().auth().oauth2(TestTokens.operator()).post("/api/outbox/parked/{id}/retry", UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
    }

    /** Readiness means "can take traffic": with the broker away the outbox holds the changes. */
    @Test
    void readinessStaysUpWhileTheBrokerIsAwayAndTheChangeIsPublishedWhenItReturns() {
        Assumptions.assumeTrue(KafkaBroker.externalBootstrapServers() == null, "needs the test's own broker to stop it");
        String nctId = track("NCT09990312");
        KafkaBroker broker = KafkaBroker.shared();
        broker.stop();
        try {
            // once the outbox has seen the broker go, readiness is still UP and the change is accepted
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/well").then()
                    .body("checks.find { it.name == 'outbox' }.data.brokerReachable", equalTo(false)));
            given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            given().auth().oauth2(TestTokens.curator()).header("If-Match", etagOf(nctId)).contentType(ContentType.JSON)
                    .body("{\"sponsor\":\"Sponsor while the broker is away\"}").patch("/api/trials/{id}", nctId)
                    .then().statusCode(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> metric("trialwatch_outbox_backlog") >= 1);
        } finally {
            broker.start();
        }
        try (KafkaTopicReader reader = new KafkaTopicReader(KafkaTopicReader.testBootstrapServers(), Topics.TRIAL_EVENTS)) {
            List<Received> published = reader.readUntil(all -> all.stream().anyMatch(r -> nctId.equals(r.key())
                    && r.value().contains("Sponsor while the broker is away")), Duration.ofSeconds(90)).stream()
                    .filter(r -> nctId.equals(r.key()) && r.value().contains("Sponsor while the broker is away")).toList();
            assertThat(published).singleElement()
                    .satisfies(r -> assertThat(r.header(CloudEventHeaders.TYPE)).isEqualTo(EventTypes.TRIAL_UPDATED));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/well").then()
                .body("checks.find { it.name == 'outbox' }.data.brokerReachable", equalTo(true)));
    }

    @Test
    void sentRowsArePurgedAfterTheRetentionAndNothingElse() throws Exception {
        UUID old = UUID.randomUUID();
        UUID recent = UUID.randomUUID();
        UUID unsentButOld = UUID.randomUUID();
        insertRow(old, "NCT09990401", "{}");
        insertRow(recent, "NCT09990401", "{}");
        insertRow(unsentButOld, "NCT09990402", "{}");
        // the relay sends new rows within moments; backdate only after it has, or its own sent_at = now() lands last
        await().atMost(Duration.ofSeconds(60))
                .until(() -> sentAt(old) != null && sentAt(recent) != null && sentAt(unsentButOld) != null);
        execute("UPDATE outbox_event SET sent_at = now() - interval '31 days' WHERE event_id = ?", old);
        execute("UPDATE outbox_event SET sent_at = now() - interval '29 days' WHERE event_id = ?", recent);
        // held back from the relay by parking, so it stays unsent however old
        execute("UPDATE outbox_event SET occurred_at = now() - interval '60 days', parked_at = now(), sent_at = NULL, "
                + "last_error = 'test' WHERE event_id = ?", unsentButOld);

        assertThat(relay.purge()).isGreaterThanOrEqualTo(1);

        assertThat(exists(old)).isFalse();
        assertThat(exists(recent)).isTrue();
        assertThat(exists(unsentButOld)).isTrue();
        execute("DELETE FROM outbox_event WHERE event_id = ?", unsentButOld);
    }

    /** A trial of this test's own, so that no other test's expectations about the seeded trials are disturbed. */
    private static String track(String nctId) {
        given().auth().oauth2(TestTokens.curator()).contentType(ContentType.JSON)
                .body("{\"nctId\":\"" + nctId + "\",\"tumourTypes\":[\"PC\"]}").post("/api/trials")
                .then().statusCode(201);
        return nctId;
    }

    private static String etagOf(String nctId) {
        return given().get("/api/trials/{id}", nctId).then().statusCode(200).extract().header("ETag");
    }

    private static double metric(String name) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return PrometheusText.sum(metrics, name);
    }

    private void insertRow(UUID eventId, String key, String payload) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO outbox_event (event_id, aggregate_id, event_type, occurred_at, payload) "
                        + "VALUES (?, ?, ?, now(), ?)")) {
            ps.setObject(1, eventId);
            ps.setString(2, key);
            ps.setString(3, EventTypes.TRIAL_UPDATED);
            ps.setString(4, payload);
            ps.executeUpdate();
        }
    }

    private void execute(String sql, UUID eventId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, eventId);
            ps.executeUpdate();
        }
    }

    private Object column(String column, UUID eventId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + column + " FROM outbox_event WHERE event_id = ?")) {
            ps.setObject(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        }
    }

    private boolean exists(UUID eventId) throws SQLException {
        return column("event_id", eventId) != null;
    }

    private Object parkedAt(UUID eventId) throws SQLException {
        return column("parked_at", eventId);
    }

    private Object sentAt(UUID eventId) throws SQLException {
        return column("sent_at", eventId);
    }

    private String lastError(UUID eventId) throws SQLException {
        return (String) column("last_error", eventId);
    }
}
