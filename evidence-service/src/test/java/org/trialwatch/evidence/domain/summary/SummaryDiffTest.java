package org.trialwatch.evidence.domain.summary;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.trialwatch.evidence.domain.catalog.EvidenceCatalog;
import org.trialwatch.evidence.domain.catalog.EvidenceRow;
import org.trialwatch.evidence.domain.grouping.GroupClassifier;
import org.trialwatch.evidence.domain.grouping.GroupKey;
import org.trialwatch.evidence.domain.grouping.Membership;
import org.trialwatch.evidence.persistence.ReviewEvidenceParser;

class SummaryDiffTest {

    private final EvidenceCatalog catalog = new ReviewEvidenceParser().parseResource();
    private final GroupClassifier classifier = new GroupClassifier(catalog);
    private final SummaryCalculator calculator = new SummaryCalculator(catalog, 50);

    private SummaryContent summary(String key, GroupInputs.TrialMember... trials) {
        List<GroupInputs.RowMember> rows = new ArrayList<>();
        for (EvidenceRow r : catalog.rows()) {
            for (Membership m : classifier.classify(r)) {
                if (m.key().text().equals(key)) {
                    rows.add(new GroupInputs.RowMember(r, m.whyText()));
                }
            }
        }
        return calculator.compute(new GroupInputs(GroupKey.parse(key), rows, List.of(trials)));
    }

    private static GroupInputs.TrialMember trial(String nct, String status, PostedReadout... results) {
        return new GroupInputs.TrialMember(nct, status, null, List.of(results), "test");
    }

    @Test
    void aTerminationMovesOneTrialFromRecruitingToTerminated() {
        SummaryContent before = summary("PC.any-line.targeted.KRAS", trial("NCT05379985", "RECRUITING"),
                trial("NCT06128551", "RECRUITING"));
        SummaryContent after = summary("PC.any-line.targeted.KRAS", trial("NCT05379985", "TERMINATED"),
                trial("NCT06128551", "RECRUITING"));
        List<SummaryChange> changes = SummaryDiff.between(before, after);
        assertThat(changes).extracting(SummaryChange::description).contains("tracked RECRUITING 2→1", "tracked TERMINATED 0→1",
                "NCT05379985 RECRUITING→TERMINATED", "certainty flag terminated-early: NCT05379985 TERMINATED");
        SummaryChange recruiting = changes.get(0);
        assertThat(recruiting.field()).isEqualTo("trackedByStatus.RECRUITING");
        assertThat(((Number) recruiting.from()).intValue()).isEqualTo(2);
        assertThat(((Number) recruiting.to()).intValue()).isEqualTo(1);
    }

    @Test
    void aPostedResponseRateIsANewReadoutAndMovesThePooledOrr() {
        SummaryContent before = summary("BTC.any-line.immuno.CTLA-4_PD-1", trial("NCT05921760", null));
        PostedReadout orr = new PostedReadout("NCT05921760", "ev-9", "ORR", null, new BigDecimal("35"), "%", null, null,
                60, "registry results", Instant.parse("2026-11-26T10:00:00Z"), "EXPERIMENTAL", null);
        SummaryContent after = summary("BTC.any-line.immuno.CTLA-4_PD-1", trial("NCT05921760", null, orr));
        List<SummaryChange> changes = SummaryDiff.between(before, after);
        assertThat(changes).extracting(SummaryChange::field).contains("orr.readouts.NCT05921760:ev-9:", "orr.pooled.percent",
                "certaintyFlags.results-not-yet-posted");
        SummaryChange pooled = changes.stream().filter(c -> c.field().equals("orr.pooled.percent")).findFirst().orElseThrow();
        assertThat(((Number) pooled.from()).doubleValue()).isEqualTo(28.16);
        assertThat(pooled.description()).startsWith("pooled ORR 28.16% (k=2)→").contains("k=3")
                .contains("ref 205 (TF63: 5/12 responders)").contains("NCT05921760 (NCT05921760 event ev-9: 21/60 responders)");
    }

    @Test
    void aLargeFlagIsDescribedByWhoJoinedAndLeftSoTheEventStaysSmall() {
        GroupInputs.TrialMember[] before = new GroupInputs.TrialMember[2_000];
        GroupInputs.TrialMember[] after = new GroupInputs.TrialMember[2_001];
        for (int i = 0; i < 2_000; i++) {
            before[i] = trial(String.format("NCT9%07d", i), "RECRUITING");
            after[i] = before[i];
        }
        after[2_000] = trial("NCT08000001", "RECRUITING");
        List<SummaryChange> changes = SummaryDiff.between(summary("PC.any-line.targeted.KRAS", before),
                summary("PC.any-line.targeted.KRAS", after));
        SummaryChange flag = changes.stream().filter(c -> c.field().startsWith("certaintyFlags.results-not-yet-posted"))
                .findFirst().orElseThrow();
        assertThat(flag.field()).isEqualTo("certaintyFlags.results-not-yet-posted.count");
        assertThat(((Number) flag.from()).intValue()).isEqualTo(2_000);
        assertThat(((Number) flag.to()).intValue()).isEqualTo(2_001);
        assertThat(flag.description()).contains("2000→2001").contains("+NCT08000001").doesNotContain("NCT90000000");
        assertThat(org.trialwatch.events.EventJson.toBytes(changes).length).isLessThan(10_000);
    }

    @Test
    void aFlagOneMemberJoinedIsWhatTheWholeListsGiveWithoutThem() {
        for (int size : new int[] {0, 1, 49, 50, 51, 2_000}) {
            GroupInputs.TrialMember[] before = new GroupInputs.TrialMember[size];
            GroupInputs.TrialMember[] after = new GroupInputs.TrialMember[size + 1];
            List<String> members = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                before[i] = trial(String.format("NCT9%07d", i * 2), "RECRUITING");
                after[i] = before[i];
                members.add(before[i].nctId());
            }
            String joined = String.format("NCT9%07d", size | 1); // odd: among the (even) others, not only at the end
            after[size] = trial(joined, "RECRUITING");
            SummaryChange expected = SummaryDiff.between(summary("PC.any-line.targeted.KRAS", before),
                    summary("PC.any-line.targeted.KRAS", after)).stream()
                    .filter(c -> c.field().startsWith("certaintyFlags.results-not-yet-posted"))
                    .findFirst().orElseThrow();
            assertThat(SummaryDiff.flagJoined("results-not-yet-posted",
                    size <= SummaryDiff.FLAG_LIST_LIMIT ? members : null, size, joined)).as("%d members before", size)
                    .isEqualTo(expected);
        }
    }

    @Test
    void nothingChangedMeansNoChanges() {
        SummaryContent s = summary("PC.any-line.targeted.KRAS", trial("NCT05737706", "TERMINATED"));
        assertThat(SummaryDiff.between(s, s)).isEmpty();
    }

    @Test
    void aFirstVersionReportsItsRowsAndPatients() {
        List<SummaryChange> changes = SummaryDiff.between(null, summary("BTC.first-line.chemo_immuno.PD-L1"));
        assertThat(changes).extracting(SummaryChange::field).contains("evidence.rows", "evidence.totalPatients", "medianOs.best");
    }

    @Test
    void aCorrectedBestMedianOsKeepsItsPrintedValueReasonAndConfidenceAndNamesTheMeasureAndRow() {
        List<SummaryChange> changes = SummaryDiff.between(null, summary("BTC.first-line.chemo_immuno.PD-L1"));
        SummaryChange best = changes.stream().filter(c -> c.field().equals("medianOs.best")).findFirst().orElseThrow();
        assertThat(((Number) best.to()).doubleValue()).isEqualTo(12.9);
        assertThat(best.description()).contains("median OS (latest interim analysis)").contains("text figure TF01");
        SummaryChange low = changes.stream().filter(c -> c.field().equals("medianOs.low")).findFirst().orElseThrow();
        assertThat(((Number) low.to()).doubleValue()).isEqualTo(12.8);
        assertThat(low.description()).contains("median OS (table column), Table 1 row 1 [ref 5]")
                .contains("printed 1.7, corrected (confidence medium)").contains("two glyph changes");
    }

    @Test
    void aSummaryUpdateSaysWhichMedianOsAndPatientCellsWereLeftOutAndWhatTheyAre() {
        List<SummaryChange> changes = SummaryDiff.between(null, summary("BTC.second-line.chemo.cytotoxic"));
        SummaryChange best = changes.stream().filter(c -> c.field().equals("medianOs.best")).findFirst().orElseThrow();
        assertThat(((Number) best.to()).doubleValue()).isNotEqualTo(7.1);
        assertThat(best.description()).contains("left out: Table 1 row 8 [ref 17] printed 7.1 is median PFS (BICR)")
                .contains("the study's own figure: 8.6");
        SummaryChange patients = changes.stream().filter(c -> c.field().equals("evidence.totalPatients")).findFirst().orElseThrow();
        assertThat(patients.description()).contains("Table 1 row 7 [ref 16] 162 randomised")
                .contains("left out: Table 1 row 7 [ref 16] printed 290 is unreconciled");
        assertThat(changes).extracting(SummaryChange::field).contains("medianOs.leftOut");
    }

    @Test
    void aCorrectedPatientCountKeepsItsPrintedValueInTheChangeText() {
        List<SummaryChange> changes = SummaryDiff.between(null, summary("BTC.any-line.immuno.PD-1"));
        SummaryChange patients = changes.stream().filter(c -> c.field().equals("evidence.totalPatients")).findFirst().orElseThrow();
        assertThat(patients.description()).contains("Table 5 row 3 [ref 203] cohort 1 of 2 24 enrolled (printed N)")
                .contains("printed 24 and 104, corrected");
    }
}
