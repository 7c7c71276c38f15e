package org.trialwatch.registry.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.TestTokens;

/** Who recorded, posted or triggered a change is shown to curators and operators, not to readers or subscribers. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(org.trialwatch.registry.ctgov.CtgovWireMockResource.class)
class AuthorPrivacyIT {

    /** Seeded with a sourced status, so its history has a row recorded by someone. */
    private static final String WITH_HISTORY = "NCT05737706";
    private static final String WITH_RESULTS = "NCT06128551";

    private static boolean resultPosted;

    @BeforeEach
    void postAResultOnce() {
        if (resultPosted) {
            return;
        }
        resultPosted = true;
        given().auth().oauth2(TestTokens.curator()).contentType(ContentType.JSON)
                .body("{\"results\":[{\"endpoint\":\"ORR\",\"arm\":\"A\",\"armRole\":\"EXPERIMENTAL\",\"value\":12.5,\"unit\":\"%\",\"source\":\"privacy test\"}]}")
                .post("/api/trials/{id}/results", WITH_RESULTS).then().statusCode(201);
    }

    @Test
    void anonymousReadersDoNotSeeWhoMadeAChange() {
        assertAuthorsHidden(() -> given());
    }

    @Test
    void subscribersDoNotSeeWhoMadeAChange() {
        assertAuthorsHidden(() -> given().auth().oauth2(TestTokens.subscriber("team-a")));
    }

    @Test
    void curatorsAndOperatorsDo() {
        for (String token : new String[] {TestTokens.curator(), TestTokens.operator()}) {
            given().auth().oauth2(token).get("/api/trials/{id}/history", WITH_HISTORY).then().statusCode(200)
                    .body("items.recordedBy", everyItem(notNullValue()));
            given().auth().oauth2(token).get("/api/trials/{id}/results", WITH_RESULTS).then().statusCode(200)
                    .body("items.postedBy", hasItem("curator@trialwatch.local"));
        }
    }

    private static void assertAuthorsHidden(java.util.function.Supplier<RequestSpecification> as) {
        as.get().get("/api/trials/{id}/history", WITH_HISTORY).then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.greaterThan(0))
                .body("items", everyItem(not(hasKey("recordedBy"))));
        as.get().get("/api/trials/{id}/results", WITH_RESULTS).then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.greaterThan(0))
                .body("items", everyItem(not(hasKey("postedBy"))));
    }
}
