package org.trialwatch.evidence.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.trialwatch.events.EventTypes;
import org.trialwatch.events.Topics;
import org.trialwatch.evidence.persistence.OutboxStore;
import org.trialwatch.support.outbox.OutboxRelay;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.TestTokens;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The shared outbox's operator side in the evidence service: parked rows, health detail, retention. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
class OutboxOperationsIT {

    @Inject
    OutboxStore outbox;

    @Inject
    OutboxRelay relay;

    @Inject
    DataSource dataSource;

    @Test
    void parkedEventsAreForOperatorsWithProblemDetailsForEverythingElse() {
        given().get("/api/outbox/parked").then().statusCode(401).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("unauthorized"))
                .body("detail", org.hamcrest.Matchers.containsString("required"));
        // a token that was sent but refused is told apart from a missing one
        given().auth().oauth2("not-a-jwt").get("/api/outbox/parked").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", equalTo("Bearer error=\"invalid_token\""))
                .body("type", org.hamcrest.Matchers.endsWith("invalid-token"))
                .body("detail", org.hamcrest.Matchers.containsString("refused"));
        given().auth().oauth2(TestTokens.subscriber("team-a")).get("/api/outbox/parked")
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.operator()).get("/api/outbox/parked")
                .then().statusCode(200).body("topic", equalTo(Topics.EVIDENCE_EVENTS))
                .body("limit", equalTo(50)).body("$", org.hamcrest.Matchers.hasKey("next"));
        given().auth().oauth2(TestTokens.operator()).post("/api/outbox/parked/{id}/retry", "42")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("eventId"));
        given().auth().oauth2(TestTokens.operator()).post("/api/outbox/parked/{id}/retry", UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void healthDetailShowsTheOutboxAndReadinessDoesNotDependOnIt() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("outbox")));
        given().get("/q/health/well").then()
                .body("checks.find { it.name == 'outbox' }.data.topic", equalTo(Topics.EVIDENCE_EVENTS));
    }

    @Test
    void sentEventsArePurgedAfterTheRetentionUnsentOnesNever() throws SQLException {
        UUID old = add();
        UUID recent = add();
        UUID unsent = add();
        // the relay sends new rows within moments; backdate only after it has, or its own sent_at = now() lands last
        awaitSent(old, recent, unsent);
        execute("UPDATE outbox_event SET sent_at = now() - interval '31 days' WHERE event_id = ?", old);
        execute("UPDATE outbox_event SET sent_at = now() - interval '29 days' WHERE event_id = ?", recent);
        // held back from the relay by parking, so it stays unsent however old
        execute("UPDATE outbox_event SET occurred_at = now() - interval '90 days', parked_at = now(), sent_at = NULL, "
                + "last_error = 'test' WHERE event_id = ?", unsent);

        relay.purge();

        assertThat(exists(old)).isFalse();
        assertThat(exists(recent)).isTrue();
        assertThat(exists(unsent)).isTrue();
        execute("DELETE FROM outbox_event WHERE event_id = ?", unsent);
    }

    private UUID add() {
        UUID id = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> outbox.add(id, "TEST.purge", EventTypes.EVIDENCE_SUMMARY_UPDATED,
                Instant.now(), "{}"));
        return id;
    }

    private void awaitSent(UUID... eventIds) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (UUID id : eventIds) {
                if (!sent(id)) {
                    return false;
                }
            }
            return true;
        });
    }

    private boolean sent(UUID eventId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM outbox_event WHERE event_id = ? AND sent_at IS NOT NULL")) {
            ps.setObject(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private void execute(String sql, UUID eventId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, eventId);
            ps.executeUpdate();
        }
    }

    private boolean exists(UUID eventId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM outbox_event WHERE event_id = ?")) {
            ps.setObject(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
