package org.trialwatch.evidence.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.trialwatch.events.EventJson;
import org.trialwatch.evidence.application.EvidenceSeeder;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** What a researcher or a dashboard sees of the seeded evidence and the summaries. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
class EvidenceApiIT {

    private static final Set<String> PROVENANCE = Set.of("row", "authors", "ref", "year", "notes", "ocr_line",
            "ocr_lines", "results", "nct_id");

    @Inject
    EvidenceSeeder seeder;

    private static JsonNode seedFile() throws IOException {
        Path file = Path.of(System.getProperty("trialwatch.root", ".."), "data", "review-evidence.json");
        return EventJson.mapper().readTree(file.toFile());
    }

    private static JsonNode get(String path) throws IOException {
        String body = given().accept("application/json").get(path).then().statusCode(200).extract().asString();
        return EventJson.mapper().readTree(body);
    }

    @ParameterizedTest(name = "Table {0} comes back row for row, values as read beside the raw printed values")
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void reproducesEachTableOfTheReviewExactly(int table) throws IOException {
        JsonNode expected = seedFile().get("table" + table);
        JsonNode served = get("/api/evidence?table=" + table);
        assertThat(served.get("count").asInt()).isEqualTo(expected.size());
        JsonNode rows = served.get("rows");
        for (int i = 0; i < expected.size(); i++) {
            JsonNode want = expected.get(i);
            JsonNode got = rows.get(i);
            String where = "Table " + table + " row " + want.get("row").asInt();
            assertThat(got.get("table").asInt()).as(where).isEqualTo(table);
            assertThat(got.get("row").asInt()).as(where).isEqualTo(want.get("row").asInt());
            assertThat(got.get("refs")).as(where).containsExactly(want.get("ref"));
            assertThat(got.get("authors")).as(where).isEqualTo(want.get("authors"));
            assertThat(got.get("year")).as(where).isEqualTo(want.get("year"));
            assertThat(got.get("notes")).as(where).isEqualTo(want.get("notes"));
            List<String> columns = new ArrayList<>();
            for (Iterator<String> it = want.fieldNames(); it.hasNext(); ) {
                String column = it.next();
                if (PROVENANCE.contains(column)) {
                    continue;
                }
                columns.add(column);
                JsonNode cell = got.get("columns").get(column);
                JsonNode printed = want.get(column);
                if (printed.isObject() && printed.has("raw")) {
                    assertThat(cell.get("value")).as(where + " " + column + " value").isEqualTo(printed.get("value"));
                    assertThat(cell.get("raw")).as(where + " " + column + " raw").isEqualTo(printed.get("raw"));
                    assertThat(cell.get("correctionReason").isNull() ? null : cell.get("correctionReason").asText())
                            .as(where + " " + column + " reason")
                            .isEqualTo(printed.has("correction_reason") ? printed.get("correction_reason").asText() : null);
                } else {
                    assertThat(cell.get("value")).as(where + " " + column).isEqualTo(printed);
                    assertThat(cell.get("corrected").asBoolean()).as(where + " " + column).isFalse();
                }
            }
            List<String> servedColumns = new ArrayList<>();
            got.get("columns").fieldNames().forEachRemaining(servedColumns::add);
            assertThat(servedColumns).as(where + " column order").isEqualTo(columns);
        }
    }

    @Test
    void showsTheCorrectedMedianOsOfTopaz1BesideThePrintedOne() throws IOException {
        JsonNode topaz = get("/api/evidence?table=1").get("rows").get(0);
        JsonNode os = topaz.get("columns").get("median_os_months");
        assertThat(os.get("value").asDouble()).isEqualTo(12.8);
        assertThat(os.get("raw").asText()).isEqualTo("1.7");
        assertThat(os.get("corrected").asBoolean()).isTrue();
        assertThat(os.get("confidence").asText()).isEqualTo("medium");
        assertThat(topaz.get("citation").asText()).isEqualTo("Table 1 row 1 [ref 5]");
        assertThat(topaz.get("groups").findValuesAsText("groupKey")).containsExactly("BTC.first-line.chemo_immuno.PD-L1");
    }

    @Test
    void servesTheSameTableAsCsvForResearchers() {
        String csv = given().accept("text/csv").get("/api/evidence?table=2")
                .then().statusCode(200).header("Content-Type", startsWith("text/csv")).extract().asString();
        String[] lines = csv.split("\r\n");
        assertThat(lines).hasSize(1 + 12);
        assertThat(lines[0]).startsWith("id,source,table,row,text_figure_id,refs,authors,year,section,line,line_raw,"
                + "line_correction_reason,line_confidence,line_error_origin,line_source,line_discrepancy,regimen,regimen_raw");
        assertThat(lines[1]).startsWith("T2-R1,table,2,1,,20,Conroy T et al.,2011,,First line,First line,,,,,,")
                .contains(",11.1,1.1,\"Decimal lost");
        assertThat(lines[12]).contains("23.5,235,");
    }

    @Test
    void theCsvCarriesEachValuesConfidenceErrorOriginSourceDiscrepancyAndTheOcrLine() {
        String csv = given().accept("text/csv").get("/api/evidence?table=1").then().statusCode(200).extract().asString();
        List<Map<String, String>> rows = parseCsv(csv);
        Map<String, String> topaz = rows.get(0);
        assertThat(topaz.get("id")).isEqualTo("T1-R1");
        assertThat(topaz.get("median_os_months")).isEqualTo("12.8");
        assertThat(topaz.get("median_os_months_raw")).isEqualTo("1.7");
        assertThat(topaz.get("median_os_months_confidence")).isEqualTo("medium");
        assertThat(topaz.get("median_os_months_error_origin")).isEqualTo("ocr");
        assertThat(topaz.get("ocr_line")).isEqualTo("First-line PD-1 Durvalumab + Cisplatin + GEM 1] 685 1.7 Oh DY et al. [5] 2022");
        Map<String, String> nifty = rows.get(7);
        assertThat(nifty.get("id")).isEqualTo("T1-R8");
        assertThat(nifty.get("median_os_months_discrepancy")).startsWith("median PFS (BICR); published median OS 8.6: NIFTY");
        Map<String, String> abc06 = rows.get(6);
        assertThat(abc06.get("regimen_raw")).isEqualTo("Futibatinib");
        assertThat(abc06.get("regimen_error_origin")).isEqualTo("source_table");
        assertThat(abc06.get("n_enrolled_discrepancy")).startsWith("unreconciled; randomised 162");
        String figures = given().accept("text/csv").get("/api/evidence?source=text-figure&category=efficacy")
                .then().statusCode(200).extract().asString();
        assertThat(parseCsv(figures)).allSatisfy(r -> assertThat(r.get("ocr_line")).isNotBlank());
        String table3 = given().accept("text/csv").get("/api/evidence?table=3").then().statusCode(200).extract().asString();
        assertThat(parseCsv(table3).get(2).get("phase_source")).startsWith("running text: 'a phase-1 trial");
    }

    @Test
    void aSummaryLeavesOutADisputedMedianOsAndScreenedNumberAndSaysWhatTheyAre() throws IOException {
        JsonNode s = get("/api/summaries/BTC.second-line.chemo.cytotoxic");
        assertThat(s.at("/medianOs/best/months").asDouble()).isNotEqualTo(7.1);
        assertThat(s.at("/medianOs/values").findValuesAsText("from")).doesNotContain("T1-R8");
        JsonNode nifty = s.at("/medianOs/leftOut/0");
        assertThat(nifty.get("from").asText()).isEqualTo("T1-R8");
        assertThat(nifty.get("measure").asText()).isEqualTo("median PFS (BICR)");
        assertThat(nifty.get("sourceFigure").asDouble()).isEqualTo(8.6);
        assertThat(s.at("/evidence/patientsLeftOut").findValuesAsText("from")).contains("T1-R7");
        assertThat(s.at("/evidence/patientsCounted").findValuesAsText("measure"))
                .allSatisfy(m -> assertThat(m).matches("(enrolled|randomised).*"));
        JsonNode keynote = get("/api/summaries/BTC.first-line.chemo_immuno.PD-1");
        assertThat(keynote.at("/evidence/totalPatients").asInt()).isEqualTo(1069);
    }

    /** RFC 4180 records as maps by header; an empty field is absent (null). */
    private static List<Map<String, String>> parseCsv(String csv) {
        List<List<String>> records = new java.util.ArrayList<>();
        List<String> record = new java.util.ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new java.util.ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        List<String> header = records.get(0);
        List<Map<String, String>> out = new java.util.ArrayList<>();
        for (List<String> r : records.subList(1, records.size())) {
            assertThat(r).hasSameSizeAs(header);
            Map<String, String> m = new java.util.LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                if (!r.get(i).isEmpty()) {
                    m.put(header.get(i), r.get(i));
                }
            }
            out.add(m);
        }
        return out;
    }

    @Test
    void filtersEvidenceByTumourTypeSourceTrialAndGroup() throws IOException {
        JsonNode krasRows = get("/api/evidence?groupKey=PC.any-line.targeted.KRAS");
        assertThat(krasRows.get("rows").findValuesAsText("id")).contains("T4-R3", "T4-R4");
        JsonNode mentions = get("/api/evidence?source=nct-mention");
        assertThat(mentions.get("count").asInt()).isEqualTo(14);
        JsonNode figures = get("/api/evidence?source=text-figure&category=efficacy&tumourType=PC");
        figures.get("rows").forEach(r -> assertThat(r.get("textFigureId").asText()).startsWith("TF"));
        JsonNode byTrial = get("/api/evidence?nctId=NCT04753879");
        assertThat(byTrial.get("rows").findValuesAsText("id")).containsExactly("T4-R9", "M-NCT04753879");
    }

    @Test
    void anUnknownTableIsABadRequestNamingTheParameter() {
        given().get("/api/evidence?table=9").then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors[0].field", equalTo("table"))
                .body("instance", equalTo("/api/evidence?table=9"))
                .body("type", startsWith("https://trialwatch.org/problems/"));
        given().get("/api/evidence?table=one").then().statusCode(400).body("errors[0].field", equalTo("table"));
        given().get("/api/summaries?line=third-line&limit=0").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.contains("line", "limit"));
    }

    @Test
    void anUnknownGroupIsNotFoundAndAMalformedKeyIsABadRequest() {
        given().get("/api/summaries/PC.any-line.targeted.NOPE").then().statusCode(404)
                .contentType("application/problem+json").body("title", equalTo("Not found"));
        given().get("/api/summaries/not-a-key").then().statusCode(400).body("errors[0].field", equalTo("groupKey"));
        given().get("/api/trials/NCT00000000/evidence").then().statusCode(404);
        given().get("/api/trials/banana/evidence").then().statusCode(400).body("errors[0].field", equalTo("nctId"));
    }

    @Test
    void aSummaryCarriesAnEtagAndAnswers304WhenUnchanged() {
        String key = "BTC.first-line.chemo_immuno.PD-L1";
        io.restassured.response.Response first = given().get("/api/summaries/" + key);
        first.then().statusCode(200).body("groupKey", equalTo(key)).body("evidence.totalPatients", equalTo(685));
        String etag = first.getHeader("ETag");
        assertThat(etag).matches("\"\\d+\"");
        given().header("If-None-Match", etag).get("/api/summaries/" + key).then().statusCode(304);
        given().header("If-None-Match", "\"0\"").get("/api/summaries/" + key).then().statusCode(200);
    }

    @Test
    void pagesThroughAllSummariesWithACursorAndFilters() {
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonPath page = given().queryParam("limit", 7).queryParam("cursor", cursor == null ? new Object[0] : new Object[] {cursor})
                    .get("/api/summaries").then().statusCode(200).extract().jsonPath();
            List<String> keys = page.getList("items.groupKey", String.class);
            keys.forEach(k -> assertThat(seen.add(k)).as("no group twice: " + k).isTrue());
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 100);
        assertThat(pages).isGreaterThan(1);
        int all = given().queryParam("limit", 200).get("/api/summaries").then().extract().jsonPath()
                .getList("items").size();
        assertThat(seen).hasSize(all);

        JsonPath btc = given().queryParam("tumourType", "BTC").queryParam("line", "first-line").queryParam("limit", 200)
                .get("/api/summaries").then().statusCode(200).extract().jsonPath();
        assertThat(btc.getList("items.tumourType", String.class)).isNotEmpty().containsOnly("BTC");
        assertThat(btc.getList("items.line", String.class)).containsOnly("first-line");
        assertThat(btc.getList("items.groupKey", String.class)).contains("BTC.first-line.chemo_immuno.PD-L1");
        JsonPath kras = given().queryParam("target", "kras").queryParam("therapyClass", "targeted").get("/api/summaries")
                .then().statusCode(200).extract().jsonPath();
        assertThat(kras.getList("items.groupKey", String.class)).contains("PC.any-line.targeted.KRAS");
    }

    @Test
    void aSummaryShowsWhichRowsAreInTheGroupAndWhy() {
        JsonPath s = given().get("/api/summaries/BTC.any-line.immuno.CTLA-4_PD-1").then().statusCode(200).extract().jsonPath();
        assertThat(s.getList("rows.id", String.class)).containsExactly("T5-R1", "T5-R5", "TF63", "TF64", "TF65");
        assertThat(s.getString("rows[0].why")).contains("tumour type BTC", "line any-line", "therapy class immuno",
                "target CTLA-4_PD-1");
        assertThat(s.getInt("orr.pooled.k")).isEqualTo(2);
        // whole responders 5/12 and 8/39 (ADR 0102's worked example)
        assertThat(s.getFloat("orr.pooled.percent")).isEqualTo(28.16f);
        assertThat(s.getList("certaintyFlags.flag", String.class)).contains("mixed-population");
        assertThat(s.getString("rows[0].why")).contains("mixed-population");
    }

    @Test
    void seedingAgainChangesNothing() {
        EvidenceSeeder.Report again = seeder.seed();
        assertThat(again.rowsWritten()).isZero();
        assertThat(again.groupsVersioned()).isEmpty();
        given().get("/api/evidence").then().statusCode(200).body("count", equalTo(9 + 12 + 13 + 10 + 15 + 66 + 14));
    }

    @Test
    void healthReadinessAndOpenApiAreServed() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", org.hamcrest.Matchers.hasItems("evidence-seed"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/summaries/{groupKey}/history"));
    }
}
