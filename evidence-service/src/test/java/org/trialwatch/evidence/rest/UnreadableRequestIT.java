package org.trialwatch.evidence.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.RawHttp;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.trialwatch.testbed.fixtures.UndecodablePathContract;

/** Requests as curl sends what a user typed: raw characters that java.net.URI refuses still get real answers. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
class UnreadableRequestIT extends UndecodablePathContract {

    @Override
    protected String undecodablePath() {
        return "/api/summaries/PC%";
    }

    @Test
    void aBadValueWithARawCharacterIsAProblemNamingTheField() throws Exception {
        RawHttp.Answer answer = RawHttp.get(RestAssured.port, "/api/evidence?table=>1", "Accept: application/json");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(answer.body()).contains("\"field\":\"table\"");
    }

    @Test
    void aChunkedBodyOverTheLimitIsAProblemNamingTheLimit() throws Exception {
        byte[] body = ("{\"padding\":\"" + "x".repeat(70 * 1024) + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        RawHttp.Answer answer = RawHttp.postChunked(RestAssured.port,
                "/api/outbox/parked/00000000-0000-0000-0000-000000000000/retry", body, 8192,
                "Content-Type: application/json");
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(answer.body()).contains("\"status\":413").contains("65536 bytes");
    }
}
