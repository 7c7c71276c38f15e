package org.trialwatch.evidence.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.trialwatch.events.CloudEventHeaders;
import org.trialwatch.events.EventJson;
import org.trialwatch.events.EventSchemas;
import org.trialwatch.events.EventTypes;
import org.trialwatch.events.Topics;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.PrometheusText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The registry's events, produced to the real broker as the registry publishes them, drive the summaries: the right
 * group changes within seconds and announces it on evidence-events; a redelivery changes nothing; poison goes to the
 * dead-letter topic and the consumer carries on.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrialEventsFlowIT {

    static final String KRAS = "PC.any-line.targeted.KRAS";
    static final Duration WITHIN = Duration.ofSeconds(20);

    private static JsonPath summary(String key) {
        return given().get("/api/summaries/" + key).then().statusCode(200).extract().jsonPath();
    }

    private static int tracked(String key, String status) {
        Integer n = summary(key).get("trackedByStatus." + status);
        return n == null ? 0 : n;
    }

    private static void send(String ceId, String type, ObjectNode payload) {
        KafkaClients.sendTrialEvent(ceId, type, payload.get("nctId").asText(), payload.toString());
    }

    private static double metric(String name) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return PrometheusText.sum(body, name);
    }

    @Test
    @Order(1)
    void registeredTrialsJoinTheGroupTheirReviewFieldsDerive() {
        send("reg-NCT05737706", EventTypes.TRIAL_REGISTERED,
                TrialEventsFixtures.registered("reg-NCT05737706", "NCT05737706", 1, "TERMINATED", "KRAS G12D inhibitor", "MRTX1133"));
        send("reg-NCT05379985", EventTypes.TRIAL_REGISTERED,
                TrialEventsFixtures.registered("reg-NCT05379985", "NCT05379985", 1, "RECRUITING",
                        "KRAS G12X (multi-variant RAS) inhibitor", "RMC-6236"));
        send("reg-NCT06128551", EventTypes.TRIAL_REGISTERED,
                TrialEventsFixtures.registered("reg-NCT06128551", "NCT06128551", 1, "RECRUITING",
                        "KRAS G12X (multi-variant RAS) inhibitor", "RMC-6236"));

        await().atMost(WITHIN).untilAsserted(() -> {
            assertThat(tracked(KRAS, "RECRUITING")).isEqualTo(2);
            assertThat(tracked(KRAS, "TERMINATED")).isEqualTo(1);
        });
        JsonPath trial = given().get("/api/trials/NCT05379985/evidence").then().statusCode(200).extract().jsonPath();
        assertThat(trial.getBoolean("tracked")).isTrue();
        assertThat(trial.getList("groups.groupKey", String.class)).containsExactly(KRAS);
        assertThat(trial.getString("groups[0].why")).contains("'KRAS' in trial mechanism");
        assertThat(trial.getList("groups[0].rowIds", String.class)).contains("T4-R3", "T4-R4");
        assertThat(trial.getList("evidence.id", String.class)).containsExactly("M-NCT05379985");
    }

    @Test
    @Order(2)
    void aStatusChangeChangesTheRightSummaryWithinSecondsAndPublishesSummaryUpdated() {
        long before = summary(KRAS).getLong("version");
        double agedBefore = metric("evidence_events_age_seconds_count");
        double transactionsBefore = metric("evidence_consumer_transaction_seconds_count");
        String ceId = "sc-NCT05379985-2";
        long sent = System.nanoTime();
        send(ceId, EventTypes.TRIAL_STATUS_CHANGED,
                TrialEventsFixtures.statusChanged(ceId, "NCT05379985", 2, "RECRUITING", "TERMINATED"));

        await().atMost(WITHIN).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(tracked(KRAS, "RECRUITING")).isEqualTo(1);
            assertThat(tracked(KRAS, "TERMINATED")).isEqualTo(2);
        });
        System.out.printf("status change visible in %s after %d ms%n", KRAS, (System.nanoTime() - sent) / 1_000_000);
        // an operator sees how far behind the topic the consumer applies, and what its transactions take
        assertThat(metric("evidence_events_age_seconds_count")).isEqualTo(agedBefore + 1);
        assertThat(metric("evidence_consumer_transaction_seconds_count")).isGreaterThan(transactionsBefore);
        JsonPath s = summary(KRAS);
        assertThat(s.getLong("version")).isEqualTo(before + 1);
        assertThat(s.getString("latestChange.cause.eventId")).isEqualTo(ceId);
        assertThat(s.getList("certaintyFlags.flag", String.class)).contains("terminated-early");

        ConsumerRecord<String, byte[]> record = KafkaClients.awaitRecord(Topics.EVIDENCE_EVENTS,
                r -> KRAS.equals(r.key()) && new String(r.value(), StandardCharsets.UTF_8).contains(ceId), WITHIN);
        System.out.printf("summary-updated on %s after %d ms%n", Topics.EVIDENCE_EVENTS, (System.nanoTime() - sent) / 1_000_000);
        Map<String, String> headers = KafkaClients.headers(record);
        JsonNode payload = readJson(record.value());
        assertThat(EventSchemas.violations(EventTypes.EVIDENCE_SUMMARY_UPDATED, payload)).isEmpty();
        assertThat(headers).containsEntry(CloudEventHeaders.SPEC_VERSION, "1.0")
                .containsEntry(CloudEventHeaders.TYPE, EventTypes.EVIDENCE_SUMMARY_UPDATED)
                .containsEntry(CloudEventHeaders.SOURCE, "/evidence-service")
                .containsEntry(CloudEventHeaders.SUBJECT, KRAS)
                .containsEntry(CloudEventHeaders.CONTENT_TYPE, "application/json")
                .containsEntry(CloudEventHeaders.ID, payload.get("eventId").asText())
                .containsKey(CloudEventHeaders.TIME);
        assertThat(payload.get("groupKey").asText()).isEqualTo(KRAS);
        assertThat(payload.get("sequence").asLong()).isEqualTo(before + 1);
        assertThat(payload.get("causeNctId").asText()).isEqualTo("NCT05379985");
        assertThat(payload.get("changes").findValuesAsText("description"))
                .contains("tracked RECRUITING 2→1", "tracked TERMINATED 1→2", "NCT05379985 RECRUITING→TERMINATED");
    }

    @Test
    @Order(3)
    void theSameEventDeliveredTwiceChangesTheSummaryOnce() {
        long version = summary(KRAS).getLong("version");
        double duplicates = metric("evidence_events_duplicates_total");
        double stale = metric("evidence_events_stale_total");
        String ceId = "sc-NCT05379985-2";
        send(ceId, EventTypes.TRIAL_STATUS_CHANGED,
                TrialEventsFixtures.statusChanged(ceId, "NCT05379985", 2, "RECRUITING", "TERMINATED"));
        // A replay under a new id but with an old sequence is stale: ignored too.
        send("replayed-under-new-id", EventTypes.TRIAL_STATUS_CHANGED,
                TrialEventsFixtures.statusChanged("replayed-under-new-id", "NCT05379985", 2, "TERMINATED", "RECRUITING"));

        await().atMost(WITHIN).untilAsserted(() -> {
            assertThat(metric("evidence_events_duplicates_total")).isEqualTo(duplicates + 1);
            assertThat(metric("evidence_events_stale_total")).isEqualTo(stale + 1);
        });
        JsonPath s = summary(KRAS);
        assertThat(s.getLong("version")).isEqualTo(version);
        assertThat(tracked(KRAS, "TERMINATED")).isEqualTo(2);
        long published = given().get("/api/summaries/" + KRAS + "/history").then().statusCode(200).extract().jsonPath()
                .getList("versions.cause.eventId", String.class).stream().filter(ceId::equals).count();
        assertThat(published).isEqualTo(1);
    }

    @Test
    @Order(4)
    void poisonRecordsGoToTheDeadLetterTopicWithAReasonAndTheNextGoodRecordIsProcessed() {
        double deadLettered = metric("evidence_events_dead_lettered_total");
        String notJson = "{this is not json: poison-1";
        KafkaClients.sendTrialEvent("poison-1", EventTypes.TRIAL_STATUS_CHANGED, "NCT06128551", notJson);
        ObjectNode invalid = TrialEventsFixtures.statusChanged("poison-2", "NCT06128551", 2, "RECRUITING", "EXPLODED");
        send("poison-2", EventTypes.TRIAL_STATUS_CHANGED, invalid);
        KafkaClients.sendTrialEvent("poison-3", "org.trialwatch.trial.teleported.v1", "NCT06128551", "{\"poison\":3}");
        String goodId = "sc-NCT06128551-2";
        send(goodId, EventTypes.TRIAL_STATUS_CHANGED,
                TrialEventsFixtures.statusChanged(goodId, "NCT06128551", 2, "RECRUITING", "ACTIVE_NOT_RECRUITING"));

        ConsumerRecord<String, byte[]> malformed = KafkaClients.awaitRecord(Topics.TRIAL_EVENTS_DLQ,
                r -> notJson.equals(new String(r.value(), StandardCharsets.UTF_8)), WITHIN);
        assertThat(KafkaClients.header(malformed, CloudEventHeaders.DLQ_REASON)).startsWith("malformed:");
        assertThat(KafkaClients.header(malformed, CloudEventHeaders.ID)).isEqualTo("poison-1");
        ConsumerRecord<String, byte[]> schemaInvalid = KafkaClients.awaitRecord(Topics.TRIAL_EVENTS_DLQ,
                r -> new String(r.value(), StandardCharsets.UTF_8).contains("\"poison-2\""), WITHIN);
        assertThat(KafkaClients.header(schemaInvalid, CloudEventHeaders.DLQ_REASON)).startsWith("schema-invalid:")
                .contains("newStatus");
        ConsumerRecord<String, byte[]> unknown = KafkaClients.awaitRecord(Topics.TRIAL_EVENTS_DLQ,
                r -> "{\"poison\":3}".equals(new String(r.value(), StandardCharsets.UTF_8)), WITHIN);
        assertThat(KafkaClients.header(unknown, CloudEventHeaders.DLQ_REASON)).startsWith("unknown-type:");

        await().atMost(WITHIN).untilAsserted(() -> {
            assertThat(tracked(KRAS, "ACTIVE_NOT_RECRUITING")).isEqualTo(1);
            assertThat(tracked(KRAS, "RECRUITING")).isZero();
        });
        assertThat(metric("evidence_events_dead_lettered_total")).isEqualTo(deadLettered + 3);
    }

    @Test
    @Order(5)
    void postedResultsAddAnOrrReadoutAndAreAnnounced() {
        String ceId = "rp-NCT05379985-3";
        send(ceId, EventTypes.TRIAL_RESULTS_POSTED, TrialEventsFixtures.orrPosted(ceId, "NCT05379985", 3, 30.0, 80));
        await().atMost(WITHIN).untilAsserted(() ->
                assertThat(summary(KRAS).getList("orr.readouts.study", String.class)).contains("NCT05379985"));
        JsonPath s = summary(KRAS);
        assertThat(s.getDouble("orr.readouts.find { it.study == 'NCT05379985' }.percent")).isCloseTo(30.0, within(1e-4));
        assertThat(s.getInt("orr.readouts.find { it.study == 'NCT05379985' }.n")).isEqualTo(80);
        // Wilson 95% CI of 30% of 80 (python3): 0.2106–0.4077
        assertThat(s.getDouble("orr.readouts.find { it.study == 'NCT05379985' }.ci95.lower")).isCloseTo(21.06, within(1e-4));
        assertThat(s.getDouble("orr.readouts.find { it.study == 'NCT05379985' }.ci95.upper")).isCloseTo(40.77, within(1e-4));
        assertThat(s.getList("certaintyFlags.find { it.flag == 'results-not-yet-posted' }.members", String.class))
                .doesNotContain("NCT05379985");
        ConsumerRecord<String, byte[]> record = KafkaClients.awaitRecord(Topics.EVIDENCE_EVENTS,
                r -> new String(r.value(), StandardCharsets.UTF_8).contains(ceId), WITHIN);
        JsonNode payload = readJson(record.value());
        assertThat(EventSchemas.violations(EventTypes.EVIDENCE_SUMMARY_UPDATED, payload)).isEmpty();
        assertThat(payload.get("changes").findValuesAsText("description"))
                .anyMatch(d -> d.startsWith("new ORR readout 30.0% (n=80, 24 responders), 95% CI 21.06–40.77 (ORR, "
                        + "experimental arm) from NCT05379985"));
    }

    @Test
    @Order(6)
    void aSequenceGapIsAppliedAndCounted() {
        double gaps = metric("evidence_events_gaps_total");
        String ceId = "sc-NCT06128551-5";
        send(ceId, EventTypes.TRIAL_STATUS_CHANGED,
                TrialEventsFixtures.statusChanged(ceId, "NCT06128551", 5, "ACTIVE_NOT_RECRUITING", "COMPLETED"));
        await().atMost(WITHIN).untilAsserted(() -> assertThat(tracked(KRAS, "COMPLETED")).isEqualTo(1));
        assertThat(metric("evidence_events_gaps_total")).isEqualTo(gaps + 1);
    }

    @Test
    @Order(7)
    void historyListsEveryVersionWithWhatChangedAndTheEventBehindIt() {
        JsonPath h = given().get("/api/summaries/" + KRAS + "/history").then().statusCode(200).extract().jsonPath();
        List<Integer> versions = h.getList("versions.version", Integer.class);
        assertThat(versions).startsWith(1).isSorted().doesNotHaveDuplicates();
        assertThat(versions.get(versions.size() - 1)).isEqualTo(h.getInt("currentVersion"));
        assertThat(h.getString("versions[0].cause.type")).isEqualTo("seed");
        assertThat(h.getList("versions.cause.eventId", String.class)).contains("sc-NCT05379985-2", "rp-NCT05379985-3");
        assertThat(h.getList("versions.find { it.cause.eventId == 'sc-NCT05379985-2' }.changes.field", String.class))
                .contains("trackedByStatus.RECRUITING", "trackedByStatus.TERMINATED");
        await().atMost(WITHIN).untilAsserted(() -> assertThat(metric("trialwatch_outbox_backlog")).isZero());
    }

    private static JsonNode readJson(byte[] value) {
        try {
            return EventJson.mapper().readTree(value);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @Order(8)
    void changesSentBackToBackEachGetTheirOwnSummaryVersionAndARepeatIsIgnored() {
        double duplicates = metric("evidence_events_duplicates_total");
        String first = "sc-NCT06128551-6";
        String second = "sc-NCT06128551-7";
        // Sent together, these usually arrive in one poll and are applied in one transaction: each change must still
        // be a version of its own, naming its event (subscribers match a summary-updated by the trial behind it).
        send(first, EventTypes.TRIAL_STATUS_CHANGED,
                TrialEventsFixtures.statusChanged(first, "NCT06128551", 6, "COMPLETED", "ACTIVE_NOT_RECRUITING"));
        send(first, EventTypes.TRIAL_STATUS_CHANGED,
                TrialEventsFixtures.statusChanged(first, "NCT06128551", 6, "COMPLETED", "ACTIVE_NOT_RECRUITING"));
        send(second, EventTypes.TRIAL_STATUS_CHANGED,
                TrialEventsFixtures.statusChanged(second, "NCT06128551", 7, "ACTIVE_NOT_RECRUITING", "COMPLETED"));

        await().atMost(WITHIN).untilAsserted(() -> {
            List<String> causes = given().get("/api/summaries/" + KRAS + "/history").then().statusCode(200).extract()
                    .jsonPath().getList("versions.cause.eventId", String.class);
            assertThat(causes).containsSubsequence(first, second);
            assertThat(causes.stream().filter(first::equals).count()).isEqualTo(1);
            assertThat(causes.stream().filter(second::equals).count()).isEqualTo(1);
            assertThat(metric("evidence_events_duplicates_total")).isEqualTo(duplicates + 1);
        });
        assertThat(tracked(KRAS, "COMPLETED")).isEqualTo(1);
        assertThat(tracked(KRAS, "ACTIVE_NOT_RECRUITING")).isEqualTo(0);
    }

    private static org.apache.kafka.clients.producer.ProducerRecord<String, byte[]> record(String type, ObjectNode payload) {
        return KafkaClients.trialEventRecord(payload.get("eventId").asText(), type, payload.get("nctId").asText(),
                payload.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static org.apache.kafka.clients.producer.ProducerRecord<String, byte[]> statusChange(String ceId, String nctId,
                                                                                                  long sequence, String from,
                                                                                                  String to) {
        return record(EventTypes.TRIAL_STATUS_CHANGED, TrialEventsFixtures.statusChanged(ceId, nctId, sequence, from, to));
    }

    /** The group's history entries caused by these events, in version order, once they are all there. */
    private static List<Map<String, Object>> versionsCausedBy(List<String> ceIds) {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        await().atMost(WITHIN).untilAsserted(() -> {
            List<Map<String, Object>> versions = given().get("/api/summaries/" + KRAS + "/history").then().statusCode(200)
                    .extract().jsonPath().getList("versions");
            List<Map<String, Object>> ours = versions.stream()
                    .filter(v -> ((Map<?, ?>) v.get("cause")).get("eventId") instanceof String id && ceIds.contains(id))
                    .toList();
            assertThat(ours).hasSize(ceIds.size());
            out.clear();
            out.addAll(ours);
        });
        return out;
    }

    /**
     * Checks that the versions follow one another and that each moved the counts by status on from where the previous
     * left them, starting at {@code counts}; returns the counts after the last.
     */
    private static Map<String, Integer> assertEachFromThePrevious(List<Map<String, Object>> versions,
                                                                  Map<String, Integer> counts) {
        Map<String, Integer> now = new java.util.TreeMap<>(counts);
        int first = ((Number) versions.get(0).get("version")).intValue();
        for (int i = 0; i < versions.size(); i++) {
            Map<String, Object> v = versions.get(i);
            assertThat(((Number) v.get("version")).intValue()).as("version of %s", v.get("cause")).isEqualTo(first + i);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> changes = (List<Map<String, Object>>) v.get("changes");
            for (Map<String, Object> c : changes) {
                String field = (String) c.get("field");
                if (field.startsWith("trackedByStatus.")) {
                    String status = field.substring("trackedByStatus.".length());
                    assertThat(((Number) c.get("from")).intValue()).as("%s in %s", field, v.get("cause"))
                            .isEqualTo(now.getOrDefault(status, 0));
                    now.put(status, ((Number) c.get("to")).intValue());
                }
            }
        }
        now.values().removeIf(n -> n == 0);
        return now;
    }

    private static List<String> causes(List<Map<String, Object>> versions, String field) {
        return versions.stream().map(v -> (String) ((Map<?, ?>) v.get("cause")).get(field)).toList();
    }

    /** What summary-updated events name each cause on evidence-events, by cause event id. */
    private static Map<String, Long> summaryUpdatedCountByCause(List<String> ceIds) {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : KafkaClients.allRecords(Topics.EVIDENCE_EVENTS)) {
            JsonNode payload = readJson(r.value());
            String cause = payload.path("causeEventId").asText(null);
            if (cause != null && ceIds.contains(cause) && KRAS.equals(payload.get("groupKey").asText())) {
                out.merge(cause, 1L, Long::sum);
                assertThat(payload.get("causeNctId").asText()).isNotBlank();
            }
        }
        return out;
    }

    @Test
    @Order(9)
    void severalChangesToTrialsOfOneGroupInOnePollEachMakeAVersionFromThePreviousOne() {
        Map<String, Integer> before = summary(KRAS).getMap("trackedByStatus");
        assertThat(before).containsExactlyInAnyOrderEntriesOf(Map.of("TERMINATED", 2, "COMPLETED", 1));
        // four changes of three trials of one group, written together as one batch of summary versions: each its own
        // version, computed from the one before (counts and the terminated-early members), naming its event and trial
        List<String> ceIds = List.of("batch-NCT05737706-2", "batch-NCT05379985-4", "batch-NCT06128551-8",
                "batch-NCT05737706-3");
        KafkaClients.sendTogether(List.of(
                statusChange(ceIds.get(0), "NCT05737706", 2, "TERMINATED", "RECRUITING"),
                statusChange(ceIds.get(1), "NCT05379985", 4, "TERMINATED", "ACTIVE_NOT_RECRUITING"),
                statusChange(ceIds.get(2), "NCT06128551", 8, "COMPLETED", "SUSPENDED"),
                statusChange(ceIds.get(3), "NCT05737706", 3, "RECRUITING", "TERMINATED")));

        List<Map<String, Object>> versions = versionsCausedBy(ceIds);
        assertThat(causes(versions, "eventId")).containsExactlyElementsOf(ceIds);
        assertThat(causes(versions, "nctId")).containsExactly("NCT05737706", "NCT05379985", "NCT06128551", "NCT05737706");
        Map<String, Integer> after = assertEachFromThePrevious(versions, before);
        assertThat(after).containsExactlyInAnyOrderEntriesOf(Map.of("ACTIVE_NOT_RECRUITING", 1, "SUSPENDED", 1,
                "TERMINATED", 1));
        @SuppressWarnings("unchecked")
        List<String> terminatedFirst = ((List<Map<String, Object>>) versions.get(0).get("changes")).stream()
                .map(c -> (String) c.get("description")).toList();
        assertThat(terminatedFirst).contains("tracked TERMINATED 2→1", "NCT05737706 TERMINATED→RECRUITING");
        JsonPath s = summary(KRAS);
        assertThat(s.getMap("trackedByStatus")).isEqualTo(after);
        assertThat(s.getLong("version")).isEqualTo(((Number) versions.get(3).get("version")).longValue());
        assertThat(s.getString("latestChange.cause.eventId")).isEqualTo(ceIds.get(3));
        assertThat(s.getList("certaintyFlags.find { it.flag == 'terminated-early' }.members", String.class))
                .containsExactly("NCT05737706 TERMINATED", "NCT06128551 SUSPENDED");
        assertThat(s.getString("trials.find { it.nctId == 'NCT05379985' }.status")).isEqualTo("ACTIVE_NOT_RECRUITING");
        await().atMost(WITHIN).untilAsserted(() -> assertThat(summaryUpdatedCountByCause(ceIds))
                .containsExactlyInAnyOrderEntriesOf(Map.of(ceIds.get(0), 1L, ceIds.get(1), 1L, ceIds.get(2), 1L,
                        ceIds.get(3), 1L)));
    }

    @Test
    @Order(10)
    void aFailureInTheMiddleOfABatchLosesNoneOfItsOtherChanges() {
        Map<String, Integer> before = summary(KRAS).getMap("trackedByStatus");
        double deadLettered = metric("evidence_events_dead_lettered_total");
        // The third record cannot be applied (its change leaves the trial's snapshot unreadable): the transaction of
        // the batch, with the versions the first two made in memory, rolls back; the batch is applied again in halves,
        // the bad record dead-lettered, and every other change still gets exactly one version and one event.
        ObjectNode unappliable = EventSchemas.goldenExample(EventTypes.TRIAL_UPDATED).deepCopy();
        unappliable.put("eventId", "batch-bad-NCT05737706-4").put("nctId", "NCT05737706").put("sequence", 4);
        unappliable.putArray("changes").addObject().put("field", "enrollmentCount").putNull("from").put("to", "many");
        List<String> ceIds = List.of("batch-NCT06128551-9", "batch-NCT05379985-5", "batch-NCT06128551-10",
                "batch-NCT05379985-6");
        KafkaClients.sendTogether(List.of(
                statusChange(ceIds.get(0), "NCT06128551", 9, "SUSPENDED", "RECRUITING"),
                statusChange(ceIds.get(1), "NCT05379985", 5, "ACTIVE_NOT_RECRUITING", "WITHDRAWN"),
                record(EventTypes.TRIAL_UPDATED, unappliable),
                statusChange(ceIds.get(2), "NCT06128551", 10, "RECRUITING", "COMPLETED"),
                statusChange(ceIds.get(3), "NCT05379985", 6, "WITHDRAWN", "ACTIVE_NOT_RECRUITING")));

        ConsumerRecord<String, byte[]> dead = KafkaClients.awaitRecord(Topics.TRIAL_EVENTS_DLQ,
                r -> new String(r.value(), StandardCharsets.UTF_8).contains("batch-bad-NCT05737706-4"), WITHIN);
        assertThat(KafkaClients.header(dead, CloudEventHeaders.DLQ_REASON)).startsWith("unappliable:");
        List<Map<String, Object>> versions = versionsCausedBy(ceIds);
        assertThat(causes(versions, "eventId")).containsExactlyElementsOf(ceIds);
        Map<String, Integer> after = assertEachFromThePrevious(versions, before);
        assertThat(after).containsExactlyInAnyOrderEntriesOf(Map.of("ACTIVE_NOT_RECRUITING", 1, "COMPLETED", 1,
                "TERMINATED", 1));
        JsonPath s = summary(KRAS);
        assertThat(s.getMap("trackedByStatus")).isEqualTo(after);
        assertThat(s.getLong("version")).isEqualTo(((Number) versions.get(3).get("version")).longValue());
        assertThat(s.getList("certaintyFlags.find { it.flag == 'terminated-early' }.members", String.class))
                .containsExactly("NCT05737706 TERMINATED");
        assertThat(metric("evidence_events_dead_lettered_total")).isEqualTo(deadLettered + 1);
        await().atMost(WITHIN).untilAsserted(() -> assertThat(summaryUpdatedCountByCause(ceIds))
                .containsExactlyInAnyOrderEntriesOf(Map.of(ceIds.get(0), 1L, ceIds.get(1), 1L, ceIds.get(2), 1L,
                        ceIds.get(3), 1L)));
    }
}
