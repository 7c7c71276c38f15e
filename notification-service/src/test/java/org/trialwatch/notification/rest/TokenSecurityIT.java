package org.trialwatch.notification.rest;

import org.trialwatch.notification.testing.GreenMailResource;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import org.trialwatch.testbed.HostileTokens;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.TestTokens;
import org.trialwatch.testbed.fixtures.RefusedTokenContract;

/**
 * Every refused token: 401 with an invalid-token problem (told apart from a missing token), and no subscription
 * created ({@link RefusedTokenContract}); a missing token, and a token without a team, as this service answers them.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(GreenMailResource.class)
class TokenSecurityIT extends RefusedTokenContract {

    private static final String TEAM = "team-tokens";

    @Override
    protected List<ValidatableResponse> attemptsWith(String token) {
        return List.of(
                given().auth().oauth2(token).contentType(ContentType.JSON)
                        .body(Map.of("name", "should not exist", "channel", "email", "email", "x@example.org"))
                        .when().post("/api/subscriptions").then(),
                given().auth().oauth2(token).when().get("/api/dead-letters").then());
    }

    @Override
    protected Object observableState() {
        return subscriptionsOfTheTeam();
    }

    @Test
    void aMissingTokenIsToldApartFromARefusedOne() {
        given().when().get("/api/subscriptions").then().statusCode(401).contentType("application/problem+json")
                .body("type", endsWith("unauthorized"));
        given().when().get("/api/stream").then().statusCode(401).body("type", endsWith("unauthorized"));
        given().auth().oauth2(HostileTokens.wrongAudience()).when().get("/api/stream")
                .then().statusCode(401).body("type", endsWith("invalid-token"));
    }

    @Test
    void aSubscriberTokenWithoutATeamOwnsNothing() {
        given().auth().oauth2(HostileTokens.subscriberWithoutTeam()).contentType(ContentType.JSON)
                .body(Map.of("name", "orphan", "channel", "email", "email", "x@example.org"))
                .when().post("/api/subscriptions")
                .then().statusCode(403).contentType("application/problem+json").body("type", endsWith("no-team"));
        given().auth().oauth2(HostileTokens.subscriberWithoutTeam()).when().get("/api/subscriptions")
                .then().statusCode(403).body("type", endsWith("no-team"));
    }

    private static int subscriptionsOfTheTeam() {
        return given().auth().oauth2(TestTokens.subscriber(TEAM)).when().get("/api/subscriptions")
                .then().statusCode(200).extract().jsonPath().getList("items").size();
    }
}
