package org.trialwatch.notification.rest;

import org.trialwatch.notification.testing.Api;
import org.trialwatch.notification.testing.GreenMailResource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import org.trialwatch.notification.persistence.SubscriptionStore;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.TestTokens;

/**
 * Every {id} endpoint and method, called by another team: 404 (the object's existence is not disclosed) with a
 * problem, and nothing changes. Operators: read, disable, replay and delete; never the secret or the URL.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(GreenMailResource.class)
class TwoTeamMatrixIT {

    private static final Map<String, Object> QUIET = Map.of("nctIds", List.of("NCT00000001"));
    private static final String OWNER = "team-matrix-a";
    private static final String OTHER = "team-matrix-b";

    @Inject
    SubscriptionStore store;

    private interface Call {
        io.restassured.response.Response on(RequestSpecification as, String subscriptionId, String notificationId);
    }

    private static final Map<String, Call> EVERY_ID_ENDPOINT = Map.of(
            "GET subscription", (as, s, n) -> as.get("/api/subscriptions/" + s),
            "PATCH subscription", (as, s, n) -> as.contentType(ContentType.JSON)
                    .body(Map.of("url", "http://127.0.0.1:9/stolen", "enabled", false)).patch("/api/subscriptions/" + s),
            "DELETE subscription", (as, s, n) -> as.delete("/api/subscriptions/" + s),
            "POST test", (as, s, n) -> as.post("/api/subscriptions/" + s + "/test"),
            "POST rotate-secret", (as, s, n) -> as.post("/api/subscriptions/" + s + "/rotate-secret"),
            "GET deliveries", (as, s, n) -> as.get("/api/subscriptions/" + s + "/deliveries"),
            "GET notification", (as, s, n) -> as.get("/api/notifications/" + n),
            "POST replay", (as, s, n) -> as.post("/api/notifications/" + n + "/replay"));

    @Test
    void anotherTeamGets404OnEveryIdEndpointAndChangesNothing() {
        Api.Created hook = Api.webhook(OWNER, Api.acceptingUrl("/matrix"), QUIET);
        String notification = given().auth().oauth2(TestTokens.subscriber(OWNER))
                .post("/api/subscriptions/" + hook.id() + "/test").then().statusCode(202).extract().path("notificationId");
        int deliveries = Api.deliveries(OWNER, hook.id()).getList("deliveries").size();

        EVERY_ID_ENDPOINT.forEach((name, call) -> {
            io.restassured.response.Response answer = call.on(given().auth().oauth2(TestTokens.subscriber(OTHER)),
                    hook.id(), notification);
            assertThat(answer.statusCode()).as(name).isEqualTo(404);
            assertThat(answer.contentType()).as(name).startsWith("application/problem+json");
        });

        given().auth().oauth2(TestTokens.subscriber(OWNER)).get("/api/subscriptions/" + hook.id()).then().statusCode(200)
                .body("url", equalTo(Api.acceptingUrl("/matrix"))).body("enabled", equalTo(true));
        assertThat(store.liveSecrets(UUID.fromString(hook.id()), Instant.now())).containsExactly(hook.secret());
        assertThat(Api.deliveries(OWNER, hook.id()).getList("deliveries")).hasSize(deliveries);
    }

    @Test
    void operatorsMayReadDisableReplayAndDeleteButNotTakeOver() {
        Api.Created hook = Api.webhook(OWNER, Api.acceptingUrl("/matrix-op"), QUIET);
        String notification = given().auth().oauth2(TestTokens.subscriber(OWNER))
                .post("/api/subscriptions/" + hook.id() + "/test").then().statusCode(202).extract().path("notificationId");
        String operator = TestTokens.operator();

        given().auth().oauth2(operator).get("/api/subscriptions/" + hook.id()).then().statusCode(200)
                .body("secret", org.hamcrest.Matchers.nullValue());
        given().auth().oauth2(operator).get("/api/subscriptions/" + hook.id() + "/deliveries").then().statusCode(200);
        given().auth().oauth2(operator).get("/api/notifications/" + notification).then().statusCode(200);
        EVERY_ID_ENDPOINT.get("PATCH subscription").on(given().auth().oauth2(operator), hook.id(), notification)
                .then().statusCode(403).body("type", endsWith("operator-limited"));
        EVERY_ID_ENDPOINT.get("POST rotate-secret").on(given().auth().oauth2(operator), hook.id(), notification)
                .then().statusCode(403).body("type", endsWith("operator-limited"));
        assertThat(store.liveSecrets(UUID.fromString(hook.id()), Instant.now())).containsExactly(hook.secret());
        given().auth().oauth2(operator).contentType(ContentType.JSON).body(Map.of("enabled", false))
                .patch("/api/subscriptions/" + hook.id()).then().statusCode(200).body("enabled", equalTo(false));
        int replay = given().auth().oauth2(operator).post("/api/notifications/" + notification + "/replay")
                .then().extract().statusCode();
        assertThat(replay).isIn(202, 409); // 409 while the test send is still pending
        given().auth().oauth2(operator).delete("/api/subscriptions/" + hook.id()).then().statusCode(204);
        given().auth().oauth2(TestTokens.subscriber(OWNER)).get("/api/subscriptions/" + hook.id()).then().statusCode(404);
    }
}
