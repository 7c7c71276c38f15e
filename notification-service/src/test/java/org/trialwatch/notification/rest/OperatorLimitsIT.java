package org.trialwatch.notification.rest;

import org.trialwatch.notification.testing.Api;
import org.trialwatch.notification.testing.GreenMailResource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import org.trialwatch.notification.persistence.SubscriptionStore;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.TestTokens;

/** Secrets at rest are sealed; operators may stop, delete and replay a team's subscription, never take it over. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(GreenMailResource.class)
class OperatorLimitsIT {

    private static final Map<String, Object> QUIET = Map.of("nctIds", List.of("NCT00000001"));

    @Inject
    DataSource dataSource;

    @Inject
    SubscriptionStore store;

    @Test
    void anOperatorCannotRotateAnotherTeamsSecret() {
        Api.Created hook = Api.webhook("team-op-a", "http://127.0.0.1:9/a", QUIET);
        given().auth().oauth2(TestTokens.operator()).when().post("/api/subscriptions/" + hook.id() + "/rotate-secret")
                .then().statusCode(403).contentType("application/problem+json").body("type", endsWith("operator-limited"));
        assertThat(store.liveSecrets(UUID.fromString(hook.id()), Instant.now())).containsExactly(hook.secret());
        // the team itself still can
        given().auth().oauth2(TestTokens.subscriber("team-op-a")).when().post("/api/subscriptions/" + hook.id() + "/rotate-secret")
                .then().statusCode(200);
    }

    @Test
    void anOperatorCannotRedirectASubscriptionButCanDisableAndDeleteIt() {
        Api.Created hook = Api.webhook("team-op-b", "http://127.0.0.1:9/b", QUIET);
        String operator = TestTokens.operator();
        for (Map<String, Object> change : List.<Map<String, Object>>of(Map.of("url", "https://attacker.example.org/x"),
                Map.of("name", "renamed"), Map.of("filter", Map.of()), Map.of("contactEmail", "op@example.org"))) {
            given().auth().oauth2(operator).contentType(ContentType.JSON).body(change)
                    .when().patch("/api/subscriptions/" + hook.id())
                    .then().statusCode(403).body("type", endsWith("operator-limited"));
        }
        given().auth().oauth2(TestTokens.subscriber("team-op-b")).when().get("/api/subscriptions/" + hook.id())
                .then().statusCode(200).body("url", equalTo("http://127.0.0.1:9/b"))
                .body("name", equalTo("hook http://127.0.0.1:9/b"));
        given().auth().oauth2(operator).contentType(ContentType.JSON).body(Map.of("enabled", false))
                .when().patch("/api/subscriptions/" + hook.id()).then().statusCode(200).body("enabled", equalTo(false));
        given().auth().oauth2(operator).when().delete("/api/subscriptions/" + hook.id()).then().statusCode(204);
    }

    @Test
    void secretsAreStoredSealedUnderTheKeyTheyNameAndPlainRowsAreResealed() throws Exception {
        Api.Created hook = Api.webhook("team-op-c", "http://127.0.0.1:9/c", QUIET);
        String[] row = storedSecret(hook.id());
        assertThat(row[0]).isNotEqualTo(hook.secret()).doesNotContain(hook.secret().substring("whsec_".length()));
        assertThat(row[1]).isEqualTo("test-1");

        // a row from before sealing: plain text, no key id; still signs, and the re-seal command seals it
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update webhook_secret set secret = ?, key_id = null where subscription_id = ?")) {
            ps.setString(1, hook.secret());
            ps.setObject(2, UUID.fromString(hook.id()));
            ps.executeUpdate();
        }
        assertThat(store.liveSecrets(UUID.fromString(hook.id()), Instant.now())).containsExactly(hook.secret());
        given().auth().oauth2(TestTokens.subscriber("team-op-c")).when().post("/api/operations/webhook-secrets/re-seal")
                .then().statusCode(403);
        int resealed = given().auth().oauth2(TestTokens.operator()).when().post("/api/operations/webhook-secrets/re-seal")
                .then().statusCode(200).body("keyId", equalTo("test-1")).extract().path("resealed");
        assertThat(resealed).isGreaterThanOrEqualTo(1);
        String[] after = storedSecret(hook.id());
        assertThat(after[0]).isNotEqualTo(hook.secret());
        assertThat(after[1]).isEqualTo("test-1");
        assertThat(store.liveSecrets(UUID.fromString(hook.id()), Instant.now())).containsExactly(hook.secret());
    }

    private String[] storedSecret(String subscriptionId) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select secret, key_id from webhook_secret where subscription_id = ?")) {
            ps.setObject(1, UUID.fromString(subscriptionId));
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return new String[] {rs.getString(1), rs.getString(2)};
            }
        }
    }
}
