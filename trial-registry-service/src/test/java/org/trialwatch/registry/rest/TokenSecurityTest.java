package org.trialwatch.registry.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import java.util.stream.Stream;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.trialwatch.testbed.HostileTokens;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.TestTokens;

/** Every refused token: 401 with an invalid-token problem (told apart from a missing token), and nothing recorded. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(org.trialwatch.registry.ctgov.CtgovWireMockResource.class)
class TokenSecurityTest {

    private static final String PROBLEM = "application/problem+json";
    private static final String TRIAL = "NCT05239169";
    private static final String CHANGE = "{\"newStatus\":\"RECRUITING\",\"effectiveDate\":\"2026-11-01\",\"reason\":\"token test\"}";

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
                Arguments.of("not a JWT", "not.a.token"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedTokens")
    void aRefusedTokenIs401InvalidTokenAndChangesNothing(String kind, String token) {
        String etag = given().get("/api/trials/{id}", TRIAL).then().statusCode(200).extract().header("ETag");
        int history = given().get("/api/trials/{id}/history", TRIAL).then().extract().jsonPath().getList("items").size();

        given().auth().oauth2(token).header("If-Match", etag).contentType(ContentType.JSON).body(CHANGE)
                .post("/api/trials/{id}/status-changes", TRIAL)
                .then().statusCode(401).contentType(PROBLEM)
                .header("WWW-Authenticate", containsString("invalid_token"))
                .body("type", endsWith("invalid-token"))
                .body("status", equalTo(401));

        given().get("/api/trials/{id}", TRIAL).then().header("ETag", etag);
        given().get("/api/trials/{id}/history", TRIAL).then().body("items.size()", equalTo(history));
    }

    @Test
    void aMissingTokenIsToldApartFromARefusedOne() {
        given().header("If-Match", "\"1\"").contentType(ContentType.JSON).body(CHANGE)
                .post("/api/trials/{id}/status-changes", TRIAL)
                .then().statusCode(401).contentType(PROBLEM)
                .body("type", endsWith("unauthenticated"));
        given().post("/api/sync/runs").then().statusCode(401).contentType(PROBLEM).body("type", endsWith("unauthenticated"));
        given().auth().oauth2(HostileTokens.wrongAudience()).post("/api/sync/runs")
                .then().statusCode(401).contentType(PROBLEM).body("type", endsWith("invalid-token"));
    }

    @Test
    void theDevelopmentTokenOfTheRightAudienceIsAccepted() {
        // the control for the matrix above: the same request with a good token passes authentication (412: stale ETag)
        given().auth().oauth2(TestTokens.curator()).header("If-Match", "\"999\"").contentType(ContentType.JSON)
                .body(CHANGE).post("/api/trials/{id}/status-changes", TRIAL).then().statusCode(412);
    }
}
