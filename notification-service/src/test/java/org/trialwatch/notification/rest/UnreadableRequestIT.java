package org.trialwatch.notification.rest;

import org.trialwatch.notification.testing.GreenMailResource;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.RawHttp;
import org.trialwatch.testbed.TestTokens;
import org.trialwatch.testbed.fixtures.UndecodablePathContract;

/** The README's stream command as curl sends it: "->TERMINATED" with a raw '>' in the query string. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(GreenMailResource.class)
class UnreadableRequestIT extends UndecodablePathContract {

    @Override
    protected String undecodablePath() {
        return "/api/subscriptions/%";
    }

    @Test
    void theStreamAcceptsATransitionTypedWithARawGreaterThan() throws Exception {
        RawHttp.Answer answer = RawHttp.get(RestAssured.port, "/api/stream?tumourType=PC&statusTransition=->TERMINATED",
                "Authorization: Bearer " + TestTokens.subscriber("team-raw"));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).startsWith("text/event-stream");
    }

    @Test
    void aBadTransitionTypedRawIsAProblemNamingTheField() throws Exception {
        RawHttp.Answer answer = RawHttp.get(RestAssured.port, "/api/stream?statusTransition=->NOT_A_STATUS",
                "Authorization: Bearer " + TestTokens.subscriber("team-raw"));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(answer.body()).contains("statusTransitions");
    }

    @Test
    void aChunkedBodyOverTheLimitIsAProblemNamingTheLimitAndCreatesNothing() throws Exception {
        String team = "team-chunked";
        String padded = "{\"name\":\"chunked\",\"channel\":\"email\",\"email\":\"c@example.org\""
                + " ".repeat(1100 * 1024) + "}";
        RawHttp.Answer answer = RawHttp.postChunked(RestAssured.port, "/api/subscriptions",
                padded.getBytes(java.nio.charset.StandardCharsets.UTF_8), 16 * 1024,
                "Authorization: Bearer " + TestTokens.subscriber(team), "Content-Type: application/json");
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(answer.body()).contains("\"status\":413").contains("1048576 bytes");
        RestAssured.given().auth().oauth2(TestTokens.subscriber(team)).get("/api/subscriptions")
                .then().statusCode(200).body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("chunked")));

        // a chunked body within the limit is read as any other
        String small = "{\"name\":\"chunked\",\"channel\":\"email\",\"email\":\"c@example.org\"}";
        RawHttp.Answer created = RawHttp.postChunked(RestAssured.port, "/api/subscriptions",
                small.getBytes(java.nio.charset.StandardCharsets.UTF_8), 16,
                "Authorization: Bearer " + TestTokens.subscriber(team), "Content-Type: application/json");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body()).contains("\"name\":\"chunked\"");
    }
}
