package org.trialwatch.evidence.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Every list answers {items, next, limit}, as the registry's do; NCT ids are case-insensitive. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
class ListEnvelopeIT {

    @Test
    void evidenceRowsComeAsItemsOnOnePage() {
        JsonPath table = given().accept("application/json").get("/api/evidence?table=1").then().statusCode(200)
                .extract().jsonPath();
        List<String> ids = table.getList("items.id", String.class);
        assertThat(ids).isNotEmpty().startsWith("T1-R1");
        assertThat(table.getInt("limit")).isEqualTo(ids.size());
        assertThat(table.getMap("$")).containsKey("next");
        assertThat(table.getString("next")).isNull();
        // "rows" is the deprecated name of the same list, kept for older clients
        assertThat(table.getList("rows.id", String.class)).isEqualTo(ids);
    }

    @Test
    void summariesPageWithNextLikeEveryOtherList() {
        List<String> seen = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            JsonPath page = given().queryParam("limit", 10).queryParam("cursor", next == null ? new Object[0] : new Object[] {next})
                    .get("/api/summaries").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.groupKey", String.class));
            assertThat(page.getString("nextCursor")).isEqualTo(page.getString("next"));
            next = page.getString("next");
            pages++;
        } while (next != null && pages < 100);
        assertThat(pages).isGreaterThan(1);
        assertThat(seen).doesNotHaveDuplicates().hasSize(given().queryParam("limit", 200).get("/api/summaries").then()
                .extract().jsonPath().getList("items").size());
    }

    @Test
    void lowerCaseNctIdsAreReadAsTheCanonicalId() {
        given().get("/api/trials/nct04753879/evidence").then().statusCode(200).body("nctId", equalTo("NCT04753879"));
        List<String> lower = given().accept("application/json").get("/api/evidence?nctId=nct04753879").then()
                .statusCode(200).extract().jsonPath().getList("items.id", String.class);
        assertThat(lower).isNotEmpty().isEqualTo(given().accept("application/json")
                .get("/api/evidence?nctId=NCT04753879").then().extract().jsonPath().getList("items.id", String.class));
    }
}
