package org.trialwatch.notification.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import org.trialwatch.testbed.HostileTokens;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.TestTokens;

/** Every refused token: 401 with an invalid-token problem (told apart from a missing token), and nothing created. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(GreenMailResource.class)
class TokenSecurityTest {

    private static final String TEAM = "team-tokens";

    static Stream<Arguments> refusedTokens() {
        return Stream.of(
                Arguments.of("expired", HostileTokens.expired()),
                Arguments.of("not yet valid", HostileTokens.notYetValid()),
                Arguments.of("issued too long ago", HostileTokens.issuedTooLongAgo()),
                Arguments.of("wrong issuer", HostileTokens.wrongIssuer()),
                Arguments.of("wrong audience", HostileTokens.wrongAudience()),
                Arguments.of("no audience", HostileTokens.withoutAudience()),
                Arguments.of("alg none", HostileTokens.unsigned()),
                Arguments.of("HS256 keyed with the public key", HostileTokens.hs256WithThePublicKey()),
                Arguments.of("tampered signature", HostileTokens.tamperedSignature()),
                Arguments.of("not a JWT", "not-a-jwt"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedTokens")
    void aRefusedTokenIs401InvalidTokenAndCreatesNothing(String kind, String token) {
        int before = subscriptionsOfTheTeam();
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "should not exist", "channel", "email", "email", "x@example.org"))
                .when().post("/api/subscriptions")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("invalid_token"))
                .body("type", endsWith("invalid-token"))
                .body("status", equalTo(401));
        given().auth().oauth2(token).when().get("/api/dead-letters")
                .then().statusCode(401).body("type", endsWith("invalid-token"));
        org.assertj.core.api.Assertions.assertThat(subscriptionsOfTheTeam()).isEqualTo(before);
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
