package org.trialwatch.evidence.summary;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.trialwatch.evidence.catalog.EvidenceCatalog;
import org.trialwatch.evidence.catalog.EvidenceRow;
import org.trialwatch.evidence.catalog.ReviewEvidenceParser;
import org.trialwatch.evidence.grouping.GroupClassifier;
import org.trialwatch.evidence.grouping.GroupKey;
import org.trialwatch.evidence.grouping.Membership;

class SummaryCalculatorTest {

    private final EvidenceCatalog catalog = new ReviewEvidenceParser().parseResource();
    private final GroupClassifier classifier = new GroupClassifier(catalog);
    private final SummaryCalculator calculator = new SummaryCalculator(catalog, 50);

    /** The group's rows exactly as the classifier places them. */
    private GroupInputs inputs(String key, List<GroupInputs.TrialMember> trials) {
        List<GroupInputs.RowMember> rows = new ArrayList<>();
        for (EvidenceRow r : catalog.rows()) {
            for (Membership m : classifier.classify(r)) {
                if (m.key().text().equals(key)) {
                    rows.add(new GroupInputs.RowMember(r, m.whyText()));
                }
            }
        }
        return new GroupInputs(GroupKey.parse(key), rows, trials);
    }

    @Test
    void poolsTheTwoSingleArmIpilimumabNivolumabResponseRatesInBtc() {
        SummaryContent s = calculator.compute(inputs("BTC.any-line.immuno.CTLA-4_PD-1", List.of()));
        assertThat(s.rows()).extracting(SummaryContent.RowRef::id).containsExactly("T5-R1", "T5-R5", "TF63", "TF64", "TF65");
        SummaryContent.Pooled pooled = s.orr().pooled();
        assertThat(pooled.k()).isEqualTo(2);
        assertThat(pooled.percent()).isEqualTo(28.09);
        assertThat(pooled.ci95()).isEqualTo(new SummaryContent.Interval(12.25, 52.21));
        assertThat(pooled.i2Percent()).isEqualTo(55.59);
        SummaryContent.OrrReadout terrero = s.orr().readouts().get(0);
        assertThat(terrero.id()).isEqualTo("TF63");
        assertThat(terrero.n()).isEqualTo(12);
        assertThat(terrero.nFrom()).contains("Table 5 row 1");
        // Wilson 95% CI of 42% of 12, python3: 0.1956–0.6832
        assertThat(terrero.ci95()).isEqualTo(new SummaryContent.Interval(19.56, 68.32));
    }

    @Test
    void aComparativeStudysTotalNIsNotUsedAsTheArmSizeOfItsResponseRate() {
        SummaryContent s = calculator.compute(inputs("PC.first-line.chemo.cytotoxic", List.of()));
        SummaryContent.OrrReadout folfirinox = s.orr().readouts().stream().filter(r -> r.id().equals("TF20")).findFirst().orElseThrow();
        assertThat(folfirinox.percent()).isEqualTo(31.6);
        assertThat(folfirinox.n()).isNull();
        assertThat(folfirinox.ci95()).isNull();
        assertThat(s.orr().pooled()).isNull();
    }

    @Test
    void listsEveryMedianOsValueWithItsSourceAndNeverAveragesThem() {
        SummaryContent s = calculator.compute(inputs("BTC.first-line.chemo_immuno.PD-L1", List.of()));
        assertThat(s.medianOs().values()).extracting(SummaryContent.Value::months, SummaryContent.Value::from)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(12.8, "T1-R1"), org.assertj.core.groups.Tuple.tuple(12.8, "T5-R7"),
                        org.assertj.core.groups.Tuple.tuple(12.9, "TF01"));
        assertThat(s.medianOs().best().months()).isEqualTo(12.9);
        assertThat(s.medianOs().low()).isEqualTo(12.8);
        assertThat(s.medianOs().high()).isEqualTo(12.9);
    }

    @Test
    void countsEachStudysPatientsOnceAcrossTheTablesThatRepeatIt() {
        SummaryContent s = calculator.compute(inputs("BTC.first-line.chemo_immuno.PD-L1", List.of()));
        // T1-R1 (685) and T5-R7 (128) both cite ref 5: the larger N counts once
        assertThat(s.evidence().totalPatients()).isEqualTo(685);
        assertThat(s.evidence().patientsCountedFrom()).containsExactly("T1-R1");
        assertThat(s.evidence().tableRows()).isEqualTo(2);
    }

    @Test
    void countsTrackedTrialsByStatusWithUnverifiedOnesApart() {
        SummaryContent s = calculator.compute(inputs("PC.any-line.targeted.KRAS", List.of(
                trial("NCT05737706", "TERMINATED"), trial("NCT05379985", "RECRUITING"),
                trial("NCT06128551", "RECRUITING"), trial("NCT09999999", null))));
        assertThat(s.trackedByStatus()).containsEntry("RECRUITING", 2).containsEntry("TERMINATED", 1)
                .containsEntry("NOT_VERIFIED", 1).hasSize(3);
    }

    @Test
    void flagsEarlyTerminationSmallStudiesAndMissingResults() {
        SummaryContent s = calculator.compute(inputs("PC.any-line.targeted.KRAS", List.of(
                trial("NCT05737706", "TERMINATED"), trial("NCT05379985", "RECRUITING"))));
        assertThat(s.certaintyFlags()).extracting(SummaryContent.Flag::flag)
                .containsExactly("terminated-early", "results-not-yet-posted");
        SummaryContent btc = calculator.compute(inputs("BTC.any-line.immuno.CTLA-4_PD-1", List.of()));
        assertThat(btc.certaintyFlags()).extracting(SummaryContent.Flag::flag).containsExactly("single-arm", "small-n");
        assertThat(btc.certaintyFlags().get(1).members()).containsExactly("T5-R1", "T5-R5");
    }

    @Test
    void aPostedOrrWithItsNJoinsThePool() {
        PostedReadout orr = new PostedReadout("NCT05379985", "e1", "ORR", "Experimental", new BigDecimal("30.0"), "%",
                null, null, 80, "example readout", Instant.parse("2026-11-26T10:30:00Z"));
        SummaryContent s = calculator.compute(inputs("BTC.any-line.immuno.CTLA-4_PD-1", List.of(
                new GroupInputs.TrialMember("NCT05379985", "RECRUITING", null, List.of(orr), "test"))));
        assertThat(s.orr().pooled().k()).isEqualTo(3);
        assertThat(s.orr().readouts()).extracting(SummaryContent.OrrReadout::study).contains("NCT05379985");
    }

    @Test
    void isPureTheSameInputsGiveEqualSummaries() {
        GroupInputs in = inputs("PC.any-line.targeted.KRAS", List.of(trial("NCT05737706", "TERMINATED")));
        assertThat(calculator.compute(in)).isEqualTo(calculator.compute(in));
    }

    private static GroupInputs.TrialMember trial(String nct, String status) {
        return new GroupInputs.TrialMember(nct, status, null, List.of(), "test");
    }
}
