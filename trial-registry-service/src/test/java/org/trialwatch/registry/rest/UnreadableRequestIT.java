package org.trialwatch.registry.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.RawHttp;
import org.trialwatch.testbed.fixtures.UndecodablePathContract;

/** Requests as curl sends what a user typed: raw characters that java.net.URI refuses still get real answers. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(org.trialwatch.registry.ctgov.CtgovWireMockResource.class)
class UnreadableRequestIT extends UndecodablePathContract {

    @Override
    protected String undecodablePath() {
        return "/api/trials/NCT0537%";
    }

    @Test
    void aRawGreaterThanInTheQueryReachesTheResource() throws Exception {
        RawHttp.Answer answer = RawHttp.get(RestAssured.port, "/api/trials?q=KRAS>G12D&limit=5");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(answer.body()).contains("\"items\"");
    }

    @Test
    void aQueryThatCannotBeDecodedIsAProblem() throws Exception {
        RawHttp.Answer answer = RawHttp.get(RestAssured.port, "/api/trials?q=KRAS%G&limit=5");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(answer.body()).contains("\"status\":400");
    }
}
