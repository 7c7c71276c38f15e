package org.trialwatch.notification.rest;

import org.trialwatch.notification.testing.Api;
import org.trialwatch.notification.testing.GreenMailResource;
import org.trialwatch.notification.testing.SseClient;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.TestTokens;

/** Over a quota the answer is 429 with Retry-After and a problem, and nothing is created; hostile names are refused. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(GreenMailResource.class)
class QuotaAndInputIT {

    private static final Map<String, Object> QUIET = Map.of("nctIds", List.of("NCT00000001"));

    @io.quarkus.test.common.http.TestHTTPResource("/api/stream")
    java.net.URL stream;

    private static int count(String team) {
        return given().auth().oauth2(TestTokens.subscriber(team)).queryParam("limit", 200).when().get("/api/subscriptions")
                .then().statusCode(200).extract().jsonPath().getList("items").size();
    }

    @Test
    void aTeamHasAtMostOneHundredSubscriptions() {
        String team = "team-quota";
        for (int i = 0; i < 100; i++) {
            Api.email(team, "q" + i + "@example.org", QUIET);
        }
        given().auth().oauth2(TestTokens.subscriber(team)).contentType(ContentType.JSON)
                .body(Map.of("name", "one too many", "channel", "email", "email", "q100@example.org"))
                .when().post("/api/subscriptions")
                .then().statusCode(429).contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", endsWith("too-many-requests"));
        assertThat(count(team)).isEqualTo(100);
        // another team is not affected
        Api.email("team-quota-other", "other@example.org", QUIET);

        // the list comes in pages that follow a cursor, newest first, each subscription once
        java.util.Set<String> seen = new java.util.HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            var ask = given().auth().oauth2(TestTokens.subscriber(team)).queryParam("limit", 40);
            io.restassured.response.Response page = (cursor == null ? ask : ask.queryParam("cursor", cursor))
                    .when().get("/api/subscriptions");
            page.then().statusCode(200).body("limit", equalTo(40));
            seen.addAll(page.jsonPath().getList("items.id", String.class));
            cursor = page.jsonPath().getString("next");
            // the Link header names the same next page, for clients that follow links
            String link = page.header("Link");
            assertThat(link == null ? null : link.substring(link.indexOf("cursor=") + 7, link.indexOf('&', link.indexOf("cursor="))))
                    .isEqualTo(cursor);
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(100);
        given().auth().oauth2(TestTokens.subscriber(team)).when().get("/api/subscriptions?cursor=bogus")
                .then().statusCode(400).body("errors[0].field", equalTo("cursor"));
        given().auth().oauth2(TestTokens.subscriber(team)).when().get("/api/subscriptions?limit=201")
                .then().statusCode(400).body("errors[0].field", equalTo("limit"));
    }

    @Test
    void testSendsAreRateLimitedPerSubscription() {
        String team = "team-test-rate";
        Api.Created first = Api.webhook(team, Api.acceptingUrl("/rate-1"), QUIET);
        for (int i = 0; i < 10; i++) {
            given().auth().oauth2(TestTokens.subscriber(team)).when().post("/api/subscriptions/" + first.id() + "/test")
                    .then().statusCode(202);
        }
        int retryAfter = Integer.parseInt(given().auth().oauth2(TestTokens.subscriber(team))
                .when().post("/api/subscriptions/" + first.id() + "/test")
                .then().statusCode(429).contentType("application/problem+json")
                .body("type", endsWith("too-many-requests"))
                .extract().header("Retry-After"));
        assertThat(retryAfter).isBetween(1, 3600);
        Api.Created second = Api.webhook(team, Api.acceptingUrl("/rate-2"), QUIET);
        given().auth().oauth2(TestTokens.subscriber(team)).when().post("/api/subscriptions/" + second.id() + "/test")
                .then().statusCode(202);
        assertThat(Api.deliveries(team, first.id()).getList("deliveries")).hasSize(10);
    }

    @Test
    void everyFilterValueIsValidatedIncludingEvidenceGroups() {
        String team = "team-filter";
        for (Map<String, Object> filter : List.<Map<String, Object>>of(
                Map.of("evidenceGroups", List.of("not a group")),
                Map.of("evidenceGroups", List.of("PC.any-line.targeted")),
                Map.of("mechanisms", List.of("K".repeat(201))))) {
            given().auth().oauth2(TestTokens.subscriber(team)).contentType(ContentType.JSON)
                    .body(Map.of("name", "f", "channel", "email", "email", "f@example.org", "filter", filter))
                    .when().post("/api/subscriptions")
                    .then().statusCode(400).contentType("application/problem+json");
        }
        assertThat(count(team)).isZero();
        given().auth().oauth2(TestTokens.subscriber(team)).contentType(ContentType.JSON)
                .body(Map.of("name", "f", "channel", "email", "email", "f@example.org",
                        "filter", Map.of("evidenceGroups", List.of("PC.any-line.targeted.KRAS"))))
                .when().post("/api/subscriptions").then().statusCode(201);
    }

    @Test
    void aTeamHasAtMostItsShareOfLiveStreams() throws Exception {
        // the test profile allows 6 per team (and 8 per replica); nothing else in this class streams
        java.net.URI uri = java.net.URI.create(stream + "?nctId=NCT00000001");
        List<SseClient> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                SseClient client = SseClient.connect(uri, TestTokens.subscriber("team-sse-a"), null);
                open.add(client);
                assertThat(client.status()).isEqualTo(200);
            }
            try (SseClient refused = SseClient.connect(uri, TestTokens.subscriber("team-sse-a"), null)) {
                assertThat(refused.status()).isEqualTo(429);
                assertThat(refused.header("content-type")).startsWith("application/problem+json");
                assertThat(refused.header("retry-after")).isNotBlank();
            }
            SseClient otherTeam = SseClient.connect(uri, TestTokens.subscriber("team-sse-b"), null);
            open.add(otherTeam);
            assertThat(otherTeam.status()).isEqualTo(200);
        } finally {
            for (SseClient client : open) {
                client.close();
            }
        }
    }

    @Test
    void namesAndAddressesWithLineBreaksAreRefused() {
        String team = "team-crlf";
        for (Map<String, Object> body : List.<Map<String, Object>>of(
                Map.of("name", "ok\r\nBcc: victim@example.org", "channel", "email", "email", "a@example.org"),
                Map.of("name", "tab\tname", "channel", "email", "email", "a@example.org"),
                Map.of("name", "fine", "channel", "email", "email", "a@example.org", "contactEmail", "b@example.org\nBcc: x@example.org"))) {
            given().auth().oauth2(TestTokens.subscriber(team)).contentType(ContentType.JSON).body(body)
                    .when().post("/api/subscriptions")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors.reason", hasItem(org.hamcrest.Matchers.containsString("control characters")));
        }
        assertThat(count(team)).isZero();
        Api.Created ok = Api.email(team, "c@example.org", QUIET);
        given().auth().oauth2(TestTokens.subscriber(team)).contentType(ContentType.JSON).body(Map.of("name", "x\ry"))
                .when().patch("/api/subscriptions/" + ok.id()).then().statusCode(400);
        given().auth().oauth2(TestTokens.subscriber(team)).when().get("/api/subscriptions/" + ok.id())
                .then().body("name", equalTo("mail c@example.org"));
    }
}
