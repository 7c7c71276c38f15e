package org.trialwatch.notification.it;

import static io.restassured.RestAssured.given;

import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import org.trialwatch.testbed.TestTokens;

/** The subscription API as a team uses it. */
public final class Api {

    private Api() {
    }

    public record Created(String id, String secret) {
    }

    public static Created webhook(String team, String url, Map<String, Object> filter) {
        return create(team, Map.of("name", "hook " + url, "channel", "webhook", "url", url,
                "contactEmail", team + "-ops@example.org", "filter", filter));
    }

    public static Created email(String team, String address, Map<String, Object> filter) {
        return create(team, Map.of("name", "mail " + address, "channel", "email", "email", address, "filter", filter));
    }

    private static Created create(String team, Map<String, Object> body) {
        JsonPath json = given().auth().oauth2(TestTokens.subscriber(team)).contentType(ContentType.JSON).body(body)
                .when().post("/api/subscriptions")
                .then().statusCode(201).extract().jsonPath();
        return new Created(json.getString("id"), json.getString("secret"));
    }

    public static JsonPath deliveries(String team, String subscriptionId) {
        return given().auth().oauth2(TestTokens.subscriber(team))
                .when().get("/api/subscriptions/" + subscriptionId + "/deliveries")
                .then().statusCode(200).extract().jsonPath();
    }
}
