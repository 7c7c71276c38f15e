package org.trialwatch.registry.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.RawHttp;
import org.trialwatch.testbed.TestTokens;

/** Bodies over the limit are refused whatever their framing, and nothing is recorded. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(org.trialwatch.registry.ctgov.CtgovWireMockResource.class)
class HostileInputIT {

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
    void aChunkedBodyOverTheLimitIsAProblemNamingTheLimitAndRecordsNothing() throws Exception {
        String etag = given().get("/api/trials/{id}", TRIAL).then().statusCode(200).extract().header("ETag");
        int history = given().get("/api/trials/{id}/history", TRIAL).then().extract().jsonPath().getList("items").size();
        // a body of unknown length, sent chunked without Content-Length, as a streaming client sends it
        RawHttp.Answer answer = RawHttp.postChunked(base.getPort(), "/api/trials/" + TRIAL + "/status-changes",
                paddedChange(), 8192, "Authorization: Bearer " + TestTokens.curator(), "If-Match: " + etag,
                "Content-Type: application/json");
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.header("content-type")).startsWith("application/problem+json");
        JsonNode problem = new ObjectMapper().readTree(answer.body());
        assertThat(problem.path("status").asInt()).isEqualTo(413);
        assertThat(problem.path("type").asText()).endsWith("body-too-large");
        assertThat(problem.path("detail").asText()).contains("65536 bytes");
        given().get("/api/trials/{id}/history", TRIAL).then().body("items.size()", equalTo(history));
        given().get("/api/trials/{id}", TRIAL).then().header("ETag", etag);
    }

    @Test
    void aBodyOverTheLimitWithContentLengthIsAProblem() {
        String etag = given().get("/api/trials/{id}", TRIAL).then().statusCode(200).extract().header("ETag");
        given().auth().oauth2(TestTokens.curator()).header("If-Match", etag).contentType(ContentType.JSON)
                .body(paddedChange())
                .post("/api/trials/{id}/status-changes", TRIAL)
                .then().statusCode(413).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("at most 65536 bytes"));
        given().get("/api/trials/{id}", TRIAL).then().header("ETag", etag);
    }

    @Test
    void aListFieldOverItsCapIsAProblemNamingTheFieldAndTheCapAndChangesNothing() {
        String etag = given().get("/api/trials/{id}", TRIAL).then().statusCode(200).extract().header("ETag");
        String conditions = java.util.stream.IntStream.range(0, 201).mapToObj(i -> "\"condition " + i + "\"")
                .collect(java.util.stream.Collectors.joining(",", "[", "]"));
        given().auth().oauth2(TestTokens.curator()).header("If-Match", etag).contentType(ContentType.JSON)
                .body("{\"conditions\":" + conditions + "}").patch("/api/trials/{id}", TRIAL)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("conditions"))
                .body("errors[0].reason", org.hamcrest.Matchers.containsString("at most 200 items"));
        given().get("/api/trials/{id}", TRIAL).then().header("ETag", etag);

        // the same repeated value counts too: a list is capped by what is sent, not by what it would keep
        String tumours = java.util.stream.IntStream.range(0, 201).mapToObj(i -> "\"PC\"")
                .collect(java.util.stream.Collectors.joining(",", "[", "]"));
        given().auth().oauth2(TestTokens.curator()).contentType(ContentType.JSON)
                .body("{\"nctId\":\"NCT00000777\",\"tumourTypes\":" + tumours + "}").post("/api/trials")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.hasItem("tumourTypes"));
        given().get("/api/trials/NCT00000777").then().statusCode(404);
    }

    @Test
    void moreResultsThanTheCapInOneRequestAreAProblemAndNoneIsStored() {
        int before = given().get("/api/trials/{id}/results", TRIAL).then().statusCode(200).extract().jsonPath()
                .getList("items").size();
        String one = "{\"endpoint\":\"ORR\",\"arm\":\"A\",\"armRole\":\"EXPERIMENTAL\",\"value\":31.5,"
                + "\"unit\":\"%\",\"n\":54,\"source\":\"capped\"}";
        String results = java.util.stream.IntStream.range(0, 101).mapToObj(i -> one)
                .collect(java.util.stream.Collectors.joining(",", "[", "]"));
        given().auth().oauth2(TestTokens.curator()).contentType(ContentType.JSON).body("{\"results\":" + results + "}")
                .post("/api/trials/{id}/results", TRIAL)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.endsWith("results"))
                .body("errors[0].reason", equalTo("at most 100 results per request"));
        given().get("/api/trials/{id}/results", TRIAL).then().body("items.size()", equalTo(before));
    }
}
