package org.trialwatch.registry.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;

import java.util.List;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;
import org.trialwatch.testbed.HostileTokens;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.TestTokens;
import org.trialwatch.testbed.fixtures.RefusedTokenContract;

/**
 * Every refused token: 401 with an invalid-token problem (told apart from a missing token), and nothing recorded
 * ({@link RefusedTokenContract}); a missing token as this service answers it.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(org.trialwatch.registry.ctgov.CtgovWireMockResource.class)
class TokenSecurityIT extends RefusedTokenContract {

    private static final String PROBLEM = "application/problem+json";
    private static final String TRIAL = "NCT05239169";
    private static final String CHANGE = "{\"newStatus\":\"RECRUITING\",\"effectiveDate\":\"2026-11-01\",\"reason\":\"token test\"}";

    @Override
    protected List<ValidatableResponse> attemptsWith(String token) {
        String etag = given().get("/api/trials/{id}", TRIAL).then().statusCode(200).extract().header("ETag");
        return List.of(given().auth().oauth2(token).header("If-Match", etag).contentType(ContentType.JSON).body(CHANGE)
                .post("/api/trials/{id}/status-changes", TRIAL).then());
    }

    /** The trial's ETag and the length of its history. */
    @Override
    protected Object observableState() {
        String etag = given().get("/api/trials/{id}", TRIAL).then().statusCode(200).extract().header("ETag");
        int history = given().get("/api/trials/{id}/history", TRIAL).then().extract().jsonPath().getList("items").size();
        return List.of(etag, history);
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
