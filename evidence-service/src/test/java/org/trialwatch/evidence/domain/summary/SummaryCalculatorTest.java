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
        // whole responders: 42% × 12 = 5.04 → 5, 20% × 39 = 7.8 → 8; python3 (ADR 0102): 28.16% (12.81–51.12), I² 51.75%
        assertThat(pooled.k()).isEqualTo(2);
        assertThat(pooled.percent()).isEqualTo(28.16);
        assertThat(pooled.ci95()).isEqualTo(new SummaryContent.Interval(12.81, 51.12));
        assertThat(pooled.i2Percent()).isEqualTo(51.75);
        assertThat(pooled.studies()).containsExactly("ref 205 (TF63: 5/12 responders)", "ref 206 (TF65: 8/39 responders)");
        assertThat(pooled.method()).contains("whole responder counts").contains("rounded half up");
        SummaryContent.OrrReadout terrero = s.orr().readouts().get(0);
        assertThat(terrero.id()).isEqualTo("TF63");
        assertThat(terrero.n()).isEqualTo(12);
        assertThat(terrero.responders()).isEqualTo(5);
        assertThat(terrero.respondersFrom()).isEqualTo("42% × 12 = 5.04, rounded half up to a whole patient: 5");
        assertThat(terrero.nFrom()).contains("Table 5 row 1");
        // Wilson 95% CI of 5/12, python3: 0.1933–0.6805
        assertThat(terrero.ci95()).isEqualTo(new SummaryContent.Interval(19.33, 68.05));
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
        assertThat(btc.certaintyFlags()).extracting(SummaryContent.Flag::flag)
                .containsExactly("single-arm", "small-n", "mixed-population");
        assertThat(btc.certaintyFlags().get(1).members()).containsExactly("T5-R1", "T5-R5");
    }

    @Test
    void aPostedOrrWithItsNJoinsThePool() {
        PostedReadout orr = new PostedReadout("NCT05379985", "e1", "ORR", "Experimental", new BigDecimal("30.0"), "%",
                null, null, 80, "illustrative readout", Instant.parse("2026-11-26T10:30:00Z"), "EXPERIMENTAL", null);
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

    // --- issue 9: a number is used only as the measure it is ---

    @Test
    void aMedianPfsPrintedInTheOsColumnIsListedWithWhatItIsButNeverTheBestOrInTheRange() {
        SummaryContent s = calculator.compute(inputs("BTC.second-line.chemo.cytotoxic", List.of()));
        assertThat(s.medianOs().values()).extracting(SummaryContent.Value::from).doesNotContain("T1-R8");
        assertThat(s.medianOs().best().months()).isNotEqualTo(7.1);
        assertThat(s.medianOs().high()).isLessThan(7.1);
        SummaryContent.LeftOut nifty = s.medianOs().leftOut().stream().filter(l -> l.from().equals("T1-R8"))
                .findFirst().orElseThrow();
        assertThat(nifty.printed()).isEqualTo("7.1");
        assertThat(nifty.measure()).isEqualTo("median PFS (BICR)");
        assertThat(nifty.sourceFigure()).isEqualTo(8.6);
        assertThat(nifty.reason()).contains("median PFS").contains("not used");
        assertThat(s.medianOs().note()).contains("left out").contains("Table 1 row 8");
    }

    @Test
    void aGroupWhoseOnlyMedianOsCellIsAFollowUpHasNoBestMedianOsAndSaysWhy() {
        SummaryContent s = calculator.compute(inputs("PC.any-line.chemo_immuno.neoantigen_PD-L1", List.of()));
        assertThat(s.medianOs().best()).isNull();
        assertThat(s.medianOs().low()).isNull();
        assertThat(s.medianOs().values()).isEmpty();
        assertThat(s.medianOs().leftOut()).singleElement().satisfies(l -> {
            assertThat(l.from()).isEqualTo("T5-R2");
            assertThat(l.value()).isEqualTo(18.0);
            assertThat(l.measure()).isEqualTo("median follow-up");
            assertThat(l.sourceFigure()).isNull();
            assertThat(l.reason()).contains("not in the data");
        });
    }

    @Test
    void noSummaryUsesACellTheDataMarksAsAnotherMeasureOrPopulation() {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        catalog.rows().forEach(r -> classifier.classify(r).forEach(m -> keys.add(m.key().text())));
        int leftOutSeen = 0;
        for (String key : keys) {
            SummaryContent s = calculator.compute(inputs(key, List.of()));
            for (GroupInputs.RowMember m : inputs(key, List.of()).rows()) {
                if (m.row().cell("median_os_months").measureInSource() != null) {
                    assertThat(s.medianOs().values()).as(key).extracting(SummaryContent.Value::from).doesNotContain(m.row().id());
                    assertThat(s.medianOs().leftOut()).as(key).extracting(SummaryContent.LeftOut::from).contains(m.row().id());
                    leftOutSeen++;
                }
                if (m.row().cell("n_enrolled").population() != null) {
                    assertThat(s.evidence().patientsCounted()).as(key)
                            .noneMatch(p -> p.from().equals(m.row().id()) && p.measure().startsWith("enrolled"));
                    assertThat(s.evidence().patientsLeftOut()).as(key).extracting(SummaryContent.LeftOut::from)
                            .contains(m.row().id());
                    leftOutSeen++;
                }
            }
        }
        assertThat(leftOutSeen).as("the eight disputed cells, each in every group it falls in").isGreaterThanOrEqualTo(8);
    }

    @Test
    void keynote966CountsItsRandomisedPatientsOnceNotTheNumberScreened() {
        SummaryContent s = calculator.compute(inputs("BTC.first-line.chemo_immuno.PD-1", List.of()));
        assertThat(s.evidence().totalPatients()).isEqualTo(1069);
        assertThat(s.evidence().patientsCounted()).singleElement().satisfies(p -> {
            assertThat(p.from()).isEqualTo("T1-R2");
            assertThat(p.measure()).startsWith("randomised");
            assertThat(p.printed()).isEqualTo("1564");
        });
        assertThat(s.evidence().patientsLeftOut()).extracting(SummaryContent.LeftOut::from).containsExactly("T1-R2", "T5-R8");
        assertThat(s.evidence().patientsLeftOut().get(0).measure()).isEqualTo("screened");
        assertThat(s.evidence().patientsLeftOut().get(1).reason()).contains("same study (ref 7)");
    }

    @Test
    void anotherPopulationWithoutAKnownNIsLeftOutOfTotalPatients() {
        SummaryContent s = calculator.compute(inputs("BTC.any-line.immuno.CTLA-4_PD-L1", List.of()));
        assertThat(s.evidence().patientsCountedFrom()).doesNotContain("T5-R6");
        // the group's only N is Doki's other population: no total rather than a wrong one
        assertThat(s.evidence().totalPatients()).isNull();
        assertThat(s.evidence().patientsLeftOut()).anySatisfy(l -> {
            assertThat(l.from()).isEqualTo("T5-R6");
            assertThat(l.printed()).isEqualTo("116");
            assertThat(l.measure()).isEqualTo("other population");
            assertThat(l.reason()).contains("nothing is counted");
        });
    }

    @Test
    void twoCohortsOfOneRowAreTwoEntries() {
        SummaryContent s = calculator.compute(inputs("BTC.any-line.immuno.PD-1", List.of()));
        assertThat(s.evidence().patientsCounted()).filteredOn(p -> p.from().equals("T5-R3"))
                .extracting(SummaryContent.PatientCount::cohort, SummaryContent.PatientCount::patients)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1 of 2", 24), org.assertj.core.groups.Tuple.tuple("2 of 2", 104));
        assertThat(s.certaintyFlags()).filteredOn(f -> f.flag().equals("small-n")).singleElement()
                .satisfies(f -> assertThat(f.members()).contains("T5-R3"));
    }

    @Test
    void correctedValuesCarryTheirPrintedValueReasonAndConfidenceInTheSummary() {
        SummaryContent s = calculator.compute(inputs("BTC.first-line.chemo_immuno.PD-L1", List.of()));
        SummaryContent.Value topaz = s.medianOs().values().get(0);
        assertThat(topaz.from()).isEqualTo("T1-R1");
        assertThat(topaz.months()).isEqualTo(12.8);
        assertThat(topaz.printed()).isEqualTo("1.7");
        assertThat(topaz.confidence()).isEqualTo("medium");
        assertThat(topaz.errorOrigin()).isEqualTo("ocr");
        assertThat(topaz.correctionReason()).contains("TOPAZ-1");
        assertThat(topaz.measure()).startsWith("median OS");
        SummaryContent pc = calculator.compute(inputs("PC.first-line.chemo.cytotoxic", List.of()));
        assertThat(pc.medianOs().values()).filteredOn(v -> v.from().equals("T2-R1")).singleElement()
                .satisfies(v -> assertThat(v.printed()).isEqualTo("1.1"));
    }

    @Test
    void aStudyOfBothTumourTypesInAOneTumourGroupIsFlaggedMixedPopulation() {
        SummaryContent s = calculator.compute(inputs("BTC.any-line.immuno.CTLA-4_PD-1", List.of()));
        SummaryContent.Flag mixed = s.certaintyFlags().stream().filter(f -> f.flag().equals("mixed-population"))
                .findFirst().orElseThrow();
        assertThat(mixed.members()).containsExactly("T5-R1", "TF63", "TF64");
        assertThat(mixed.detail()).contains("not specific to BTC");
        assertThat(s.rows()).filteredOn(r -> r.id().equals("T5-R1")).singleElement()
                .satisfies(r -> assertThat(r.why()).contains("mixed-population"));
    }

    @Test
    void aControlArmOrAnArmWithoutARoleNeverEntersThePoolWhateverWasPostedLast() {
        Instant t = Instant.parse("2026-11-26T10:30:00Z");
        PostedReadout experimental = new PostedReadout("NCT05379985", "e1", "ORR", "A", new BigDecimal("30"), "%",
                null, null, 80, "illustrative", t, "EXPERIMENTAL", 24);
        PostedReadout control = new PostedReadout("NCT05379985", "e2", "ORR", "B", new BigDecimal("10"), "%",
                null, null, 80, "illustrative", t.plusSeconds(60), "CONTROL", 8);
        PostedReadout noRole = new PostedReadout("NCT05379985", "e3", "ORR", "C", new BigDecimal("12"), "%",
                null, null, 50, "illustrative", t.plusSeconds(120), null, null);
        SummaryContent s = calculator.compute(inputs("BTC.any-line.immuno.CTLA-4_PD-1", List.of(
                new GroupInputs.TrialMember("NCT05379985", "RECRUITING", null, List.of(experimental, control, noRole), "test"))));
        assertThat(s.orr().pooled().k()).isEqualTo(3);
        assertThat(s.orr().pooled().studies()).contains("NCT05379985 (NCT05379985 event e1: 24/80 responders)");
        assertThat(s.orr().notPooled()).extracting(SummaryContent.LeftOut::from)
                .containsExactly("NCT05379985:e2:B", "NCT05379985:e3:C");
        assertThat(s.orr().notPooled().get(0).reason()).contains("control arm");
    }

    @Test
    void impossiblePostedResultsNeitherThrowNorPool() {
        Instant t = Instant.parse("2026-11-26T10:30:00Z");
        PostedReadout zeroN = new PostedReadout("NCT05379985", "e1", "ORR", "A", new BigDecimal("30"), "%",
                null, null, 0, "illustrative", t, "EXPERIMENTAL", null);
        PostedReadout over = new PostedReadout("NCT06128551", "e2", "ORR", "A", new BigDecimal("150"), "%",
                null, null, 20, "illustrative", t, "EXPERIMENTAL", null);
        PostedReadout negativeOs = new PostedReadout("NCT06128551", "e3", "OS", "A", new BigDecimal("-3"), "months",
                null, null, 20, "illustrative", t, "EXPERIMENTAL", null);
        SummaryContent s = calculator.compute(inputs("BTC.any-line.immuno.CTLA-4_PD-1", List.of(
                new GroupInputs.TrialMember("NCT05379985", "RECRUITING", null, List.of(zeroN), "test"),
                new GroupInputs.TrialMember("NCT06128551", "RECRUITING", null, List.of(over, negativeOs), "test"))));
        assertThat(s.orr().pooled().k()).isEqualTo(2);
        assertThat(s.orr().notPooled()).extracting(SummaryContent.LeftOut::reason)
                .anySatisfy(r -> assertThat(r).contains("at least one patient"))
                .anySatisfy(r -> assertThat(r).contains("outside 0–100%"));
        assertThat(s.medianOs().values()).extracting(SummaryContent.Value::months).doesNotContain(-3.0);
        assertThat(s.medianOs().leftOut()).anySatisfy(l -> assertThat(l.reason()).contains("negative"));
    }
}
