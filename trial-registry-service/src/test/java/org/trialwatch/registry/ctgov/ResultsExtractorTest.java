package org.trialwatch.registry.ctgov;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.trialwatch.events.PostedResult;
import org.trialwatch.events.PostedResult.Endpoint;

class ResultsExtractorTest {

    private static List<PostedResult> results() {
        return Fixtures.study("ctgov/studies-run1-page1.json", "NCT09900004").results();
    }

    @Test
    void mediansWithTheirUnitCiAndDenominatorPerArm() {
        List<PostedResult> os = results().stream().filter(r -> r.endpoint() == Endpoint.OS).toList();
        assertThat(os).hasSize(2);
        PostedResult drug = os.get(0);
        assertThat(drug.arm()).isEqualTo("Drug A + Chemotherapy");
        assertThat(drug.value()).isEqualByComparingTo("12.8");
        assertThat(drug.unit()).isEqualTo("months");
        assertThat(drug.ci95().lower()).isEqualByComparingTo("11.1");
        assertThat(drug.ci95().upper()).isEqualByComparingTo("14.2");
        assertThat(drug.n()).isEqualTo(150);
        assertThat(drug.source()).contains("/api/v2/studies/NCT09900004").contains("Overall Survival").contains("OG000");
    }

    @Test
    void aHazardRatioComesFromTheAnalysisWithItsCi() {
        PostedResult hr = results().stream().filter(r -> r.endpoint() == Endpoint.HR).findFirst().orElseThrow();
        assertThat(hr.value()).isEqualByComparingTo(new BigDecimal("0.80"));
        assertThat(hr.ci95().lower()).isEqualByComparingTo("0.66");
        assertThat(hr.ci95().upper()).isEqualByComparingTo("0.97");
        assertThat(hr.arm()).isEqualTo("Drug A + Chemotherapy vs Placebo + Chemotherapy");
        assertThat(hr.unit()).isNull();
        assertThat(hr.n()).isNull();
    }

    @Test
    void aMedianNotReachedAndMeasuresThatAreNotEndpointsAreSkipped() {
        assertThat(results()).extracting(PostedResult::endpoint).containsExactly(Endpoint.OS, Endpoint.OS, Endpoint.HR);
    }

    @Test
    void survivalInWeeksIsNotConverted() {
        ObjectNode r = Fixtures.record("ctgov/studies-run1-page1.json", "NCT09900004").deepCopy();
        ((ObjectNode) r.path("resultsSection").path("outcomeMeasuresModule").path("outcomeMeasures").get(0))
                .put("unitOfMeasure", "weeks");
        assertThat(CtgovStudy.parse(r, "u").results()).extracting(PostedResult::endpoint).containsExactly(Endpoint.HR);
    }

    @Test
    void aCiOtherThan95PercentIsNotCalledCi95() {
        ObjectNode r = Fixtures.record("ctgov/studies-run1-page1.json", "NCT09900004").deepCopy();
        ObjectNode m = (ObjectNode) r.path("resultsSection").path("outcomeMeasuresModule").path("outcomeMeasures").get(0);
        m.put("dispersionType", "90% Confidence Interval");
        ((ObjectNode) m.path("analyses").get(0)).put("ciPctValue", "90");
        assertThat(CtgovStudy.parse(r, "u").results()).allSatisfy(res -> assertThat(res.ci95()).isNull());
    }

    @Test
    void endpointsAreRecognisedFromTitlesButRatesAreNotSurvivalTimes() {
        assertThat(ResultsExtractor.endpointOf("progression-free survival (pfs)")).isEqualTo(Endpoint.PFS);
        assertThat(ResultsExtractor.endpointOf("objective response rate (orr) per recist 1.1")).isEqualTo(Endpoint.ORR);
        assertThat(ResultsExtractor.endpointOf("disease control rate")).isEqualTo(Endpoint.DCR);
        assertThat(ResultsExtractor.endpointOf("duration of response")).isEqualTo(Endpoint.DOR);
        assertThat(ResultsExtractor.endpointOf("12-month overall survival rate")).isNull();
        assertThat(ResultsExtractor.endpointOf("number of participants with adverse events")).isNull();
    }

    @Test
    void aResultIsIdentifiedWhateverBaseUrlFetchedIt() {
        assertThat(ResultsExtractor.identity("http://127.0.0.1:4567/api/v2/studies/NCT1 outcome measure \"OS\" OG000"))
                .isEqualTo(ResultsExtractor.identity("https://clinicaltrials.gov/api/v2/studies/NCT1 outcome measure \"OS\" OG000"));
    }
}
