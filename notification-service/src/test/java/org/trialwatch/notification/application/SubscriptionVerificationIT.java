package org.trialwatch.notification.application;

import org.trialwatch.notification.testing.Api;
import org.trialwatch.notification.testing.ContractEvents;
import org.trialwatch.notification.testing.GreenMailResource;
import org.trialwatch.notification.testing.Mailbox;
import org.trialwatch.notification.testing.Signatures;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import org.eclipse.microprofile.config.ConfigProvider;
import org.trialwatch.events.EventJson;
import org.trialwatch.events.TrialStatus;
import org.trialwatch.notification.delivery.mail.ConfirmationTokens;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.TestTokens;
import org.trialwatch.testbed.WebhookReceiver;

/**
 * Nothing is delivered to a target that has not agreed to it: an e-mail address confirms by following the signed
 * link mailed to it, a webhook endpoint by answering the signed verification event with 2xx. Until then the
 * subscription matches nothing. A second, verified subscription on the same trial is the witness that each event was
 * taken in (intake creates every subscription's notification of an event in one transaction).
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(GreenMailResource.class)
class SubscriptionVerificationIT {

    private static final String TEAM = "team-verify";
    private static WebhookReceiver receiver;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = WebhookReceiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    void anEmailAddressGetsNothingUntilItFollowsTheLinkMailedToIt() throws Exception {
        String nct = "NCT90000301";
        String address = "verify-me@example.org";
        Api.Created witness = Api.webhook(TEAM, receiver.url("/witness-mail"), Map.of("nctIds", List.of(nct)));
        Api.Created sub = Api.email(TEAM, address, Map.of("nctIds", List.of(nct)));
        given().auth().oauth2(TestTokens.subscriber(TEAM)).get("/api/subscriptions/" + sub.id()).then().statusCode(200)
                .body("verification.status", equalTo("pending"))
                .body("verification.reason", containsString("confirm"));
        await().atMost(Duration.ofSeconds(20)).until(() -> Api.confirmationLink(address) != null);
        assertThat(Mailbox.to(address)).hasSize(1);

        ContractEvents.publish(ContractEvents.statusChange(nct, 2, TrialStatus.RECRUITING, TrialStatus.SUSPENDED));
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.at("/witness-mail").size() == 1);
        assertThat(Api.deliveries(TEAM, sub.id()).getList("items")).as("no delivery for an unconfirmed address").isEmpty();
        assertThat(Mailbox.to(address)).as("only the confirmation mail").hasSize(1);

        // the owner of the address follows the link, without any token
        Api.confirm(address);
        given().auth().oauth2(TestTokens.subscriber(TEAM)).get("/api/subscriptions/" + sub.id()).then().statusCode(200)
                .body("verification.status", equalTo("verified")).body("verification.verifiedAt", notNullValue());

        ContractEvents.publish(ContractEvents.statusChange(nct, 3, TrialStatus.SUSPENDED, TrialStatus.RECRUITING));
        await().atMost(Duration.ofSeconds(20)).until(() -> Mailbox.to(address).size() == 2);
        assertThat(Mailbox.to(address).get(1).body()).contains(nct + " changed status: SUSPENDED -> RECRUITING");
        assertThat(Api.deliveries(TEAM, sub.id()).getList("items")).hasSize(1);
        assertThat(receiver.at("/witness-mail")).hasSize(2);
        assertThat(witness.id()).isNotNull();
    }

    @Test
    void aLinkConfirmsOnlyItsOwnSubscriptionAndAddressAndOnlyUntilItExpires() throws Exception {
        String address = "links@example.org";
        Api.Created sub = Api.email(TEAM, address, Map.of("nctIds", List.of("NCT90000302")));
        Api.Created other = Api.email(TEAM, "someone-else@example.org", Map.of("nctIds", List.of("NCT90000302")));
        await().atMost(Duration.ofSeconds(20)).until(() -> Api.confirmationLink(address) != null);
        URI link = URI.create(Api.confirmationLink(address));
        String query = link.getRawQuery();

        // the same token on another subscription, a changed token, no token, a forged expiry: 403, nothing confirmed
        for (String path : List.of("/api/subscriptions/" + other.id() + "/confirm?" + query,
                "/api/subscriptions/" + sub.id() + "/confirm?" + query + "x",
                "/api/subscriptions/" + sub.id() + "/confirm?" + query.replaceFirst("&token=.*", ""),
                "/api/subscriptions/" + sub.id() + "/confirm?" + query.replaceFirst("expires=\\d+", "expires=4102444800"))) {
            given().urlEncodingEnabled(false).get(path).then().statusCode(403)
                    .contentType("application/problem+json").body("type", endsWith("invalid-confirmation-link"));
        }
        // a link that was signed right but has expired: 410, and the team can send a new one
        ConfirmationTokens tokens = ConfirmationTokens.fromBase64Key(ConfigProvider.getConfig()
                .getValue("trialwatch.mail.confirmation-key", String.class));
        Instant past = Instant.now().minusSeconds(60);
        given().queryParam("expires", past.getEpochSecond())
                .queryParam("token", tokens.token(UUID.fromString(sub.id()), address, past))
                .get("/api/subscriptions/" + sub.id() + "/confirm").then().statusCode(410)
                .contentType("application/problem+json").body("detail", containsString("/verify"));
        for (String id : List.of(sub.id(), other.id())) {
            given().auth().oauth2(TestTokens.subscriber(TEAM)).get("/api/subscriptions/" + id).then()
                    .body("verification.status", equalTo("pending"));
        }

        // the address is changed: the link mailed to the old one no longer confirms; the new address gets its own
        given().auth().oauth2(TestTokens.subscriber(TEAM)).contentType(ContentType.JSON)
                .body(Map.of("email", "links-new@example.org")).patch("/api/subscriptions/" + sub.id())
                .then().statusCode(200).body("verification.status", equalTo("pending"));
        given().urlEncodingEnabled(false).get(link.getRawPath() + "?" + query).then().statusCode(403);
        Api.confirm("links-new@example.org");
        given().auth().oauth2(TestTokens.subscriber(TEAM)).get("/api/subscriptions/" + sub.id()).then()
                .body("verification.status", equalTo("verified"));
    }

    @Test
    void theTeamCanAskForTheConfirmationMailAgainWithinItsRate() throws Exception {
        String address = "resend@example.org";
        Api.Created sub = Api.email(TEAM, address, Map.of("nctIds", List.of("NCT90000303")));
        await().atMost(Duration.ofSeconds(20)).until(() -> Mailbox.to(address).size() == 1);
        // creation took one of the five sends per subscription and hour: four more, then 429
        for (int i = 0; i < 4; i++) {
            given().auth().oauth2(TestTokens.subscriber(TEAM)).post("/api/subscriptions/" + sub.id() + "/verify")
                    .then().statusCode(200).body("verification.status", equalTo("pending"));
        }
        int retryAfter = Integer.parseInt(given().auth().oauth2(TestTokens.subscriber(TEAM))
                .post("/api/subscriptions/" + sub.id() + "/verify").then().statusCode(429)
                .contentType("application/problem+json").body("type", endsWith("too-many-requests"))
                .extract().header("Retry-After"));
        assertThat(retryAfter).isBetween(1, 3600);
        await().atMost(Duration.ofSeconds(20)).until(() -> Mailbox.to(address).size() == 5);
        // any of the links works
        Api.confirm(address);
        given().auth().oauth2(TestTokens.subscriber(TEAM)).post("/api/subscriptions/" + sub.id() + "/verify")
                .then().statusCode(200).body("verification.status", equalTo("verified"));
        assertThat(Mailbox.to(address)).hasSize(5);
        // a test send needs a verified target
        Api.Created pending = Api.email(TEAM, "not-yet@example.org", Map.of("nctIds", List.of("NCT90000303")));
        given().auth().oauth2(TestTokens.subscriber(TEAM)).post("/api/subscriptions/" + pending.id() + "/test")
                .then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void aWebhookStartsOnlyAfterItsEndpointAnswersTheSignedVerificationEvent() throws Exception {
        String nct = "NCT90000304";
        receiver.refuseVerification("/not-yet", 500);
        Api.Created witness = Api.webhook(TEAM, receiver.url("/witness-hook"), Map.of("nctIds", List.of(nct)));
        Api.Created sub = Api.webhook(TEAM, receiver.url("/not-yet"), Map.of("nctIds", List.of(nct)));
        given().auth().oauth2(TestTokens.subscriber(TEAM)).get("/api/subscriptions/" + sub.id()).then().statusCode(200)
                .body("verification.status", equalTo("pending"))
                .body("verification.reason", containsString("HTTP 500"));
        // the verification event is a signed Standard Webhooks message, checked with the secret just handed out
        WebhookReceiver.Received asked = receiver.verifications("/not-yet").get(0);
        Signatures.verifyWithReferenceLibrary(asked, sub.secret());
        JsonNode body = EventJson.mapper().readTree(asked.body());
        assertThat(body.path("type").asText()).isEqualTo("trialwatch.webhook.verification");
        assertThat(body.at("/data/subscriptionId").asText()).isEqualTo(sub.id());
        assertThat(body.at("/data/challenge").asText()).hasSizeGreaterThan(20);
        given().auth().oauth2(TestTokens.subscriber(TEAM)).post("/api/subscriptions/" + sub.id() + "/test")
                .then().statusCode(409);

        ContractEvents.publish(ContractEvents.statusChange(nct, 2, TrialStatus.RECRUITING, TrialStatus.SUSPENDED));
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.at("/witness-hook").size() == 1);
        assertThat(Api.deliveries(TEAM, sub.id()).getList("items")).as("nothing for an unverified endpoint").isEmpty();
        assertThat(receiver.at("/not-yet")).isEmpty();

        // the endpoint is fixed; the team asks again
        receiver.acceptVerification("/not-yet");
        given().auth().oauth2(TestTokens.subscriber(TEAM)).post("/api/subscriptions/" + sub.id() + "/verify")
                .then().statusCode(200).body("verification.status", equalTo("verified"));
        assertThat(receiver.verifications("/not-yet")).hasSize(2);
        assertThat(receiver.verifications("/not-yet").get(1).body())
                .isNotEqualTo(receiver.verifications("/not-yet").get(0).body());

        ContractEvents.publish(ContractEvents.statusChange(nct, 3, TrialStatus.SUSPENDED, TrialStatus.RECRUITING));
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.at("/not-yet").size() == 1);
        assertThat(receiver.at("/not-yet").get(0).body()).contains("\"newStatus\":\"RECRUITING\"");
        assertThat(Api.deliveries(TEAM, witness.id()).getList("items")).hasSize(2);
    }

    @Test
    void aWebhookPointedElsewhereIsVerifiedAgainBeforeAnythingGoesThere() {
        Api.Created sub = Api.webhook(TEAM, receiver.url("/first"), Map.of("nctIds", List.of("NCT90000305")));
        given().auth().oauth2(TestTokens.subscriber(TEAM)).get("/api/subscriptions/" + sub.id()).then()
                .body("verification.status", equalTo("verified"));
        receiver.refuseVerification("/moved", 404);
        given().auth().oauth2(TestTokens.subscriber(TEAM)).contentType(ContentType.JSON)
                .body(Map.of("url", receiver.url("/moved"))).patch("/api/subscriptions/" + sub.id())
                .then().statusCode(200).body("verification.status", equalTo("pending"))
                .body("verification.reason", containsString("HTTP 404"));
        assertThat(receiver.verifications("/moved")).hasSize(1);
        // pointed back at an endpoint that answers: verified again in the same request
        given().auth().oauth2(TestTokens.subscriber(TEAM)).contentType(ContentType.JSON)
                .body(Map.of("url", receiver.url("/first"))).patch("/api/subscriptions/" + sub.id())
                .then().statusCode(200).body("verification.status", equalTo("verified"));
        assertThat(receiver.verifications("/first")).hasSize(2);
        // a change that keeps the target keeps the verification, and asks nothing of the endpoint
        given().auth().oauth2(TestTokens.subscriber(TEAM)).contentType(ContentType.JSON)
                .body(Map.of("name", "renamed")).patch("/api/subscriptions/" + sub.id())
                .then().statusCode(200).body("verification.status", equalTo("verified"));
        assertThat(receiver.verifications("/first")).hasSize(2);
    }
}
