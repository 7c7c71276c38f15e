package org.trialwatch.registry.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;
import org.junit.jupiter.api.Test;

import org.trialwatch.support.security.VerifiedTokenCache;
import org.trialwatch.testbed.HostileTokens;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.TestTokens;

/** The registry verifies an operator's repeated token once, and still refuses a bad one however often it is sent. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(org.trialwatch.registry.ctgov.CtgovWireMockResource.class)
class VerifiedTokenCacheIT {

    @Inject
    JWTParser parser;

    @Test
    void aRepeatedTokenIsAnsweredFromTheCache() {
        VerifiedTokenCache cache = (VerifiedTokenCache) io.quarkus.arc.ClientProxy.unwrap(parser);
        String operator = TestTokens.operator();
        long before = cache.hits();

        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(operator).get("/api/outbox/parked").then().statusCode(200);
        }

        assertThat(cache.hits() - before).isGreaterThanOrEqualTo(2);
    }

    @Test
    void anExpiredTokenIsRefusedEveryTime() {
        String expired = HostileTokens.expired();
        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(expired).get("/api/outbox/parked").then().statusCode(401);
        }
    }
}
