package org.trialwatch.registry.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
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

    @TestHTTPResource("/")
    URI base;

    @Test
    void aChunkedBodyOverTheLimitIsRefusedAndRecordsNothing() throws Exception {
        String etag = given().get("/api/trials/{id}", TRIAL).then().statusCode(200).extract().header("ETag");
        int history = given().get("/api/trials/{id}/history", TRIAL).then().extract().jsonPath().getList("items").size();
        // a body of unknown length: HTTP/1.1 sends it chunked, without Content-Length
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/trials/" + TRIAL + "/status-changes"))
                .header("Authorization", "Bearer " + TestTokens.curator()).header("If-Match", etag)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(paddedChange())))
                .build();
        int status;
        try {
            status = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            status = -1; // the server may close the connection while the body is still being sent
        }
        org.assertj.core.api.Assertions.assertThat(status).isIn(413, -1);
        given().get("/api/trials/{id}/history", TRIAL).then().body("items.size()", equalTo(history));
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
