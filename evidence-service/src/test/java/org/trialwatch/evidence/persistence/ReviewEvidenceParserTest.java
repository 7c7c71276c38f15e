package org.trialwatch.evidence.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.trialwatch.evidence.domain.catalog.Cell;
import org.trialwatch.evidence.domain.catalog.EvidenceCatalog;
import org.trialwatch.evidence.domain.catalog.EvidenceRow;
import org.trialwatch.evidence.domain.catalog.SourceKind;

class ReviewEvidenceParserTest {

    private final EvidenceCatalog catalog = new ReviewEvidenceParser().parseResource();

    @Test
    void readsEveryRowOfTheFiveTablesTheTextFiguresAndTheNctMentions() {
        assertThat(catalog.table(1)).hasSize(9);
        assertThat(catalog.table(2)).hasSize(12);
        assertThat(catalog.table(3)).hasSize(13);
        assertThat(catalog.table(4)).hasSize(10);
        assertThat(catalog.table(5)).hasSize(15);
        assertThat(catalog.count(SourceKind.TEXT_FIGURE)).isEqualTo(66);
        assertThat(catalog.count(SourceKind.NCT_MENTION)).isEqualTo(14);
    }

    @Test
    void keepsTheRawPrintedValueBesideTheCorrectedOneWithTheReason() {
        EvidenceRow topaz = catalog.find("T1-R1").orElseThrow();
        Cell os = topaz.cell("median_os_months");
        assertThat(os.number()).isEqualTo(12.8);
        assertThat(os.printed()).isEqualTo("1.7");
        assertThat(os.corrected()).isTrue();
        assertThat(os.confidence()).isEqualTo("medium");
        assertThat(os.errorOrigin()).isEqualTo("ocr");
        assertThat(os.correctionReason()).contains("Table 5");
    }

    @Test
    void aNumberPrintedAsReadIsNotACorrection() {
        Cell n = catalog.find("T1-R1").orElseThrow().cell("n_enrolled");
        assertThat(n.patients()).isEqualTo(685);
        assertThat(n.printed()).isEqualTo("685");
        assertThat(n.corrected()).isFalse();
    }

    @Test
    void keepsProvenanceAndNotes() {
        EvidenceRow keynote = catalog.find("T1-R2").orElseThrow();
        assertThat(keynote.refs()).containsExactly(7);
        assertThat(keynote.authors()).isEqualTo("Kelley RK et al.");
        assertThat(keynote.year()).isEqualTo(2023);
        assertThat(keynote.notes()).singleElement().asString().contains("screened");
        assertThat(keynote.citation()).isEqualTo("Table 1 row 2 [ref 7]");
    }

    @Test
    void keepsTheSeedsColumnOrder() {
        assertThat(catalog.find("T2-R1").orElseThrow().columns().keySet())
                .containsExactly("line", "regimen", "phase", "n_enrolled", "median_os_months");
    }

    @Test
    void sumsTwoCohortsPrintedAsOneCell() {
        assertThat(catalog.find("T5-R3").orElseThrow().cell("n_enrolled").patients()).isEqualTo(128);
    }

    @Test
    void linksTable4RowsToTheTrialsTheyPrint() {
        assertThat(catalog.rowsNaming("NCT04753879")).extracting(EvidenceRow::id)
                .containsExactly("T4-R9", "M-NCT04753879");
        assertThat(catalog.rowsNaming("NCT04493060")).extracting(EvidenceRow::id)
                .containsExactly("T4-R10", "M-NCT04493060");
    }
}
