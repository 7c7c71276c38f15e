package org.trialwatch.notification.rest;

import org.trialwatch.notification.testing.Api;
import org.trialwatch.notification.testing.GreenMailResource;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.TestTokens;

@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(GreenMailResource.class)
class SubscriptionApiIT {

    private static final String TEAM_A = "team-a";
    private static final String TEAM_B = "team-b";
    /** A trial no test publishes: these subscriptions exist to be read and changed, not to receive. */
    private static final Map<String, Object> QUIET = Map.of("nctIds", List.of("NCT00000001"));

    @Test
    void webhookSubscriptionIsCreatedWithASecretShownOnce() {
        String id = given().auth().oauth2(TestTokens.subscriber(TEAM_A)).contentType(ContentType.JSON)
                .body(Map.of("name", "KRAS terminations", "channel", "webhook", "url", "http://127.0.0.1:9/hook",
                        "filter", Map.of("nctIds", List.of("NCT00000001"), "mechanisms", List.of("KRAS"), "statusTransitions", List.of("->TERMINATED"))))
                .when().post("/api/subscriptions")
                .then().statusCode(201)
                .header("Location", containsString("/api/subscriptions/"))
                .body("team", equalTo(TEAM_A))
                .body("channel", equalTo("webhook"))
                .body("enabled", equalTo(true))
                .body("secret", matchesPattern("whsec_[A-Za-z0-9+/=]{40,}"))
                .body("filter.mechanisms", equalTo(List.of("KRAS")))
                .extract().path("id");

        given().auth().oauth2(TestTokens.subscriber(TEAM_A)).when().get("/api/subscriptions/" + id)
                .then().statusCode(200).body("id", equalTo(id)).body("secret", nullValue());
        given().auth().oauth2(TestTokens.subscriber(TEAM_A)).when().get("/api/subscriptions")
                .then().statusCode(200).body("items.id", hasItem(id)).body("items.team", everyItem(equalTo(TEAM_A)));
    }

    @Test
    void teamComesFromTheTokenNotTheBody() {
        given().auth().oauth2(TestTokens.subscriber(TEAM_A)).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "channel", "email", "email", "a@example.org", "team", TEAM_B))
                .when().post("/api/subscriptions")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("team"));
    }

    @Test
    void anotherTeamsSubscriptionIsNotFoundWhateverTheMethod() {
        Api.Created a = Api.webhook(TEAM_A, "http://127.0.0.1:9/a", QUIET);
        String path = "/api/subscriptions/" + a.id();
        String b = TestTokens.subscriber(TEAM_B);
        given().auth().oauth2(b).when().get(path).then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(b).contentType(ContentType.JSON).body(Map.of("name", "mine now"))
                .when().patch(path).then().statusCode(404);
        given().auth().oauth2(b).when().delete(path).then().statusCode(404);
        given().auth().oauth2(b).when().get(path + "/deliveries").then().statusCode(404);
        given().auth().oauth2(b).when().post(path + "/test").then().statusCode(404);
        given().auth().oauth2(b).when().post(path + "/rotate-secret").then().statusCode(404);
        given().auth().oauth2(b).when().get("/api/subscriptions").then().statusCode(200).body("items.id", not(hasItem(a.id())));
        // still there, unchanged, for its own team
        given().auth().oauth2(TestTokens.subscriber(TEAM_A)).when().get(path)
                .then().statusCode(200).body("name", startsWith("hook "));
    }

    @Test
    void operatorsListEveryTeam() {
        Api.Created a = Api.webhook(TEAM_A, "http://127.0.0.1:9/op-a", QUIET);
        Api.Created b = Api.webhook(TEAM_B, "http://127.0.0.1:9/op-b", QUIET);
        given().auth().oauth2(TestTokens.operator()).when().get("/api/subscriptions")
                .then().statusCode(200).body("items.id", hasItems(a.id(), b.id()));
        given().auth().oauth2(TestTokens.operator()).when().get("/api/subscriptions/" + b.id())
                .then().statusCode(200).body("team", equalTo(TEAM_B));
    }

    @Test
    void patchChangesFilterAndDeleteRemoves() {
        Api.Created a = Api.webhook(TEAM_A, "http://127.0.0.1:9/patch", QUIET);
        String path = "/api/subscriptions/" + a.id();
        given().auth().oauth2(TestTokens.subscriber(TEAM_A)).contentType(ContentType.JSON)
                .body(Map.of("filter", Map.of("tumourTypes", List.of("BTC")), "enabled", false))
                .when().patch(path)
                .then().statusCode(200).body("filter.tumourTypes", equalTo(List.of("BTC"))).body("enabled", equalTo(false));
        given().auth().oauth2(TestTokens.subscriber(TEAM_A)).when().delete(path).then().statusCode(204);
        given().auth().oauth2(TestTokens.subscriber(TEAM_A)).when().get(path).then().statusCode(404);
    }

    @Test
    void rotationReturnsANewSecretAndKeepsTheOldOneForADay() {
        Api.Created a = Api.webhook(TEAM_A, "http://127.0.0.1:9/rotate", QUIET);
        given().auth().oauth2(TestTokens.subscriber(TEAM_A)).when().post("/api/subscriptions/" + a.id() + "/rotate-secret")
                .then().statusCode(200)
                .body("secret", allOf(startsWith("whsec_"), not(equalTo(a.secret()))))
                .body("previousSecretsValidUntil", not(nullValue()));
        Api.Created mail = Api.email(TEAM_A, "rotate@example.org", QUIET);
        given().auth().oauth2(TestTokens.subscriber(TEAM_A)).when().post("/api/subscriptions/" + mail.id() + "/rotate-secret")
                .then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void badInputIsAProblemNamingTheField() {
        given().auth().oauth2(TestTokens.subscriber(TEAM_A)).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "channel", "webhook", "url", "http://127.0.0.1:9/x",
                        "filter", Map.of("nctIds", List.of("NCT1"), "statusTransitions", List.of("->FINISHED"))))
                .when().post("/api/subscriptions")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", containsString("invalid-request")).body("status", equalTo(400))
                .body("instance", equalTo("/api/subscriptions"))
                .body("errors.field", hasItems("filter.nctIds[0]", "filter.statusTransitions[0]"));
        given().auth().oauth2(TestTokens.subscriber(TEAM_A)).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "channel", "pigeon"))
                .when().post("/api/subscriptions")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("channel"));
        given().auth().oauth2(TestTokens.subscriber(TEAM_A)).contentType(ContentType.JSON).body("{not json")
                .when().post("/api/subscriptions")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.subscriber(TEAM_A)).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "channel", "email"))
                .when().post("/api/subscriptions")
                .then().statusCode(400).body("errors.field", hasItem("email"));
    }

    @Test
    void ssrfTargetsAreRefusedNamingTheUrlField() {
        for (String url : List.of("https://localhost/hook", "https://169.254.169.254/latest/meta-data",
                "https://10.0.0.7/hook", "https://[fd00:ec2::254]/", "http://hooks.example.org/hook",
                "https://127.0.0.1.nip.invalid/")) {
            given().auth().oauth2(TestTokens.subscriber(TEAM_A)).contentType(ContentType.JSON)
                    .body(Map.of("name", "x", "channel", "webhook", "url", url))
                    .when().post("/api/subscriptions")
                    .then().statusCode(422).contentType("application/problem+json")
                    .body("title", equalTo("Webhook target refused"))
                    .body("errors[0].field", equalTo("url"));
        }
    }

    @Test
    void callersWithoutTheRightTokenAreRefusedWithProblems() {
        given().when().get("/api/subscriptions").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2("not-a-jwt").when().get("/api/subscriptions").then().statusCode(401);
        given().auth().oauth2(TestTokens.curator()).when().get("/api/subscriptions")
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "channel", "email", "email", "o@example.org"))
                .when().post("/api/subscriptions").then().statusCode(403).body("detail", containsString("team"));
        given().auth().oauth2(TestTokens.subscriber(TEAM_A)).when().get("/api/subscriptions/not-a-uuid")
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.subscriber(TEAM_A)).when().get("/api/dead-letters")
                .then().statusCode(403).contentType("application/problem+json");
    }
}
