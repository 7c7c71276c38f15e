package org.trialwatch.evidence.domain.grouping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.trialwatch.evidence.domain.catalog.EvidenceCatalog;
import org.trialwatch.evidence.persistence.ReviewEvidenceParser;

class GroupClassifierTest {

    private final EvidenceCatalog catalog = new ReviewEvidenceParser().parseResource();
    private final GroupClassifier classifier = new GroupClassifier(catalog);

    private List<String> keysOf(String rowId) {
        return classifier.classify(catalog.find(rowId).orElseThrow()).stream().map(m -> m.key().text()).toList();
    }

    @Test
    void durvalumabChemotherapyIsAFirstLineChemoImmunoPdL1RegimenInBtc() {
        Membership m = classifier.classify(catalog.find("T1-R1").orElseThrow()).get(0);
        assertThat(m.key().text()).isEqualTo("BTC.first-line.chemo_immuno.PD-L1");
        assertThat(m.whyText()).contains("Table 1 lists treatment regimens in BTC", "printed line 'First-line'",
                "durvalumab targets PD-L1");
    }

    @Test
    void aTable5RowTakesTheLineOfTheTable1RowOfTheSameStudy() {
        Membership m = classifier.classify(catalog.find("T5-R7").orElseThrow()).get(0);
        assertThat(m.key().text()).isEqualTo("BTC.first-line.chemo_immuno.PD-L1");
        assertThat(m.whyText()).contains("Table 1 row 1 [ref 5] reports the same study");
    }

    @Test
    void aRowOnBothTumourTypesFallsInOneGroupPerTumourType() {
        assertThat(keysOf("T5-R1")).containsExactly("BTC.any-line.immuno.CTLA-4_PD-1", "PC.any-line.immuno.CTLA-4_PD-1");
    }

    @Test
    void cholangiocarcinomaRowsAreBiliaryTractCancer() {
        assertThat(keysOf("T3-R2")).containsExactly("BTC.any-line.targeted.CXCR4");
    }

    @Test
    void aCorrectedTumourTypeIsReadAsCorrectedAndSaysSo() {
        Membership m = classifier.classify(catalog.find("T4-R7").orElseThrow()).get(0);
        assertThat(m.key().text()).isEqualTo("PC.any-line.targeted.KRAS_mTOR");
        assertThat(m.whyText()).contains("printed 'BTC'");
    }

    @Test
    void aCorrectionThatDecidesTheGroupIsNamedInItsReason() {
        // Table 1 row 7 prints "Futibatinib"; it is read as mFOLFOX (ref 16 is ABC-06), which makes it chemo/cytotoxic
        Membership m = classifier.classify(catalog.find("T1-R7").orElseThrow()).get(0);
        assertThat(m.key().text()).isEqualTo("BTC.second-line.chemo.cytotoxic");
        assertThat(m.whyText()).contains("printed 'Futibatinib', corrected with high confidence").contains("ABC-06");
    }

    @Test
    void aStudyOfBothTumourTypesSaysItsPopulationIsMixed() {
        assertThat(classifier.classify(catalog.find("T5-R1").orElseThrow()))
                .allSatisfy(m -> assertThat(m.whyText()).contains("one population spanning BTC and PC"));
    }

    @Test
    void aMechanismWithoutATargetWordBecomesItsOwnSlug() {
        assertThat(keysOf("T3-R5")).containsExactly("PC.any-line.chemo_targeted.notch-pathway");
    }

    @Test
    void chemotherapyOnlyRegimensAreCytotoxic() {
        assertThat(keysOf("T2-R1")).containsExactly("PC.first-line.chemo.cytotoxic");
        assertThat(keysOf("T1-R7")).containsExactly("BTC.second-line.chemo.cytotoxic");
    }

    @Test
    void efficacyTextFiguresAreGroupedByPopulationAndRegimen() {
        assertThat(keysOf("TF01")).containsExactly("BTC.first-line.chemo_immuno.PD-L1");
        assertThat(keysOf("TF47")).containsExactly("PC.second-line.targeted.KRAS");
    }

    @Test
    void aTextFigureWithoutALineTakesTheLineOfTheTableRowOfItsStudy() {
        Membership m = classifier.classify(catalog.find("TF31").orElseThrow()).get(0);
        assertThat(m.key().text()).isEqualTo("PC.second-line.chemo_targeted.EGFR");
        assertThat(m.whyText()).contains("Table 2 row 9 [ref 28] reports the same study");
        assertThat(keysOf("T2-R9")).containsExactly("PC.second-line.chemo_targeted.EGFR");
    }

    @Test
    void diagnosticFiguresAndNctMentionsAreNotGrouped() {
        assertThat(keysOf("TF50")).isEmpty();
        assertThat(keysOf("M-NCT05737706")).isEmpty();
    }

    @Test
    void kras_trialsAndThePreclinicalKrasRowsShareAGroup() {
        TrialProfile mrtx = new TrialProfile("NCT05737706", List.of("PC"), "advanced solid tumours (KRAS G12D)",
                "MRTX1133", "KRAS G12D inhibitor", "targeted");
        List<Membership> ms = classifier.classify(mrtx);
        assertThat(ms).extracting(m -> m.key().text()).containsExactly("PC.any-line.targeted.KRAS");
        assertThat(ms.get(0).whyText()).contains("the trial's therapyClass 'targeted'", "'KRAS' in trial mechanism");
        assertThat(keysOf("T4-R3")).containsExactly("PC.any-line.targeted.KRAS");
    }

    @Test
    void aTrialTheReviewPrintsInATableAlsoJoinsThatRowsGroup() {
        TrialProfile t = new TrialProfile("NCT04753879", List.of("PC"), "metastatic, first line, maintenance",
                "Maintenance olaparib + pembrolizumab after low-dose GEM + nab-paclitaxel + capecitabine + cisplatin + irinotecan",
                "PARP inhibition + PD-1 blockade after multi-agent chemotherapy ('Multi-targets' in Table 4)",
                "chemo+targeted+immunotherapy");
        List<Membership> ms = classifier.classify(t);
        assertThat(ms).extracting(m -> m.key().text()).containsExactly(
                "PC.maintenance.chemo_targeted_immuno.PARP_PD-1", "PC.any-line.chemo_targeted_immuno.PARP_PD-1");
        assertThat(ms.get(1).whyText()).contains("Table 4 row 9", "prints NCT04753879");
    }

    @Test
    void anUnregisteredTrialIsPlacedOnlyByTheRowsThatPrintIt() {
        List<Membership> ms = classifier.classify(new TrialProfile("NCT04493060", null, null, null, null, null));
        assertThat(ms).extracting(m -> m.key().text()).containsExactly("PC.any-line.targeted_immuno.PARP_PD-1");
    }

    @Test
    void everyGroupKeyIsUrlSafe() {
        catalog.rows().forEach(r -> classifier.classify(r).forEach(m ->
                assertThat(m.key().text()).matches("[A-Za-z0-9._~-]+")));
    }
}
