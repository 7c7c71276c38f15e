package org.trialwatch.registry.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.TestTokens;

/**
 * The trial list as a dashboard reads it, over and over (ADR 0009): a page a curator just changed shows the change on
 * the very next read, whichever way the change was written; a page that did not change answers 304 to its ETag, and
 * 200 with the new page and a new ETag once it did.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(org.trialwatch.registry.ctgov.CtgovWireMockResource.class)
class TrialListReadsIT {

    private static JsonPath list(String q) {
        return given().queryParam("q", q).get("/api/trials").then().statusCode(200).extract().jsonPath();
    }

    private static void register(String nctId, String title) {
        given().auth().oauth2(TestTokens.curator()).contentType(ContentType.JSON)
                .body("{\"nctId\":\"" + nctId + "\",\"briefTitle\":\"" + title + "\",\"tumourTypes\":[\"PC\"]}")
                .post("/api/trials").then().statusCode(201);
    }

    @Test
    void aListReadRightAfterAWriteShowsTheWrite() {
        // read first, so the page is the one kept for this query
        assertThat(list("quokka").getList("items")).isEmpty();

        register("NCT09994101", "Quokka first");
        assertThat(list("quokka").getList("items.nctId", String.class)).containsExactly("NCT09994101");

        register("NCT09994102", "Quokka second");
        JsonPath both = list("quokka");
        assertThat(both.getList("items.nctId", String.class)).containsExactly("NCT09994101", "NCT09994102");
        assertThat(both.getList("items.overallStatus", String.class)).containsOnlyNulls();

        // a status change is written in plain SQL, not through the entity
        given().auth().oauth2(TestTokens.curator()).header("If-Match", TrialApiIT.etagOf("NCT09994101"))
                .contentType(ContentType.JSON).body("{\"newStatus\":\"RECRUITING\",\"effectiveDate\":\"2025-01-02\"}")
                .post("/api/trials/NCT09994101/status-changes").then().statusCode(201);
        assertThat(list("quokka").getString("items[0].overallStatus")).isEqualTo("RECRUITING");
        assertThat(list("quokka").getBoolean("items[0].statusVerified")).isTrue();

        // a merge patch goes through the entity
        given().auth().oauth2(TestTokens.curator()).header("If-Match", TrialApiIT.etagOf("NCT09994102"))
                .contentType(ContentType.JSON).body("{\"acronym\":\"QUOKKA-2\"}")
                .patch("/api/trials/NCT09994102").then().statusCode(200);
        assertThat(list("quokka").getString("items[1].acronym")).isEqualTo("QUOKKA-2");
        assertThat(list("quokka").getLong("items[1].version"))
                .isEqualTo(given().get("/api/trials/NCT09994102").then().extract().jsonPath().getLong("version"));
    }

    @Test
    void anUnchangedPageAnswers304ToItsETagAndAChangedOne200WithANewETag() {
        register("NCT09994201", "Wombat only");
        Response first = given().queryParam("q", "wombat").get("/api/trials");
        first.then().statusCode(200).contentType(ContentType.JSON);
        String etag = first.header("ETag");
        assertThat(etag).isNotBlank();
        assertThat(first.jsonPath().getList("items.nctId", String.class)).containsExactly("NCT09994201");

        given().queryParam("q", "wombat").header("If-None-Match", etag).get("/api/trials").then()
                .statusCode(304).header("ETag", equalTo(etag)).body(emptyString());
        // the same page asked for again is the same bytes with the same ETag
        Response again = given().queryParam("q", "wombat").get("/api/trials");
        assertThat(again.header("ETag")).isEqualTo(etag);
        assertThat(again.asString()).isEqualTo(first.asString());

        given().auth().oauth2(TestTokens.curator()).header("If-Match", TrialApiIT.etagOf("NCT09994201"))
                .contentType(ContentType.JSON).body("{\"sponsor\":\"Wombat Labs\"}")
                .patch("/api/trials/NCT09994201").then().statusCode(200);
        Response changed = given().queryParam("q", "wombat").header("If-None-Match", etag).get("/api/trials");
        changed.then().statusCode(200).body("items[0].sponsor", equalTo("Wombat Labs"));
        assertThat(changed.header("ETag")).isNotBlank().isNotEqualTo(etag);
        given().queryParam("q", "wombat").header("If-None-Match", changed.header("ETag")).get("/api/trials").then()
                .statusCode(304);
    }

    @Test
    void pagesOfOtherQueriesAndBadQueriesStayApart() {
        register("NCT09994301", "Numbat one");
        register("NCT09994302", "Numbat two");
        JsonPath firstPage = given().queryParam("q", "numbat").queryParam("limit", 1).get("/api/trials").then()
                .statusCode(200).extract().jsonPath();
        assertThat(firstPage.getList("items.nctId", String.class)).containsExactly("NCT09994301");
        JsonPath secondPage = given().queryParam("q", "numbat").queryParam("limit", 1)
                .queryParam("cursor", firstPage.getString("next")).get("/api/trials").then().statusCode(200)
                .extract().jsonPath();
        assertThat(secondPage.getList("items.nctId", String.class)).containsExactly("NCT09994302");
        assertThat(secondPage.getString("next")).isNull();
        // a bad query is still a problem every time, never a kept page
        for (int i = 0; i < 2; i++) {
            given().queryParam("q", "numbat").queryParam("limit", "many").get("/api/trials").then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("limit"));
        }
        assertThat(List.of(firstPage.getInt("limit"), secondPage.getInt("limit"))).containsExactly(1, 1);
    }
}
