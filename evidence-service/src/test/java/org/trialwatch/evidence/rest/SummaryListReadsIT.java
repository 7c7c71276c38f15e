package org.trialwatch.evidence.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.trialwatch.events.EventTypes;
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
        assertThat(after.jsonPath().getList("items.findAll { it.groupKey == '" + groupKey + "' }.trials.flatten()"
                + ".findAll { it.nctId == '" + NCT + "' }.status", String.class)).containsExactly("TERMINATED");
        assertThat(after.header("ETag")).isNotBlank().isNotEqualTo(etag);
        listOf(groupKey, after.header("ETag")).then().statusCode(304);
    }

    @Test
    void badListQueriesAreProblemsEveryTime() {
        for (int i = 0; i < 2; i++) {
            given().queryParam("limit", 0).get("/api/summaries").then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("limit"));
        }
    }
}
