package org.trialwatch.registry.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.TestTokens;

@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(org.trialwatch.registry.ctgov.CtgovWireMockResource.class)
class TrialApiIT {

    private static final String PROBLEM = "application/problem+json";

    static String etagOf(String nctId) {
        return given().get("/api/trials/{id}", nctId).then().statusCode(200).extract().header("ETag");
    }

    static int historySize(String nctId) {
        return given().get("/api/trials/{id}/history", nctId).then().statusCode(200).extract().jsonPath().getList("items").size();
    }

    @Test
    void theFourteenReviewTrialsAreSeededWithUnknownsLeftUnknown() {
        given().queryParam("limit", 200).get("/api/trials").then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.greaterThanOrEqualTo(14))
                .body("items.nctId", hasItems("NCT03768414", "NCT05737706", "NCT05379985", "NCT06128551",
                        "NCT05093231", "NCT04548752", "NCT04753879", "NCT04493060", "NCT05921760", "NCT03991832",
                        "NCT05254847", "NCT04333927", "NCT05239169", "NCT04506281"));
        given().get("/api/trials/NCT03768414").then().statusCode(200)
                .body("overallStatus", nullValue())
                .body("statusVerified", equalTo(false))
                .body("briefTitle", nullValue())
                .body("tumourTypes", hasItem("BTC"))
                .body("reviewProvenance.section", equalTo("2.3"));
        given().get("/api/trials/NCT05737706").then().statusCode(200)
                .body("overallStatus", equalTo("TERMINATED"))
                .body("whyStopped", equalTo("Formulation challenges"))
                .body("factSources.overallStatus.asOf", equalTo("2026-09-14"));
    }

    @Test
    void lowerCaseNctIdsAreReadAsTheCanonicalId() {
        given().get("/api/trials/nct05737706").then().statusCode(200)
                .body("nctId", equalTo("NCT05737706")).body("overallStatus", equalTo("TERMINATED"));
        given().get("/api/trials/nct05737706/history").then().statusCode(200)
                .body("items.nctId", everyItem(equalTo("NCT05737706")));
        given().auth().oauth2(TestTokens.curator()).contentType(ContentType.JSON)
                .body("{\"nctId\":\"nct09990077\",\"briefTitle\":\"Typed in lower case\"}").post("/api/trials")
                .then().statusCode(201).header("Location", containsString("/api/trials/NCT09990077"))
                .body("nctId", equalTo("NCT09990077"));
        given().auth().oauth2(TestTokens.curator()).header("If-Match", etagOf("NCT09990077"))
                .contentType(ContentType.JSON)
                .body("{\"newStatus\":\"RECRUITING\",\"effectiveDate\":\"2025-01-02\"}")
                .post("/api/trials/nct09990077/status-changes").then().statusCode(201)
                .body("nctId", equalTo("NCT09990077"));
        given().get("/api/trials/NCT09990077").then().statusCode(200).body("overallStatus", equalTo("RECRUITING"));
        given().get("/api/trials/nct0999").then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("nctId"));
    }

    @Test
    void openApiNamesTheStatusCodesTheWritesAnswer() {
        io.restassured.path.json.JsonPath doc = given().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200).extract().jsonPath();
        assertThat(doc.getMap("paths.'/api/trials'.post.responses")).containsKey("201").doesNotContainKey("200");
        assertThat(doc.getMap("paths.'/api/trials/{nctId}/status-changes'.post.responses")).containsKey("201")
                .doesNotContainKey("200");
        assertThat(doc.getMap("paths.'/api/trials/{nctId}/results'.post.responses")).containsKey("201")
                .doesNotContainKey("200");
        assertThat(doc.getMap("paths.'/api/sync/runs'.post.responses")).containsKey("202").doesNotContainKey("200");
    }

    @Test
    void filtersCombineAndEveryResultMatches() {
        given().queryParam("tumourType", "PC").queryParam("status", "RECRUITING").get("/api/trials").then()
                .statusCode(200)
                .body("items.nctId", hasItems("NCT05379985", "NCT06128551"))
                .body("items.tumourTypes", everyItem(hasItem("PC")))
                .body("items.overallStatus", everyItem(equalTo("RECRUITING")));
        given().queryParam("target", "KRAS").get("/api/trials").then().statusCode(200)
                .body("items.nctId", hasItem("NCT05737706"))
                .body("items.mechanism", everyItem(containsString("KRAS")));
        given().queryParam("q", "MRTX1133").get("/api/trials").then().statusCode(200)
                .body("items.nctId", equalTo(List.of("NCT05737706")));
        given().queryParam("phase", "PHASE2").queryParam("status", "TERMINATED").get("/api/trials").then()
                .statusCode(200).body("items.nctId", hasItem("NCT05737706"));
        given().queryParam("status", "NOT_VERIFIED").get("/api/trials").then().statusCode(200)
                .body("items.overallStatus", everyItem(nullValue()))
                .body("items.nctId", hasItem("NCT04493060"));
    }

    @Test
    void cursorPagesWalkEveryTrialOnceInOrder() {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var spec = given().queryParam("limit", 4);
            if (cursor != null) {
                spec = spec.queryParam("cursor", cursor);
            }
            Response page = spec.get("/api/trials").then().statusCode(200).extract().response();
            seen.addAll(page.jsonPath().getList("items.nctId"));
            cursor = page.jsonPath().getString("next");
        } while (cursor != null);
        assertThat(seen).hasSizeGreaterThanOrEqualTo(14).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void badQueryParametersAreProblems() {
        given().queryParam("tumourType", "LUNG").get("/api/trials").then().statusCode(400)
                .contentType(PROBLEM).body("errors[0].field", equalTo("tumourType"));
        given().queryParam("cursor", "not-a-cursor").get("/api/trials").then().statusCode(400)
                .contentType(PROBLEM).body("errors[0].field", equalTo("cursor"));
        given().queryParam("status", "OPEN").get("/api/trials").then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
    }

    @Test
    void aTrialsOwnListsArePagedLikeTheTrialList() {
        String nctId = "NCT09990081";
        given().auth().oauth2(TestTokens.curator()).contentType(ContentType.JSON)
                .body("{\"nctId\":\"" + nctId + "\",\"briefTitle\":\"Paged lists\",\"overallStatus\":\"RECRUITING\"}").post("/api/trials")
                .then().statusCode(201);
        String result = "{\"endpoint\":\"ORR\",\"arm\":\"%s\",\"armRole\":\"EXPERIMENTAL\",\"value\":25,\"unit\":\"%%\","
                + "\"n\":40,\"source\":\"paging test\"}";
        given().auth().oauth2(TestTokens.curator()).contentType(ContentType.JSON)
                .body("{\"results\":[" + result.formatted("A") + "," + result.formatted("B") + "," + result.formatted("C") + "]}")
                .post("/api/trials/{id}/results", nctId).then().statusCode(201);

        Response first = given().queryParam("limit", 2).get("/api/trials/{id}/results", nctId).then().statusCode(200)
                .body("limit", equalTo(2)).body("items", hasSize(2)).body("next", notNullValue()).extract().response();
        given().queryParam("limit", 2).queryParam("cursor", first.jsonPath().getString("next"))
                .get("/api/trials/{id}/results", nctId).then().statusCode(200)
                .body("items.arm", equalTo(List.of("C"))).body("next", nullValue());
        assertThat(first.jsonPath().getList("items.arm", String.class)).containsExactly("A", "B");
        // without a limit: the default page, as for /api/trials
        given().get("/api/trials/{id}/history", nctId).then().statusCode(200)
                .body("limit", equalTo(50)).body("next", nullValue()).body("items", hasSize(1));
        given().get("/api/trials/{id}/versions", nctId).then().statusCode(200)
                .body("limit", equalTo(50)).body("next", nullValue()).body("items", hasSize(0));
    }

    @Test
    void aLimitOrCursorThatIsNotOneIsAProblemNamingIt() {
        for (String path : List.of("/api/trials", "/api/trials/NCT05737706/history", "/api/trials/NCT05737706/results",
                "/api/trials/NCT05737706/versions", "/api/sync/runs")) {
            for (String limit : List.of("abc", "0", "1.5")) {
                given().queryParam("limit", limit).get(path).then().statusCode(400).contentType(PROBLEM)
                        .body("errors[0].field", equalTo("limit"));
            }
            given().queryParam("cursor", "not-a-cursor").get(path).then().statusCode(400).contentType(PROBLEM)
                    .body("errors[0].field", equalTo("cursor"));
        }
    }

    @Test
    void conditionalGetAnswers304WhenUnchanged() {
        String etag = etagOf("NCT04548752");
        assertThat(etag).isNotBlank();
        given().header("If-None-Match", etag).get("/api/trials/NCT04548752").then().statusCode(304);
        given().header("If-None-Match", "\"999\"").get("/api/trials/NCT04548752").then().statusCode(200);
    }

    @Test
    void unknownAndMalformedTrialIds() {
        given().get("/api/trials/NCT00000001").then().statusCode(404).contentType(PROBLEM)
                .body("title", equalTo("Trial not tracked"));
        given().get("/api/trials/NCT12").then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("nctId"));
    }

    @Test
    void curatorRecordsAStatusChangeWithHistoryAndANewVersion() {
        String nctId = "NCT05254847";
        String etag = etagOf(nctId);
        int before = historySize(nctId);
        String newEtag = given().auth().oauth2(TestTokens.curator()).header("If-Match", etag)
                .contentType(ContentType.JSON)
                .body("{\"newStatus\":\"RECRUITING\",\"effectiveDate\":\"2026-11-01\",\"reason\":\"site activated\"}")
                .post("/api/trials/{id}/status-changes", nctId)
                .then().statusCode(201)
                .body("previousStatus", nullValue())
                .body("newStatus", equalTo("RECRUITING"))
                .body("origin", equalTo("CURATOR"))
                .body("recordedBy", equalTo("curator@trialwatch.local"))
                .extract().header("ETag");
        assertThat(newEtag).isNotEqualTo(etag);
        assertThat(historySize(nctId)).isEqualTo(before + 1);
        given().get("/api/trials/{id}", nctId).then().body("overallStatus", equalTo("RECRUITING"))
                .header("ETag", newEtag);
    }

    @Test
    void writesNeedACuratorToken() {
        String body = "{\"newStatus\":\"RECRUITING\",\"effectiveDate\":\"2026-11-01\"}";
        given().header("If-Match", "\"1\"").contentType(ContentType.JSON).body(body)
                .post("/api/trials/NCT05239169/status-changes").then().statusCode(401).contentType(PROBLEM);
        given().auth().oauth2(TestTokens.subscriber("team-a")).header("If-Match", "\"1\"").contentType(ContentType.JSON)
                .body(body).post("/api/trials/NCT05239169/status-changes").then().statusCode(403).contentType(PROBLEM);
        given().auth().oauth2("not.a.token").header("If-Match", "\"1\"").contentType(ContentType.JSON).body(body)
                .post("/api/trials/NCT05239169/status-changes").then().statusCode(401);
    }

    @Test
    void missingIfMatchIs428AndStaleIfMatchIs412() {
        String nctId = "NCT05239169";
        String body = "{\"newStatus\":\"RECRUITING\",\"effectiveDate\":\"2026-11-01\"}";
        given().auth().oauth2(TestTokens.curator()).contentType(ContentType.JSON).body(body)
                .post("/api/trials/{id}/status-changes", nctId).then().statusCode(428).contentType(PROBLEM)
                .body("errors[0].field", equalTo("If-Match"));
        given().auth().oauth2(TestTokens.curator()).header("If-Match", "\"999\"").contentType(ContentType.JSON).body(body)
                .post("/api/trials/{id}/status-changes", nctId).then().statusCode(412).contentType(PROBLEM)
                .body("currentVersion", notNullValue());
        assertThat(given().get("/api/trials/{id}", nctId).jsonPath().getString("overallStatus")).isNull();
    }

    @Test
    void illegalTransitionIs422NamingTheRuleAndChangesNothing() {
        String nctId = "NCT05737706"; // TERMINATED in the seed
        String etag = etagOf(nctId);
        int before = historySize(nctId);
        given().auth().oauth2(TestTokens.curator()).header("If-Match", etag).contentType(ContentType.JSON)
                .body("{\"newStatus\":\"RECRUITING\",\"effectiveDate\":\"2026-11-01\"}")
                .post("/api/trials/{id}/status-changes", nctId).then().statusCode(422).contentType(PROBLEM)
                .body("rules.rule", hasItem("TERMINAL_STATUS_NEEDS_CORRECTION"))
                .body("errors[0].field", equalTo("newStatus"));
        given().auth().oauth2(TestTokens.curator()).header("If-Match", etag).contentType(ContentType.JSON)
                .body("{\"newStatus\":\"TERMINATED\",\"effectiveDate\":\"2026-11-01\",\"reason\":\"x\"}")
                .post("/api/trials/{id}/status-changes", nctId).then().statusCode(422)
                .body("rules.rule", hasItem("SAME_STATUS"));
        assertThat(historySize(nctId)).isEqualTo(before);
        assertThat(etagOf(nctId)).isEqualTo(etag);
    }

    @Test
    void malformedBodiesAreRejectedNamingTheFieldAndStoreNothing() {
        String nctId = "NCT03991832";
        String etag = etagOf(nctId);
        record Case(String body, String field) {
        }
        List<Case> cases = List.of(
                new Case("{\"newStatus\":\"RECRUITING\",\"effectiveDate\":\"2026-11-01\",\"colour\":\"red\"}", "colour"),
                new Case("{\"newStatus\":\"OPEN\",\"effectiveDate\":\"2026-11-01\"}", "newStatus"),
                new Case("{\"newStatus\":\"RECRUITING\",\"effectiveDate\":\"01/11/2026\"}", "effectiveDate"),
                new Case("{\"newStatus\":\"RECRUITING\",\"effectiveDate\":\"" + LocalDate.now().plusDays(3) + "\"}", "effectiveDate"),
                new Case("{\"newStatus\":\"RECRUITING\",\"effectiveDate\":\"2026-11-01\",\"correction\":\"yes\"}", "correction"),
                new Case("{\"effectiveDate\":\"2026-11-01\"}", "newStatus"));
        for (Case c : cases) {
            given().auth().oauth2(TestTokens.curator()).header("If-Match", etag).contentType(ContentType.JSON)
                    .body(c.body()).post("/api/trials/{id}/status-changes", nctId)
                    .then().statusCode(400).contentType(PROBLEM).body("errors.field", hasItem(c.field()));
        }
        given().auth().oauth2(TestTokens.curator()).header("If-Match", etag).contentType(ContentType.JSON)
                .body("{not json").post("/api/trials/{id}/status-changes", nctId)
                .then().statusCode(400).contentType(PROBLEM);
        given().auth().oauth2(TestTokens.curator()).header("If-Match", etag).contentType(ContentType.JSON)
                .body("{\"newStatus\":\"RECRUITING\",\"effectiveDate\":\"2026-11-01\",\"reason\":\"" + "x".repeat(70_000) + "\"}")
                .post("/api/trials/{id}/status-changes", nctId).then().statusCode(413).contentType(PROBLEM);
        assertThat(etagOf(nctId)).isEqualTo(etag);
        assertThat(historySize(nctId)).isZero();
    }

    @Test
    void registeringANewTrialAndADuplicate() {
        String body = "{\"nctId\":\"NCT09990001\",\"briefTitle\":\"A test trial\",\"tumourTypes\":[\"BTC\"],"
                + "\"phases\":[\"PHASE2\"],\"startDate\":\"2025-03\"}";
        given().auth().oauth2(TestTokens.curator()).contentType(ContentType.JSON).body(body).post("/api/trials")
                .then().statusCode(201).header("Location", containsString("/api/trials/NCT09990001"))
                .body("overallStatus", nullValue()).body("startDate", equalTo("2025-03"))
                // the sync is on in these tests: it will fill the rest, so there is nothing to warn about
                .body("notice", nullValue());
        given().auth().oauth2(TestTokens.curator()).contentType(ContentType.JSON).body(body).post("/api/trials")
                .then().statusCode(409).contentType(PROBLEM).body("errors[0].field", equalTo("nctId"));
        given().auth().oauth2(TestTokens.curator()).contentType(ContentType.JSON)
                .body("{\"nctId\":\"NCT123\",\"phases\":\"PHASE2\"}").post("/api/trials")
                .then().statusCode(400).body("errors.field", hasItems("nctId", "phases"));
        given().get("/api/trials/NCT00000123").then().statusCode(404);
    }

    @Test
    void concurrentRegistrationsOfOneTrialGiveOneTrialAndConflictsForTheRest() throws Exception {
        String body = "{\"nctId\":\"NCT09990002\",\"briefTitle\":\"Registered six times at once\","
                + "\"overallStatus\":\"RECRUITING\"}";
        ExecutorService curators = Executors.newFixedThreadPool(6);
        List<Integer> codes = new ArrayList<>();
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(curators.submit(() -> given().auth().oauth2(TestTokens.curator())
                        .contentType(ContentType.JSON).body(body).post("/api/trials").statusCode()));
            }
            for (Future<Integer> answer : answers) {
                codes.add(answer.get(30, TimeUnit.SECONDS));
            }
        } finally {
            curators.shutdownNow();
        }
        // never a 500 from the second insert of one key: one registration, and a 409 problem for each of the others
        assertThat(codes).containsOnly(201, 409).filteredOn(code -> code == 201).hasSize(1);
        given().get("/api/trials/NCT09990002").then().statusCode(200).header("ETag", "\"1\"");
        given().get("/api/trials/NCT09990002/history").then().body("items", hasSize(1))
                .body("items[0].newStatus", equalTo("RECRUITING"));
    }

    @Test
    void patchChangesFieldsAndReportsWhatChanged() {
        String nctId = "NCT04506281";
        String etag = etagOf(nctId);
        given().auth().oauth2(TestTokens.curator()).header("If-Match", etag).contentType(ContentType.JSON)
                .body("{\"acronym\":\"TEST-ACR\",\"enrollmentCount\":120,\"enrollmentType\":\"ESTIMATED\"}")
                .patch("/api/trials/{id}", nctId).then().statusCode(200)
                .body("acronym", equalTo("TEST-ACR")).body("enrollmentCount", equalTo(120));
        given().auth().oauth2(TestTokens.curator()).header("If-Match", etag).contentType(ContentType.JSON)
                .body("{\"acronym\":\"OTHER\"}").patch("/api/trials/{id}", nctId).then().statusCode(412);
        given().auth().oauth2(TestTokens.curator()).header("If-Match", etagOf(nctId)).contentType(ContentType.JSON)
                .body("{\"overallStatus\":\"COMPLETED\"}").patch("/api/trials/{id}", nctId).then().statusCode(400)
                .body("errors[0].field", equalTo("overallStatus"));
    }

    @Test
    void postedResultsAreStoredWithTheirSource() {
        String nctId = "NCT05921760";
        given().auth().oauth2(TestTokens.curator()).contentType(ContentType.JSON)
                .body("{\"results\":[{\"endpoint\":\"ORR\",\"arm\":\"A\",\"armRole\":\"EXPERIMENTAL\",\"value\":31.5,\"unit\":\"%\","
                        + "\"ci95\":{\"lower\":20.0,\"upper\":44.1},\"n\":54,\"source\":\"test readout\"}]}")
                .post("/api/trials/{id}/results", nctId).then().statusCode(201)
                .body("[0].endpoint", equalTo("ORR")).body("[0].n", equalTo(54));
        given().get("/api/trials/{id}/results", nctId).then().statusCode(200).body("items", hasSize(1));
        given().auth().oauth2(TestTokens.curator()).contentType(ContentType.JSON)
                .body("{\"results\":[{\"endpoint\":\"QOL\",\"value\":1,\"source\":\"s\"}]}")
                .post("/api/trials/{id}/results", nctId).then().statusCode(400)
                .body("errors[0].field", containsString("endpoint"));
        given().auth().oauth2(TestTokens.curator()).contentType(ContentType.JSON)
                .body("{\"results\":[{\"endpoint\":\"OS\",\"value\":11.2}]}")
                .post("/api/trials/{id}/results", nctId).then().statusCode(400)
                .body("errors.field", hasItem(containsString("source")));
        given().get("/api/trials/{id}/results", nctId).then().body("items", hasSize(1));
    }

    @Test
    void openApiAndHealthAreServed() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/trials/{nctId}/status-changes"));
        given().get("/q/health/ready").then().statusCode(200).body(containsString("UP"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("trialwatch_outbox_backlog"));
    }
}
