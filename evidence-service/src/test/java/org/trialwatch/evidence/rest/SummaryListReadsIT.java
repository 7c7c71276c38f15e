package org.trialwatch.evidence.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.trialwatch.events.EventTypes;
import org.trialwatch.evidence.domain.summary.SummaryCalculator;
import org.trialwatch.evidence.messaging.KafkaClientsAccess;
import org.trialwatch.evidence.messaging.TrialEventsFixtures;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;

/**
 * The summary list as a dashboard reads it, over and over (ADR 0009): once a group's summary has changed, the list
 * shows that version as the summary itself does; an unchanged page answers 304 to its ETag, a changed one 200 with a
 * new ETag.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
class SummaryListReadsIT {

    private static final Duration WITHIN = Duration.ofSeconds(20);
    private static final String NCT = "NCT09994501";

    private static void send(String ceId, String type, ObjectNode payload) {
        KafkaClientsAccess.sendTrialEvent(ceId, type, payload.get("nctId").asText(), payload.toString());
    }

    private static long versionInList(Response page, String groupKey) {
        List<Long> versions = page.jsonPath().getList("items.findAll { it.groupKey == '" + groupKey + "' }.version",
                Long.class);
        assertThat(versions).as("%s in the list", groupKey).hasSize(1);
        return versions.get(0);
    }

    /** The list filtered to the group's tumour type and target, as a dashboard's filtered view asks for it. */
    private static Response listOf(String groupKey, String ifNoneMatch) {
        String[] parts = groupKey.split("\\.");
        var request = given().queryParam("tumourType", parts[0]).queryParam("target", parts[3]).queryParam("limit", 200);
        return (ifNoneMatch == null ? request : request.header("If-None-Match", ifNoneMatch)).get("/api/summaries");
    }

    @Test
    void theListShowsAChangedSummaryAsSoonAsTheSummaryDoesAndItsETagMovesWithIt() {
        send("reads-reg-" + NCT, EventTypes.TRIAL_REGISTERED,
                TrialEventsFixtures.registered("reads-reg-" + NCT, NCT, 1, "RECRUITING", "HER2 antibody", "zanidatamab"));
        String groupKey = await().atMost(WITHIN).until(() -> {
            JsonPath trial = given().get("/api/trials/" + NCT + "/evidence").then().extract().jsonPath();
            List<String> keys = trial.getList("groups.groupKey", String.class);
            return keys == null || keys.isEmpty() ? null : keys.get(0);
        }, key -> key != null);
        long registered = given().get("/api/summaries/" + groupKey).then().statusCode(200).extract().jsonPath()
                .getLong("version");

        Response first = listOf(groupKey, null);
        first.then().statusCode(200).contentType(ContentType.JSON);
        assertThat(versionInList(first, groupKey)).isEqualTo(registered);
        String etag = first.header("ETag");
        assertThat(etag).isNotBlank();
        listOf(groupKey, etag).then().statusCode(304).header("ETag", equalTo(etag)).body(emptyString());

        String ceId = "reads-sc-" + NCT;
        send(ceId, EventTypes.TRIAL_STATUS_CHANGED, TrialEventsFixtures.statusChanged(ceId, NCT, 2, "RECRUITING",
                "TERMINATED"));
        long changed = await().atMost(WITHIN).pollInterval(Duration.ofMillis(50)).until(() -> given()
                .get("/api/summaries/" + groupKey).then().extract().jsonPath().getLong("version"), v -> v > registered);

        // no waiting here: the summary has changed, so the list must show it too
        Response after = listOf(groupKey, etag);
        after.then().statusCode(200);
        assertThat(versionInList(after, groupKey)).isEqualTo(changed);
        // the list carries the counts; the group's own summary lists the trials
        JsonPath summary = given().get("/api/summaries/" + groupKey).then().extract().jsonPath();
        assertThat(summary.getList("trials.findAll { it.nctId == '" + NCT + "' }.status", String.class))
                .containsExactly("TERMINATED");
        String item = "items.find { it.groupKey == '" + groupKey + "' }";
        assertThat(after.jsonPath().getMap(item + ".trackedByStatus")).isEqualTo(summary.getMap("trackedByStatus"))
                .containsKey("TERMINATED");
        assertThat(after.jsonPath().getInt(item + ".trialCount")).isEqualTo(summary.getList("trials").size())
                .isEqualTo(summary.getInt("trialCount")).isPositive();
        assertThat(after.header("ETag")).isNotBlank().isNotEqualTo(etag);
        listOf(groupKey, after.header("ETag")).then().statusCode(304);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aListPageCarriesNoMemberListsOnlyTheirCounts() {
        JsonPath page = given().queryParam("limit", 200).get("/api/summaries").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> items = page.getList("items");
        assertThat(items).isNotEmpty().allSatisfy(item -> assertThat(item).doesNotContainKey("trials")
                .containsKey("trialCount").containsKey("trackedByStatus"));
        // a group with a certainty flag over members: the list counts them, the group's summary names them
        Map<String, Object> flagged = items.stream().filter(i -> !((List<?>) i.get("certaintyFlags")).isEmpty())
                .findFirst().orElseThrow();
        JsonPath summary = given().get("/api/summaries/" + flagged.get("groupKey")).then().extract().jsonPath();
        List<Map<String, Object>> listed = (List<Map<String, Object>>) flagged.get("certaintyFlags");
        assertThat(listed).allSatisfy(f -> assertThat(f).doesNotContainKey("members"));
        List<Integer> named = summary.getList("certaintyFlags.collect { it.members == null ? 0 : it.members.size() }",
                Integer.class);
        assertThat(named).anyMatch(n -> n > 0);
        assertThat(listed).extracting(f -> f.get("memberCount")).isEqualTo(named)
                .isEqualTo(summary.getList("certaintyFlags.memberCount"));
    }

    /**
     * The member flags a list item counts are the ones its group's summary lists: same name, same detail, as many
     * members. summary_list_content() and summary_content() read them from one definition (V9 migration); this holds
     * them to it.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aListItemsMemberFlagsAreItsSummarysFlagsCounted() {
        String nct = "NCT09994502";
        // stopped, and no results yet: a member of both flags made from the group's trials
        String ceId = "reads-flags-reg-" + nct;
        send(ceId, EventTypes.TRIAL_REGISTERED,
                TrialEventsFixtures.registered(ceId, nct, 1, "TERMINATED", "list flags probe", "probe-502"));
        String groupKey = await().atMost(WITHIN).until(() -> {
            JsonPath trial = given().get("/api/trials/" + nct + "/evidence").then().extract().jsonPath();
            List<String> keys = trial.getList("groups.groupKey", String.class);
            return keys == null || keys.isEmpty() ? null : keys.get(0);
        }, key -> key != null);
        JsonPath summary = await().atMost(WITHIN).until(
                () -> given().get("/api/summaries/" + groupKey).then().statusCode(200).extract().jsonPath(),
                s -> s.getList("certaintyFlags.flag", String.class).containsAll(
                        List.of(SummaryCalculator.TERMINATED_EARLY, SummaryCalculator.RESULTS_NOT_YET_POSTED)));

        Response page = listOf(groupKey, null);
        page.then().statusCode(200);
        String item = "items.find { it.groupKey == '" + groupKey + "' }";
        assertThat(page.jsonPath().getLong(item + ".version")).isEqualTo(summary.getLong("version"));
        List<Map<String, Object>> named = summary.getList("certaintyFlags");
        List<Map<String, Object>> counted = page.jsonPath().getList(item + ".certaintyFlags");
        List<Tuple> expected = named.stream().map(f -> tuple(f.get("flag"), f.get("detail"),
                f.get("members") == null ? 0 : ((List<String>) f.get("members")).size())).toList();
        assertThat(counted).extracting(f -> f.get("flag"), f -> f.get("detail"), f -> f.get("memberCount"))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void badListQueriesAreProblemsEveryTime() {
        for (int i = 0; i < 2; i++) {
            given().queryParam("limit", 0).get("/api/summaries").then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("limit"));
        }
    }
}
