package org.trialwatch.notification.rest;

import org.trialwatch.notification.testing.Api;
import org.trialwatch.notification.testing.GreenMailResource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.TestTokens;

/** What every client of the API can rely on: list envelopes, canonical NCT ids, an OpenAPI that tells the truth. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(GreenMailResource.class)
class ApiConventionsIT {

    private static final String TEAM = "team-conventions";

    @Test
    void theDeliveryLogIsAListEnvelopeLikeEveryOtherList() {
        Api.Created sub = Api.webhook(TEAM, Api.acceptingUrl("/hook"), Map.of("nctIds", List.of("NCT00000002")));
        given().auth().oauth2(TestTokens.subscriber(TEAM)).post("/api/subscriptions/" + sub.id() + "/test")
                .then().statusCode(202);
        JsonPath page = given().auth().oauth2(TestTokens.subscriber(TEAM)).queryParam("limit", 10)
                .get("/api/subscriptions/" + sub.id() + "/deliveries").then().statusCode(200).extract().jsonPath();
        assertThat(page.getList("items")).hasSize(1);
        assertThat(page.getInt("limit")).isEqualTo(10);
        assertThat(page.getMap("$")).containsKey("next");
        assertThat(page.getString("next")).isNull();
        // the name the log had before: kept for older clients, the same list
        assertThat(page.getList("deliveries")).isEqualTo(page.getList("items"));
    }

    @Test
    void theSubscriptionListIsAPageThatFollowsItsCursor() {
        String team = "team-conventions-pages";
        List<String> created = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            created.add(Api.email(team, "page" + i + "@example.org", Map.of("nctIds", List.of("NCT00000003"))).id());
        }
        JsonPath first = given().auth().oauth2(TestTokens.subscriber(team)).queryParam("limit", 2)
                .get("/api/subscriptions").then().statusCode(200).extract().jsonPath();
        assertThat(first.getInt("limit")).isEqualTo(2);
        assertThat(first.getString("next")).isNotNull();
        JsonPath second = given().auth().oauth2(TestTokens.subscriber(team)).queryParam("limit", 2)
                .queryParam("cursor", first.getString("next")).get("/api/subscriptions").then().statusCode(200)
                .extract().jsonPath();
        assertThat(second.getMap("$")).containsEntry("next", null);
        List<String> seen = new java.util.ArrayList<>(first.getList("items.id", String.class));
        seen.addAll(second.getList("items.id", String.class));
        // newest first, each once
        java.util.Collections.reverse(created);
        assertThat(seen).containsExactlyElementsOf(created);
        // without a limit: the default page size every service uses
        given().auth().oauth2(TestTokens.subscriber(team)).get("/api/subscriptions").then().statusCode(200)
                .body("limit", equalTo(50)).body("items", org.hamcrest.Matchers.hasSize(3));
    }

    @Test
    void aLimitOrCursorThatIsNotOneIsAProblemNamingIt() {
        String sub = Api.email(TEAM, "limits@example.org", Map.of("nctIds", List.of("NCT00000004"))).id();
        Map<String, String> lists = Map.of("/api/subscriptions", TestTokens.subscriber(TEAM),
                "/api/subscriptions/" + sub + "/deliveries", TestTokens.subscriber(TEAM),
                "/api/dead-letters", TestTokens.operator());
        lists.forEach((path, token) -> {
            for (String limit : List.of("abc", "0", "201")) {
                given().auth().oauth2(token).queryParam("limit", limit).get(path).then().statusCode(400)
                        .contentType("application/problem+json").body("errors[0].field", equalTo("limit"));
            }
            given().auth().oauth2(token).queryParam("cursor", "bogus").get(path).then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("cursor"));
        });
    }

    @Test
    void lowerCaseNctIdsInAFilterAreKeptInTheirCanonicalForm() {
        String id = given().auth().oauth2(TestTokens.subscriber(TEAM)).contentType(ContentType.JSON)
                .body(Map.of("name", "typed by hand", "channel", "email", "email", "team@example.org",
                        "filter", Map.of("nctIds", List.of("nct05379985"))))
                .post("/api/subscriptions").then().statusCode(201)
                .body("filter.nctIds", equalTo(List.of("NCT05379985"))).extract().path("id");
        given().auth().oauth2(TestTokens.subscriber(TEAM)).contentType(ContentType.JSON)
                .body(Map.of("filter", Map.of("nctIds", List.of("nct05737706", "NCT06128551"))))
                .patch("/api/subscriptions/" + id).then().statusCode(200)
                .body("filter.nctIds", equalTo(List.of("NCT05737706", "NCT06128551")));
        given().auth().oauth2(TestTokens.subscriber(TEAM)).get("/api/subscriptions/" + id).then().statusCode(200)
                .body("filter.nctIds", equalTo(List.of("NCT05737706", "NCT06128551")));
    }

    @Test
    void openApiNamesTheStatusCodesTheCodeAnswers() {
        JsonPath doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        assertThat(doc.getMap("paths.'/api/subscriptions'.post.responses")).containsKey("201").doesNotContainKey("200");
        assertThat(doc.getMap("paths.'/api/subscriptions/{id}'.delete.responses")).containsKey("204")
                .doesNotContainKey("200");
        assertThat(doc.getMap("paths.'/api/subscriptions/{id}/test'.post.responses")).containsKey("202")
                .doesNotContainKey("200");
        assertThat(doc.getMap("paths.'/api/notifications/{id}/replay'.post.responses")).containsKey("202")
                .doesNotContainKey("200");
        // the lists document the page they answer
        for (String list : List.of("/api/subscriptions", "/api/dead-letters")) {
            String ref = doc.getString("paths.'" + list + "'.get.responses.'200'.content.'application/json'.schema.$ref");
            assertThat(ref).as(list).startsWith("#/components/schemas/");
            assertThat(doc.getMap("components.schemas.'" + ref.substring("#/components/schemas/".length()) + "'.properties"))
                    .as(list).containsKeys("items", "next", "limit");
        }
    }
}
