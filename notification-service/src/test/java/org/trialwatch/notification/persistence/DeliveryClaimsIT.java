package org.trialwatch.notification.persistence;

import org.trialwatch.notification.testing.Api;
import org.trialwatch.notification.testing.ContractEvents;
import org.trialwatch.notification.testing.GreenMailResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

import org.trialwatch.events.TrialStatus;
import org.trialwatch.notification.config.NotificationSettings;
import org.trialwatch.notification.domain.delivery.AttemptResult;
import org.trialwatch.notification.domain.delivery.DeliveryDecision;
import org.trialwatch.notification.domain.delivery.DeliveryLog;
import org.trialwatch.notification.persistence.DeliveryClaims;
import org.trialwatch.notification.persistence.DeliveryLogStore;
import org.trialwatch.notification.persistence.NotificationStore;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.WebhookReceiver;

/**
 * Claims on notifications: only the current holder records an outcome, the claims of a replica that died are taken
 * over within seconds, and delivered notifications are purged after their retention. Runs in an application of its
 * own (a short retention; a database no other test class writes to, since these tests claim rows directly).
 */
@QuarkusTest
@TestProfile(DeliveryClaimsIT.ShortRetention.class)
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(GreenMailResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeliveryClaimsIT {

    public static class ShortRetention implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("trialwatch.delivery.delivered-retention", "3s", "trialwatch.delivery.purge-interval", "1s",
                    // a "fan-out" of three is enough to see the statistics refreshed (test 4)
                    "trialwatch.delivery.refresh-statistics-after", "3");
        }
    }

    private static final String TEAM = "team-claims";
    private static WebhookReceiver receiver;

    @Inject
    NotificationStore store;

    @Inject
    DeliveryClaims claims;

    @Inject
    DeliveryLogStore deliveryLog;

    @Inject
    NotificationSettings settings;

    @Inject
    DataSource dataSource;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = WebhookReceiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    private static String testBody() {
        return "{\"type\":\"trialwatch.test\",\"timestamp\":\"" + Instant.now() + "\",\"data\":{}}";
    }

    private static Optional<DeliveryClaims.Claimed> find(List<DeliveryClaims.Claimed> claimed, UUID id) {
        return claimed.stream().filter(c -> c.notification().id().equals(id)).findFirst();
    }

    @Test
    @Order(1)
    void anAttemptThatOutlivedItsClaimCannotUndoANewerOutcome() {
        Api.Created sub = Api.webhook(TEAM, receiver.url("/fenced"), Map.of("nctIds", List.of("NCT90000060")));
        // an hour ahead, so this application's own dispatcher leaves the row to the two "replicas" of this test
        Instant t0 = Instant.now().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        UUID id = store.insertTest(UUID.fromString(sub.id()), testBody(), t0);

        DeliveryClaims.Claimed first = find(claims.claimDue(100, Duration.ofSeconds(5), t0), id).orElseThrow();
        // the first holder stalls past its lease without renewing; another replica claims and delivers
        DeliveryClaims.Claimed second = find(claims.claimDue(100, Duration.ofSeconds(5), t0.plusSeconds(6)), id)
                .orElseThrow();
        deliveryLog.recordAll(List.of(new DeliveryLogStore.Attempted(second.notification(), AttemptResult.success(200, 12),
                new DeliveryDecision.Delivered(), t0.plusSeconds(7))), Duration.ofDays(5));
        // then the first attempt finally ends, in failure
        deliveryLog.recordAll(List.of(new DeliveryLogStore.Attempted(first.notification(),
                AttemptResult.noResponse("no answer", 15_000), new DeliveryDecision.RetryLater(Duration.ofSeconds(5)),
                t0.plusSeconds(8))), Duration.ofDays(5));

        DeliveryLog log = deliveryLog.log(id).orElseThrow();
        assertThat(log.status()).isEqualTo("DELIVERED");
        assertThat(log.deliveredAt()).isEqualTo(t0.plusSeconds(7));
        assertThat(log.attempts()).isEqualTo(1);
        assertThat(log.attemptLog()).extracting(DeliveryLog.Attempt::outcome).containsExactly("SUCCEEDED", "FAILED");
        assertThat(log.attemptLog().get(1).error()).contains("late");
    }

    @Test
    @Order(2)
    void theClaimsOfAReplicaThatDiedAreTakenOverWithinSeconds() {
        Api.Created sub = Api.webhook(TEAM, receiver.url("/takeover"), Map.of("nctIds", List.of("NCT90000061")));
        // this test plays a replica that claims a notification and dies: it never sends, records or renews it
        UUID held = null;
        while (held == null) {
            UUID id = store.insertTest(UUID.fromString(sub.id()), testBody(), Instant.now());
            if (find(claims.claimDue(100, settings.delivery().lease(), Instant.now()), id).isPresent()) {
                held = id; // else this application's dispatcher was quicker and sent it: try again
            }
        }
        Instant died = Instant.now();
        String heldId = held.toString();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                receiver.at("/takeover").stream().anyMatch(r -> heldId.equals(r.header("webhook-id"))));
        Instant delivered = receiver.at("/takeover").stream().filter(r -> heldId.equals(r.header("webhook-id")))
                .findFirst().orElseThrow().at();
        System.out.printf("a dead replica's claim was taken over and delivered %d ms after it died%n",
                Duration.between(died, delivered).toMillis());
    }

    @Test
    @Order(3)
    void deliveredNotificationsArePurgedAfterTheirRetentionButDeadLettersStay() throws Exception {
        String nct = "NCT90000062";
        Api.Created failing = Api.webhook(TEAM, receiver.url("/retention-dead"), Map.of("nctIds", List.of(nct),
                "statusTransitions", List.of("->SUSPENDED")));
        Api.Created ok = Api.webhook(TEAM, receiver.url("/retention-ok"), Map.of("nctIds", List.of(nct),
                "statusTransitions", List.of("->RECRUITING")));
        receiver.answerAlways("/retention-dead", 500);
        ContractEvents.publish(ContractEvents.statusChange(nct, 2, TrialStatus.RECRUITING, TrialStatus.SUSPENDED));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Api.deliveries(TEAM, failing.id()).getList("deliveries.status")).containsExactly("DEAD"));
        String deadId = Api.deliveries(TEAM, failing.id()).getString("deliveries[0].notificationId");

        ContractEvents.publish(ContractEvents.statusChange(nct, 3, TrialStatus.SUSPENDED, TrialStatus.RECRUITING));
        await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.at("/retention-ok").isEmpty());
        String deliveredId = receiver.at("/retention-ok").get(0).header("webhook-id");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Api.deliveries(TEAM, ok.id()).getList("deliveries")).isEmpty());

        assertThat(attemptRows(deliveredId)).isZero();
        JsonPath dead = Api.deliveries(TEAM, failing.id());
        assertThat(dead.getList("deliveries.notificationId")).containsExactly(deadId);
        assertThat(attemptRows(deadId)).isEqualTo(4);
    }

    /**
     * A fan-out leaves the planner statistics counting its due rows: the claims that follow are planned for a table
     * full of pending notifications (planned on older statistics, they scanned whole tables and a 10,000-subscriber
     * fan-out took 20-35 s). Autovacuum does not analyze tables this small, so nothing else refreshes them here.
     */
    @Test
    @Order(4)
    void aFanOutRefreshesThePlannerStatisticsOfTheNotifications() throws Exception {
        String nct = "NCT90000063";
        long analyzedBefore = analyzeCount();
        for (int i = 0; i < 3; i++) {
            Api.webhook(TEAM, receiver.url("/fan-out-" + i), Map.of("nctIds", List.of(nct)));
        }
        ContractEvents.publish(ContractEvents.statusChange(nct, 2, TrialStatus.RECRUITING, TrialStatus.COMPLETED));
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.at("/fan-out-0").size()
                + receiver.at("/fan-out-1").size() + receiver.at("/fan-out-2").size() >= 3);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(analyzeCount()).isGreaterThan(analyzedBefore));
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select most_common_vals::text from pg_stats "
                     + "where tablename = 'notification' and attname = 'status'")) {
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("statistics of notification.status").isTrue();
                assertThat(rs.getString(1)).contains("PENDING");
            }
        }
    }

    /**
     * The claim locks the rows it chose by primary key, however few pending rows the statistics describe. They
     * describe few whenever the table holds more delivered than pending rows, and a claim that then locked through an
     * index on pending rows read every due row to find the thirty it chose: the further the dispatcher fell behind,
     * the slower each claim (measured at 200 changes/s: up to 950 rows read per claim). Checked on the plan, in a
     * transaction that is rolled back: 2,000 delivered rows analyzed, then 500 due ones the statistics do not know.
     */
    @Test
    @Order(5)
    void theClaimLocksWhatItChoseByKeyWhenTheStatisticsKnowOfNoPendingRows() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (var st = c.createStatement()) {
                UUID subscription = UUID.randomUUID();
                st.execute("insert into subscription (id, team, name, channel, url, filter, specific_dimensions, enabled,"
                        + " created_at, updated_at) values ('" + subscription + "', '" + TEAM + "', 'plan check',"
                        + " 'WEBHOOK', 'http://127.0.0.1:9/plan', '{}', 0, false, now(), now())");
                st.execute("insert into notification (id, subscription_id, event_id, event_type, body, status, attempts,"
                        + " created_at, next_attempt_at, delivered_at) select gen_random_uuid(), '" + subscription + "',"
                        + " 'delivered-' || g, 'trialwatch.test', '{}', 'DELIVERED', 1, now(), now(), now()"
                        + " from generate_series(1, 2000) g");
                st.execute("analyze notification");
                st.execute("insert into notification (id, subscription_id, event_id, event_type, body, status, attempts,"
                        + " created_at, next_attempt_at) select gen_random_uuid(), '" + subscription + "',"
                        + " 'due-' || g, 'trialwatch.test', '{}', 'PENDING', 0, now(), now() - interval '1 second'"
                        + " from generate_series(1, 500) g");
                // this test database's table is small enough that reading all of it would be cheapest for any shape
                st.execute("set local enable_seqscan = off");
            }
            String plan;
            try (PreparedStatement ps = c.prepareStatement("explain (format json) " + DeliveryClaims.claimStatement())) {
                Instant now = Instant.now();
                DeliveryClaims.bindClaim(ps, now, now.plusSeconds(30), 50, 8);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    plan = rs.getString(1);
                }
            } finally {
                c.rollback();
            }
            JsonNode root = new ObjectMapper().readTree(plan).get(0).get("Plan");
            JsonNode lockStep = findSubplan(root, "CTE claimed");
            assertThat(lockStep).as("the claim's lock step in %s", plan).isNotNull();
            List<String> indexes = new ArrayList<>();
            for (JsonNode child : lockStep.get("Plans")) {
                if (!"InitPlan".equals(child.path("Parent Relationship").asText())) { // the choice itself is an InitPlan
                    collectIndexes(child, indexes);
                }
            }
            // a sequential scan would name no index and fail this too
            assertThat(indexes).as("indexes the lock step reads, in %s", lockStep).containsOnly("notification_pkey");
        }
    }

    private static JsonNode findSubplan(JsonNode node, String name) {
        if (name.equals(node.path("Subplan Name").asText())) {
            return node;
        }
        for (JsonNode child : node.path("Plans")) {
            JsonNode found = findSubplan(child, name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static void collectIndexes(JsonNode node, List<String> indexes) {
        if (node.has("Index Name")) {
            indexes.add(node.get("Index Name").asText());
        }
        for (JsonNode child : node.path("Plans")) {
            collectIndexes(child, indexes);
        }
    }

    private long analyzeCount() throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select analyze_count from pg_stat_user_tables "
                     + "where relname = 'notification'")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private long attemptRows(String notificationId) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from delivery_attempt where notification_id = ?")) {
            ps.setObject(1, UUID.fromString(notificationId));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
