package org.trialwatch.registry.ctgov;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trialwatch.events.CloudEventHeaders;
import org.trialwatch.events.EventJson;
import org.trialwatch.events.EventSchemas;
import org.trialwatch.events.EventTypes;
import org.trialwatch.events.Topics;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.KafkaTopicReader;
import org.trialwatch.testbed.KafkaTopicReader.Received;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.TestTokens;

/** The sync against a real HTTP server serving recorded API v2 responses, the real database and the real broker. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(CtgovWireMockResource.class)
class CtgovSyncIT {

    private static final String PROBLEM = "application/problem+json";

    private static WireMockServer wm() {
        return CtgovWireMockResource.server();
    }

    @BeforeEach
    void freshUpstream() {
        wm().resetAll();
        CircuitBreakerMaintenance.get().resetAll();
        wm().stubFor(get(urlPathEqualTo("/api/v2/version")).willReturn(json("ctgov/version.json")));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String resource) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(Fixtures.text(resource));
    }

    private static void stubStudies(String resource) {
        wm().stubFor(get(urlPathEqualTo("/api/v2/studies")).atPriority(10).willReturn(json(resource)));
    }

    private static void stubStudiesPage(String pageToken, String resource) {
        wm().stubFor(get(urlPathEqualTo("/api/v2/studies")).atPriority(1)
                .withQueryParam("pageToken", equalTo(pageToken)).willReturn(json(resource)));
    }

    private static void register(String body) {
        given().auth().oauth2(TestTokens.curator()).contentType(ContentType.JSON).body(body).post("/api/trials")
                .then().statusCode(201);
    }

    private static JsonPath runSync() {
        long runId = given().auth().oauth2(TestTokens.curator()).post("/api/sync/runs").then().statusCode(202)
                .extract().jsonPath().getLong("runId");
        return awaitRun(runId);
    }

    private static JsonPath awaitRun(long runId) {
        JsonPath[] run = new JsonPath[1];
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            run[0] = given().get("/api/sync/runs/{id}", runId).then().statusCode(200).extract().jsonPath();
            return !"RUNNING".equals(run[0].getString("state"));
        });
        return run[0];
    }

    private static List<Map<String, String>> errors(JsonPath run) {
        return run.getList("errors", Map.class).stream().map(m -> {
            Map<String, String> e = new java.util.HashMap<>();
            m.forEach((k, v) -> e.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
            return e;
        }).toList();
    }

    private static List<Received> of(List<Received> all, String nctId, String type) {
        return all.stream().filter(r -> nctId.equals(r.key()) && type.equals(r.header(CloudEventHeaders.TYPE))).toList();
    }

    private static JsonNode payload(Received r) {
        try {
            return EventJson.mapper().readTree(r.value());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> changedFields(Received updated) {
        return java.util.stream.StreamSupport.stream(payload(updated).path("changes").spliterator(), false)
                .map(c -> c.path("field").asText()).toList();
    }

    private static JsonNode change(Received updated, String field) {
        for (JsonNode c : payload(updated).path("changes")) {
            if (field.equals(c.path("field").asText())) {
                return c;
            }
        }
        throw new AssertionError(field + " not changed in " + updated.value());
    }

    @Test
    void aRunRecordsStatusChangesFieldChangesAndResultsThenANoOpRunWritesNothing() {
        register("{\"nctId\":\"NCT09900001\",\"overallStatus\":\"RECRUITING\",\"enrollmentCount\":100,\"enrollmentType\":\"ESTIMATED\"}");
        register("{\"nctId\":\"NCT09900002\",\"overallStatus\":\"TERMINATED\",\"whyStopped\":\"Slow accrual\"}");
        register("{\"nctId\":\"NCT09900003\",\"overallStatus\":\"ACTIVE_NOT_RECRUITING\",\"enrollmentCount\":120,\"enrollmentType\":\"ESTIMATED\"}");
        register("{\"nctId\":\"NCT09900004\",\"overallStatus\":\"ACTIVE_NOT_RECRUITING\",\"hasResults\":false,\"mechanism\":\"curated text\"}");
        register("{\"nctId\":\"NCT09900005\",\"overallStatus\":\"RECRUITING\"}");
        register("{\"nctId\":\"NCT09900006\",\"overallStatus\":\"RECRUITING\",\"enrollmentCount\":40,\"briefTitle\":\"As registered\"}");
        register("{\"nctId\":\"NCT09900007\",\"overallStatus\":\"COMPLETED\"}");
        String malformedBefore = given().get("/api/trials/NCT09900006").then().statusCode(200).extract().asString();
        stubStudies("ctgov/studies-run1-page1.json");
        stubStudiesPage("NF0g5JGBlPMjwA", "ctgov/studies-run1-page2.json");

        try (KafkaTopicReader reader = new KafkaTopicReader(KafkaTopicReader.testBootstrapServers(), Topics.TRIAL_EVENTS)) {
            JsonPath run = runSync();
            assertThat(run.getString("state")).isEqualTo("PARTIAL");
            assertThat(run.getString("dataTimestamp")).isEqualTo("2026-11-20T09:15:34");
            assertThat(run.getInt("studiesFetched")).isEqualTo(7);
            List<Map<String, String>> errors = errors(run);
            assertThat(errors).anySatisfy(e -> {
                assertThat(e.get("nctId")).isEqualTo("NCT09900006");
                assertThat(e.get("reason")).contains("malformed record").contains("RECRUTING");
            });
            assertThat(errors).anySatisfy(e -> assertThat(e.get("nctId")).isEqualTo("NCT05379985"));
            // both pages were asked for, with the ids, the modules and JSON
            wm().verify(getRequestedFor(urlPathEqualTo("/api/v2/studies")).withQueryParam("pageToken", equalTo("NF0g5JGBlPMjwA")));
            wm().verify(getRequestedFor(urlPathEqualTo("/api/v2/studies")).withQueryParam("format", equalTo("json"))
                    .withQueryParam("fields", equalTo(CtgovStudy.FIELDS)).withQueryParam("countTotal", equalTo("true"))
                    .withQueryParam("filter.ids", com.github.tomakehurst.wiremock.client.WireMock.containing("NCT09900001,NCT09900002")));

            Predicate<List<Received>> all = rs -> !of(rs, "NCT09900001", EventTypes.TRIAL_STATUS_CHANGED).isEmpty()
                    && !of(rs, "NCT09900004", EventTypes.TRIAL_RESULTS_POSTED).isEmpty()
                    && !of(rs, "NCT09900007", EventTypes.TRIAL_STATUS_CHANGED).isEmpty()
                    && !of(rs, "NCT09900003", EventTypes.TRIAL_UPDATED).isEmpty()
                    && !of(rs, "NCT09900002", EventTypes.TRIAL_UPDATED).isEmpty();
            List<Received> events = reader.readUntil(all, Duration.ofSeconds(30));
            assertThat(all).accepts(events);
            for (Received r : events) {
                if (r.key() != null && r.key().startsWith("NCT099000")) {
                    assertThat(EventSchemas.violations(r.header(CloudEventHeaders.TYPE), payload(r))).isEmpty();
                }
            }

            // RECRUITING -> TERMINATED, with whyStopped, from the sync
            JsonNode terminated = payload(of(events, "NCT09900001", EventTypes.TRIAL_STATUS_CHANGED).get(0));
            assertThat(terminated.path("previousStatus").asText()).isEqualTo("RECRUITING");
            assertThat(terminated.path("newStatus").asText()).isEqualTo("TERMINATED");
            assertThat(terminated.path("origin").asText()).isEqualTo("CTGOV_SYNC");
            assertThat(terminated.path("correction").asBoolean()).isFalse();
            assertThat(terminated.path("reason").asText()).isEqualTo("Sponsor decision");
            assertThat(terminated.path("effectiveDate").asText()).isEqualTo("2026-11-02"); // lastUpdatePostDate
            List<Received> updated1 = of(events, "NCT09900001", EventTypes.TRIAL_UPDATED);
            assertThat(updated1).hasSize(1);
            assertThat(change(updated1.get(0), "whyStopped").path("to").asText()).isEqualTo("Sponsor decision");
            assertThat(payload(updated1.get(0)).path("origin").asText()).isEqualTo("CTGOV_SYNC");

            // a new whyStopped, no status change
            assertThat(of(events, "NCT09900002", EventTypes.TRIAL_STATUS_CHANGED)).isEmpty();
            JsonNode why = change(of(events, "NCT09900002", EventTypes.TRIAL_UPDATED).get(0), "whyStopped");
            assertThat(why.path("from").asText()).isEqualTo("Slow accrual");
            assertThat(why.path("to").asText()).isEqualTo("Slow accrual; sponsor decision");

            // enrollment ESTIMATED -> ACTUAL in one trial.updated
            Received enrol = of(events, "NCT09900003", EventTypes.TRIAL_UPDATED).get(0);
            assertThat(change(enrol, "enrollmentCount").path("from").asInt()).isEqualTo(120);
            assertThat(change(enrol, "enrollmentCount").path("to").asInt()).isEqualTo(118);
            assertThat(change(enrol, "enrollmentType").path("from").asText()).isEqualTo("ESTIMATED");
            assertThat(change(enrol, "enrollmentType").path("to").asText()).isEqualTo("ACTUAL");
            assertThat(of(events, "NCT09900003", EventTypes.TRIAL_STATUS_CHANGED)).isEmpty();

            // posted results: the record's medians with CI and n, and its hazard ratio
            JsonNode results = payload(of(events, "NCT09900004", EventTypes.TRIAL_RESULTS_POSTED).get(0)).path("results");
            assertThat(results).hasSize(3);
            assertThat(results.get(0).path("endpoint").asText()).isEqualTo("OS");
            assertThat(results.get(0).path("value").decimalValue()).isEqualByComparingTo("12.8");
            assertThat(results.get(0).path("ci95").path("lower").decimalValue()).isEqualByComparingTo("11.1");
            assertThat(results.get(0).path("n").asInt()).isEqualTo(150);
            assertThat(results.get(2).path("endpoint").asText()).isEqualTo("HR");
            assertThat(results.get(2).path("value").decimalValue()).isEqualByComparingTo("0.80");
            assertThat(changedFields(of(events, "NCT09900004", EventTypes.TRIAL_UPDATED).get(0))).contains("hasResults")
                    .doesNotContain("mechanism");

            // leaving a terminal status: recorded, flagged
            JsonNode reopened = payload(of(events, "NCT09900007", EventTypes.TRIAL_STATUS_CHANGED).get(0));
            assertThat(reopened.path("newStatus").asText()).isEqualTo("RECRUITING");
            assertThat(reopened.path("correction").asBoolean()).isTrue();
            assertThat(reopened.path("reason").asText()).contains("TERMINAL_STATUS_NEEDS_CORRECTION");
            given().get("/api/trials/NCT09900007/history").then().statusCode(200)
                    .body("items[1].origin", org.hamcrest.Matchers.equalTo("CTGOV_SYNC"))
                    .body("items[1].correction", org.hamcrest.Matchers.equalTo(true));

            // the malformed record: logged and skipped, the trial untouched, nothing published
            assertThat(given().get("/api/trials/NCT09900006").then().statusCode(200).extract().asString()).isEqualTo(malformedBefore);
            assertThat(events.stream().filter(r -> "NCT09900006".equals(r.key())))
                    .extracting(r -> r.header(CloudEventHeaders.TYPE)).containsOnly(EventTypes.TRIAL_REGISTERED);

            // the trial as served: facts sourced to the API, date types, results
            given().get("/api/trials/NCT09900001").then().statusCode(200)
                    .body("overallStatus", org.hamcrest.Matchers.equalTo("TERMINATED"))
                    .body("primaryCompletionDateType", org.hamcrest.Matchers.equalTo("ACTUAL"))
                    .body("factSources.overallStatus.sourceKind", org.hamcrest.Matchers.equalTo("ctgov-api-v2"))
                    .body("factSources.overallStatus.asOf", org.hamcrest.Matchers.equalTo("2026-11-20"))
                    .body("factSources.whyStopped.source", org.hamcrest.Matchers.endsWith("/api/v2/studies/NCT09900001"));
            given().get("/api/trials/NCT09900004/results").then().statusCode(200)
                    .body("items.size()", org.hamcrest.Matchers.equalTo(3));
            given().get("/api/trials/NCT09900004").then().body("mechanism", org.hamcrest.Matchers.equalTo("curated text"));

            // the same answers again: nothing written, nothing published
            String versionOf3 = given().get("/api/trials/NCT09900003").then().extract().header("ETag");
            int seen = reader.readFor(Duration.ofSeconds(1)).size();
            JsonPath again = runSync();
            assertThat(again.getInt("changesFound")).isZero();
            assertThat(again.getInt("studiesChanged")).isZero();
            List<Received> after = reader.readFor(Duration.ofSeconds(3));
            assertThat(after.subList(seen, after.size())).noneMatch(r -> r.key() != null && r.key().startsWith("NCT099000"));
            assertThat(given().get("/api/trials/NCT09900003").then().extract().header("ETag")).isEqualTo(versionOf3);
            given().get("/api/trials/NCT09900003/versions").then().statusCode(200).body("items.size()", org.hamcrest.Matchers.equalTo(1));
            given().get("/api/trials/NCT09900004/results").then().body("items.size()", org.hamcrest.Matchers.equalTo(3));

            // NCT09900005 disappears from the answer; NCT09900003's record changes again
            wm().resetMappings();
            wm().stubFor(get(urlPathEqualTo("/api/v2/version")).willReturn(json("ctgov/version.json")));
            stubStudies("ctgov/studies-run3.json");
            String before5 = given().get("/api/trials/NCT09900005").then().extract().asString();
            JsonPath third = runSync();
            assertThat(errors(third)).anySatisfy(e -> {
                assertThat(e.get("nctId")).isEqualTo("NCT09900005");
                assertThat(e.get("reason")).contains("not in ClinicalTrials.gov's answer");
            });
            assertThat(given().get("/api/trials/NCT09900005").then().extract().asString()).isEqualTo(before5);
            given().get("/api/trials/NCT09900003/versions").then().statusCode(200)
                    .body("items.size()", org.hamcrest.Matchers.equalTo(2))
                    .body("items[1].lastUpdatePostDate", org.hamcrest.Matchers.equalTo("2026-11-18"));
            given().get("/api/trials/NCT09900003/versions/1/diff/2").then().statusCode(200)
                    .body("changes.field", org.hamcrest.Matchers.contains("enrollmentCount", "lastUpdatePosted"))
                    .body("changes[0].from", org.hamcrest.Matchers.equalTo(118))
                    .body("changes[0].to", org.hamcrest.Matchers.equalTo(119));
            given().get("/api/trials/NCT09900003/versions/2").then().statusCode(200)
                    .body("protocolSection.designModule.enrollmentInfo.count", org.hamcrest.Matchers.equalTo(119));
            given().get("/api/trials/NCT09900003/versions/9/diff/1").then().statusCode(404).contentType(PROBLEM);
        }
    }

    @Test
    void a429WithRetryAfterA500AndATimeoutAreRetriedAndTheRunCompletes() {
        register("{\"nctId\":\"NCT09900011\",\"overallStatus\":\"NOT_YET_RECRUITING\"}");
        wm().stubFor(get(urlPathEqualTo("/api/v2/studies")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("after-429"));
        wm().stubFor(get(urlPathEqualTo("/api/v2/studies")).inScenario("flaky").whenScenarioStateIs("after-429")
                .willReturn(aResponse().withStatus(500).withBody("upstream trouble")).willSetStateTo("after-500"));
        wm().stubFor(get(urlPathEqualTo("/api/v2/studies")).inScenario("flaky").whenScenarioStateIs("after-500")
                .willReturn(json("ctgov/studies-steady.json").withFixedDelay(3000)).willSetStateTo("ok"));
        wm().stubFor(get(urlPathEqualTo("/api/v2/studies")).inScenario("flaky").whenScenarioStateIs("ok")
                .willReturn(json("ctgov/studies-steady.json")));

        JsonPath run = runSync();
        assertThat(run.getString("state")).isIn("SUCCEEDED", "PARTIAL");
        assertThat(run.getInt("studiesFetched")).isEqualTo(1);
        assertThat(errors(run)).noneMatch(e -> "NCT09900011".equals(e.get("nctId")));
        given().get("/api/trials/NCT09900011").then().body("overallStatus", org.hamcrest.Matchers.equalTo("RECRUITING"));
        var calls = wm().findAll(getRequestedFor(urlPathEqualTo("/api/v2/studies")));
        assertThat(calls).hasSize(4);
        long waitedAfter429 = calls.get(1).getLoggedDate().getTime() - calls.get(0).getLoggedDate().getTime();
        assertThat(waitedAfter429).as("Retry-After: 1 honoured").isGreaterThanOrEqualTo(950);
    }

    @Test
    void anUpstreamThatKeepsFailingFailsTheRunAndChangesNothing() {
        register("{\"nctId\":\"NCT09900012\",\"overallStatus\":\"RECRUITING\"}");
        String before = given().get("/api/trials/NCT09900012").then().extract().asString();
        wm().stubFor(get(urlPathEqualTo("/api/v2/studies")).willReturn(aResponse().withStatus(500)));
        JsonPath run = runSync();
        assertThat(run.getString("state")).isEqualTo("FAILED");
        assertThat(errors(run)).anySatisfy(e -> {
            assertThat(e.get("nctId")).isEqualTo("NCT09900012");
            assertThat(e.get("reason")).startsWith("fetch failed");
        });
        assertThat(given().get("/api/trials/NCT09900012").then().extract().asString()).isEqualTo(before);
        assertThat(wm().findAll(getRequestedFor(urlPathEqualTo("/api/v2/studies")))).hasSize(4); // 1 + 3 retries
        // failing on: the circuit breaker opens, and a run then fails fast without calling ClinicalTrials.gov
        boolean failedFast = false;
        for (int i = 0; i < 3 && !failedFast; i++) {
            wm().resetRequests();
            JsonPath next = runSync();
            assertThat(next.getString("state")).isEqualTo("FAILED");
            failedFast = wm().getAllServeEvents().isEmpty();
            if (failedFast) {
                assertThat(next.getString("failure")).contains("circuit breaker is open");
            }
        }
        assertThat(failedFast).isTrue();
    }

    @Test
    void aTrialIsRegisteredFromItsRecordGivenOnlyItsNctId() {
        wm().stubFor(get(urlPathEqualTo("/api/v2/studies")).withQueryParam("filter.ids", equalTo("NCT09900021"))
                .willReturn(json("ctgov/studies-fill.json")));
        wm().stubFor(get(urlPathEqualTo("/api/v2/studies")).withQueryParam("filter.ids", equalTo("NCT09900022"))
                .willReturn(json("ctgov/studies-empty.json")));
        try (KafkaTopicReader reader = new KafkaTopicReader(KafkaTopicReader.testBootstrapServers(), Topics.TRIAL_EVENTS)) {
            given().auth().oauth2(TestTokens.curator()).contentType(ContentType.JSON).body("{\"nctId\":\"NCT09900021\"}")
                    .post("/api/trials").then().statusCode(201)
                    .body("briefTitle", org.hamcrest.Matchers.equalTo("Drug G in Pancreatic Cancer"))
                    .body("overallStatus", org.hamcrest.Matchers.equalTo("RECRUITING"))
                    .body("phases", org.hamcrest.Matchers.contains("PHASE1", "PHASE2"))
                    .body("interventions", org.hamcrest.Matchers.contains("Drug G", "Gemcitabine"))
                    .body("enrollmentCount", org.hamcrest.Matchers.equalTo(90))
                    .body("acronym", org.hamcrest.Matchers.nullValue())
                    .body("tumourTypes", org.hamcrest.Matchers.empty())
                    .body("factSources.briefTitle.sourceKind", org.hamcrest.Matchers.equalTo("ctgov-api-v2"))
                    .body("factSources.acronym", org.hamcrest.Matchers.nullValue());
            List<Received> events = reader.readUntil(rs -> !of(rs, "NCT09900021", EventTypes.TRIAL_REGISTERED).isEmpty(),
                    Duration.ofSeconds(20));
            JsonNode registered = payload(of(events, "NCT09900021", EventTypes.TRIAL_REGISTERED).get(0));
            assertThat(registered.path("origin").asText()).isEqualTo("CTGOV_SYNC");
            assertThat(EventSchemas.violations(EventTypes.TRIAL_REGISTERED, registered)).isEmpty();
        }
        given().get("/api/trials/NCT09900021/versions").then().body("items.size()", org.hamcrest.Matchers.equalTo(1));
        given().auth().oauth2(TestTokens.curator()).contentType(ContentType.JSON).body("{\"nctId\":\"NCT09900022\"}")
                .post("/api/trials").then().statusCode(422).contentType(PROBLEM)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("nctId"));
        given().get("/api/trials/NCT09900022").then().statusCode(404);
        given().auth().oauth2(TestTokens.curator()).contentType(ContentType.JSON).body("{\"nctId\":\"NCT09900021\"}")
                .post("/api/trials").then().statusCode(409);
        wm().stubFor(get(urlPathEqualTo("/api/v2/studies")).withQueryParam("filter.ids", equalTo("NCT09900023"))
                .willReturn(aResponse().withStatus(503)));
        given().auth().oauth2(TestTokens.curator()).contentType(ContentType.JSON).body("{\"nctId\":\"NCT09900023\"}")
                .post("/api/trials").then().statusCode(503).contentType(PROBLEM);
        given().get("/api/trials/NCT09900023").then().statusCode(404);
    }

    @Test
    void runsAreListedNewestFirstAndOnlyOneRunsAtATime() {
        wm().stubFor(get(urlPathEqualTo("/api/v2/studies"))
                .willReturn(json("ctgov/studies-empty.json").withFixedDelay(3000)));
        long first = given().auth().oauth2(TestTokens.curator()).post("/api/sync/runs").then().statusCode(202)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/sync/runs/" + given().get("/api/sync/runs").then()
                        .extract().jsonPath().getLong("items[0].id")))
                .extract().jsonPath().getLong("runId");
        given().auth().oauth2(TestTokens.curator()).post("/api/sync/runs").then().statusCode(409).contentType(PROBLEM);
        awaitRun(first);
        given().post("/api/sync/runs").then().statusCode(401).contentType(PROBLEM);
        given().auth().oauth2(TestTokens.subscriber("team-a")).post("/api/sync/runs").then().statusCode(403);
        JsonPath page = given().queryParam("limit", 1).get("/api/sync/runs").then().statusCode(200).extract().jsonPath();
        assertThat(page.getLong("items[0].id")).isEqualTo(first);
        String next = page.getString("next");
        if (next != null) {
            assertThat(given().queryParam("limit", 1).queryParam("cursor", next).get("/api/sync/runs").then()
                    .statusCode(200).extract().jsonPath().getLong("items[0].id")).isLessThan(first);
        }
        given().queryParam("limit", 0).get("/api/sync/runs").then().statusCode(400).contentType(PROBLEM);
        given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("trialwatch_ctgov_sync_last_success_timestamp_seconds"))
                .body(org.hamcrest.Matchers.containsString("trialwatch_ctgov_sync_changes_found_total"));
    }
}
