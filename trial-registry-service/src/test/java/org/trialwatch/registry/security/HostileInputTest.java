package org.trialwatch.registry.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.TestTokens;

/** Bodies over the limit are refused whatever their framing, and nothing is recorded. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(org.trialwatch.registry.ctgov.CtgovWireMockResource.class)
class HostileInputTest {

    private static final String TRIAL = "NCT04506281";

    /** A valid status change, padded with whitespace (still valid JSON) to 200 KB. */
    private static byte[] paddedChange() {
        String change = "{\"newStatus\":\"RECRUITING\",\"effectiveDate\":\"2026-11-02\",\"reason\":\"padded\""
                + " ".repeat(200 * 1024) + "}";
        return change.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedAndRecordsNothing() {
        String etag = given().get("/api/trials/{id}", TRIAL).then().statusCode(200).extract().header("ETag");
        int history = given().get("/api/trials/{id}/history", TRIAL).then().extract().jsonPath().getList("$").size();
        // an InputStream body has no known length: RestAssured sends it chunked, without Content-Length
        given().auth().oauth2(TestTokens.curator()).header("If-Match", etag).contentType(ContentType.JSON)
                .body(new ByteArrayInputStream(paddedChange()))
                .post("/api/trials/{id}/status-changes", TRIAL)
                .then().statusCode(413);
        given().get("/api/trials/{id}/history", TRIAL).then().body("size()", equalTo(history));
        given().get("/api/trials/{id}", TRIAL).then().header("ETag", etag);
    }

    @Test
    void aBodyOverTheLimitWithContentLengthIsAProblem() {
        String etag = given().get("/api/trials/{id}", TRIAL).then().statusCode(200).extract().header("ETag");
        given().auth().oauth2(TestTokens.curator()).header("If-Match", etag).contentType(ContentType.JSON)
                .body(paddedChange())
                .post("/api/trials/{id}/status-changes", TRIAL)
                .then().statusCode(413).contentType("application/problem+json");
        given().get("/api/trials/{id}", TRIAL).then().header("ETag", etag);
    }
}
