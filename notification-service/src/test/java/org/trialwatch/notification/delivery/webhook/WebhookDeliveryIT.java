package org.trialwatch.notification.delivery.webhook;

import org.trialwatch.notification.testing.Api;
import org.trialwatch.notification.testing.ContractEvents;
import org.trialwatch.notification.testing.GreenMailResource;
import org.trialwatch.notification.testing.Mailbox;
import org.trialwatch.notification.testing.Signatures;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import org.trialwatch.events.EventJson;
import org.trialwatch.events.TrialStatus;
import org.trialwatch.events.TrialStatusChanged;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.TestTokens;
import org.trialwatch.testbed.WebhookReceiver;

@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(GreenMailResource.class)
class WebhookDeliveryIT {

    private static final String TEAM = "team-hooks";
    private static WebhookReceiver receiver;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = WebhookReceiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    private static Map<String, Object> onTrial(String nctId, Map<String, Object> more) {
        Map<String, Object> filter = new java.util.HashMap<>(more);
        filter.put("nctIds", List.of(nctId));
        return filter;
    }

    @Test
    void statusChangeReachesTheMatchingWebhookSignedAndNobodyElse() throws Exception {
        String nct = "NCT90000001";
        ContractEvents.publish(ContractEvents.registered(nct, List.of("PC"), "KRAS G12D inhibitor", "targeted"));
        Api.Created matching = Api.webhook(TEAM, receiver.url("/match"), onTrial(nct,
                Map.of("tumourTypes", List.of("PC"), "mechanisms", List.of("KRAS"), "statusTransitions", List.of("->TERMINATED"))));
        Api.Created otherTransition = Api.webhook(TEAM, receiver.url("/completed-only"),
                onTrial(nct, Map.of("statusTransitions", List.of("->COMPLETED"))));
        Api.Created otherTumour = Api.webhook(TEAM, receiver.url("/btc-only"),
                onTrial(nct, Map.of("tumourTypes", List.of("BTC"))));

        TrialStatusChanged change = ContractEvents.statusChange(nct, 2, TrialStatus.RECRUITING, TrialStatus.TERMINATED);
        Instant published = Instant.now();
        ContractEvents.publish(change);

        await().atMost(Duration.ofSeconds(20)).until(() -> !receiver.at("/match").isEmpty());
        WebhookReceiver.Received got = receiver.at("/match").get(0);
        System.out.printf("status change delivered %d ms after it was published%n",
                Duration.between(published, got.at()).toMillis());
        Signatures.verifyWithReferenceLibrary(got, matching.secret());
        assertThat(Signatures.independentlyValid(got, matching.secret())).isTrue();
        assertThat(got.header("content-type")).startsWith("application/json");
        assertThat(got.header("traceparent")).as("tracing is off and the event carried no trace").isNull();
        JsonNode body = EventJson.mapper().readTree(got.body());
        assertThat(body.get("type").asText()).isEqualTo("trial.status_changed");
        assertThat(body.at("/data/eventId").asText()).isEqualTo(change.eventId());
        assertThat(body.at("/data/newStatus").asText()).isEqualTo("TERMINATED");
        assertThat(body.at("/data/links/trial").asText()).endsWith("/api/trials/" + nct);

        assertThat(Api.deliveries(TEAM, otherTransition.id()).getList("deliveries")).isEmpty();
        assertThat(Api.deliveries(TEAM, otherTumour.id()).getList("deliveries")).isEmpty();
        assertThat(receiver.at("/completed-only")).isEmpty();
        assertThat(receiver.at("/btc-only")).isEmpty();
        JsonPath log = Api.deliveries(TEAM, matching.id());
        assertThat(log.getString("deliveries[0].status")).isEqualTo("DELIVERED");
        assertThat(log.getInt("deliveries[0].attemptLog[0].statusCode")).isEqualTo(200);
    }

    @Test
    void theSameEventConsumedTwiceIsDeliveredOnce() {
        String nct = "NCT90000002";
        Api.webhook(TEAM, receiver.url("/dedupe"), onTrial(nct, Map.of()));
        TrialStatusChanged change = ContractEvents.statusChange(nct, 2, TrialStatus.RECRUITING, TrialStatus.SUSPENDED);
        ContractEvents.publish(change);
        ContractEvents.publish(change);
        TrialStatusChanged marker = ContractEvents.statusChange(nct, 3, TrialStatus.SUSPENDED, TrialStatus.RECRUITING);
        ContractEvents.publish(marker);

        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.at("/dedupe").stream()
                .anyMatch(r -> r.body().contains(marker.eventId())));
        assertThat(receiver.at("/dedupe")).hasSize(2);
        assertThat(receiver.at("/dedupe").stream().filter(r -> r.body().contains(change.eventId()))).hasSize(1);
    }

    @Test
    void aReceiverFailingThreeTimesGetsItOnTheFourthAttemptWithTheSameWebhookId() throws Exception {
        String nct = "NCT90000003";
        Api.Created sub = Api.webhook(TEAM, receiver.url("/flaky"), onTrial(nct, Map.of()));
        receiver.script("/flaky", 500, 503, 302);
        ContractEvents.publish(ContractEvents.statusChange(nct, 2, TrialStatus.RECRUITING, TrialStatus.COMPLETED));

        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.at("/flaky").size() >= 4);
        List<WebhookReceiver.Received> attempts = receiver.at("/flaky");
        assertThat(attempts).hasSize(4);
        assertThat(attempts).extracting(r -> r.header("webhook-id")).containsOnly(attempts.get(0).header("webhook-id"));
        for (WebhookReceiver.Received attempt : attempts) {
            Signatures.verifyWithReferenceLibrary(attempt, sub.secret());
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonPath log = Api.deliveries(TEAM, sub.id());
            assertThat(log.getString("deliveries[0].status")).isEqualTo("DELIVERED");
            assertThat(log.getList("deliveries[0].attemptLog.statusCode")).containsExactly(500, 503, 302, 200);
            assertThat(log.getList("deliveries[0].attemptLog.outcome"))
                    .containsExactly("FAILED", "FAILED", "FAILED", "SUCCEEDED");
            assertThat(log.getString("deliveries[0].attemptLog[2].error")).contains("not followed");
        });
        assertThat(receiver.at("/redirected")).isEmpty();
    }

    @Test
    void aDeadLetteredNotificationCanBeReplayed() {
        String nct = "NCT90000004";
        Api.Created sub = Api.webhook(TEAM, receiver.url("/down"), onTrial(nct, Map.of()));
        receiver.answerAlways("/down", 500);
        ContractEvents.publish(ContractEvents.statusChange(nct, 2, TrialStatus.RECRUITING, TrialStatus.WITHDRAWN));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Api.deliveries(TEAM, sub.id()).getString("deliveries[0].status")).isEqualTo("DEAD"));
        JsonPath dead = Api.deliveries(TEAM, sub.id());
        assertThat(dead.getList("deliveries[0].attemptLog")).hasSize(4);
        String notificationId = dead.getString("deliveries[0].notificationId");

        given().auth().oauth2(TestTokens.subscriber("team-intruder")).when().post("/api/notifications/" + notificationId + "/replay")
                .then().statusCode(404);
        given().auth().oauth2(TestTokens.subscriber("team-intruder")).when().get("/api/notifications/" + notificationId)
                .then().statusCode(404);

        receiver.answerAlways("/down", 200);
        given().auth().oauth2(TestTokens.subscriber(TEAM)).when().post("/api/notifications/" + notificationId + "/replay")
                .then().statusCode(202).body("status", equalTo("PENDING"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(Api.deliveries(TEAM, sub.id()).getString("deliveries[0].status")).isEqualTo("DELIVERED"));
        List<WebhookReceiver.Received> all = receiver.at("/down");
        assertThat(all).hasSize(5);
        assertThat(all).extracting(r -> r.header("webhook-id")).containsOnly(notificationId);
    }

    @Test
    void goneDisablesTheSubscriptionAndTellsTheTeamByEmail() throws Exception {
        String nct = "NCT90000005";
        Api.Created sub = Api.webhook("team-gone", receiver.url("/gone"), onTrial(nct, Map.of()));
        // the contact address is told only once it confirmed (ContactEmailConfirmationIT)
        Api.confirmContact("team-gone-ops@example.org", sub.id());
        receiver.answerAlways("/gone", 410);
        ContractEvents.publish(ContractEvents.statusChange(nct, 2, TrialStatus.RECRUITING, TrialStatus.TERMINATED));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().auth().oauth2(TestTokens.subscriber("team-gone")).when().get("/api/subscriptions/" + sub.id())
                        .then().statusCode(200).body("enabled", equalTo(false))
                        .body("disabledReason", equalTo("endpoint answered 410 Gone")));
        await().atMost(Duration.ofSeconds(10)).until(() -> Mailbox.to("team-gone-ops@example.org").stream()
                .anyMatch(m -> m.subject().contains("disabled") && m.body().contains("410")));
        assertThat(receiver.at("/gone")).hasSize(1);
    }

    @Test
    void anEndpointFailingLongerThanTheLimitIsDisabledAndItsTeamTold() throws Exception {
        String nct = "NCT90000006";
        Api.Created sub = Api.webhook("team-failing", receiver.url("/failing"), onTrial(nct, Map.of()));
        Api.confirmContact("team-failing-ops@example.org", sub.id());
        receiver.answerAlways("/failing", 503);
        // each event is dead-lettered after 4 attempts in about 4 s; the endpoint keeps failing until the test
        // profile's 10 s limit is passed and the subscription is disabled
        for (int sequence = 2; sequence < 8 && subscriptionEnabled("team-failing", sub.id()); sequence++) {
            int events = sequence - 1;
            ContractEvents.publish(ContractEvents.statusChange(nct, sequence, TrialStatus.RECRUITING, TrialStatus.SUSPENDED));
            await().atMost(Duration.ofSeconds(30)).until(() -> !subscriptionEnabled("team-failing", sub.id())
                    || Api.deliveries("team-failing", sub.id()).getList("deliveries.status").stream()
                    .filter("DEAD"::equals).count() == events);
        }
        assertThat(subscriptionEnabled("team-failing", sub.id())).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> Mailbox.to("team-failing-ops@example.org").stream()
                .anyMatch(m -> m.body().contains("failing since")));
    }

    private static boolean subscriptionEnabled(String team, String id) {
        return given().auth().oauth2(TestTokens.subscriber(team)).when().get("/api/subscriptions/" + id)
                .then().statusCode(200).extract().path("enabled");
    }

    @Test
    void testEventIsSignedAndAfterRotationBothSecretsVerify() throws Exception {
        Api.Created sub = Api.webhook(TEAM, receiver.url("/test-send"), onTrial("NCT90000007", Map.of()));
        given().auth().oauth2(TestTokens.subscriber(TEAM)).when().post("/api/subscriptions/" + sub.id() + "/test")
                .then().statusCode(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.at("/test-send").size() == 1);
        WebhookReceiver.Received first = receiver.at("/test-send").get(0);
        assertThat(EventJson.mapper().readTree(first.body()).get("type").asText()).isEqualTo("trialwatch.test");
        Signatures.verifyWithReferenceLibrary(first, sub.secret());

        String newSecret = given().auth().oauth2(TestTokens.subscriber(TEAM))
                .when().post("/api/subscriptions/" + sub.id() + "/rotate-secret")
                .then().statusCode(200).extract().path("secret");
        given().auth().oauth2(TestTokens.subscriber(TEAM)).when().post("/api/subscriptions/" + sub.id() + "/test")
                .then().statusCode(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.at("/test-send").size() == 2);
        WebhookReceiver.Received second = receiver.at("/test-send").get(1);
        assertThat(second.header("webhook-signature").split(" ")).hasSize(2);
        Signatures.verifyWithReferenceLibrary(second, sub.secret());
        Signatures.verifyWithReferenceLibrary(second, newSecret);
        assertThat(Signatures.independentlyValid(second, newSecret)).isTrue();
    }

    @Test
    void anEvidenceSummaryReachesTheSubscribersOfItsGroup() throws Exception {
        String group = "BTC.advanced.targeted.FGFR2-" + java.util.UUID.randomUUID(); // the evidence service's key form
        Api.Created sub = Api.webhook(TEAM, receiver.url("/evidence"), Map.of("evidenceGroups", List.of(group)));
        com.fasterxml.jackson.databind.node.ObjectNode summary = (com.fasterxml.jackson.databind.node.ObjectNode)
                org.trialwatch.events.EventSchemas.goldenExample(org.trialwatch.events.EventTypes.EVIDENCE_SUMMARY_UPDATED);
        String eventId = java.util.UUID.randomUUID().toString();
        summary.put("eventId", eventId).put("groupKey", group);
        ContractEvents.publish(org.trialwatch.events.Topics.EVIDENCE_EVENTS, eventId,
                org.trialwatch.events.EventTypes.EVIDENCE_SUMMARY_UPDATED, group, EventJson.toBytes(summary));

        await().atMost(Duration.ofSeconds(20)).until(() -> !receiver.at("/evidence").isEmpty());
        WebhookReceiver.Received got = receiver.at("/evidence").get(0);
        Signatures.verifyWithReferenceLibrary(got, sub.secret());
        JsonNode body = EventJson.mapper().readTree(got.body());
        assertThat(body.get("type").asText()).isEqualTo("evidence.summary_updated");
        assertThat(body.at("/data/groupKey").asText()).isEqualTo(group);
        assertThat(body.at("/data/links/summary").asText()).endsWith("/api/summaries/" + group);
    }
}
