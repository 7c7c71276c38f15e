package org.trialwatch.evidence.domain.grouping;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LineTest {

    @Test
    void readsFirstAndSecondLineHoweverTheyAreHyphenated() {
        assertThat(Line.read("First-line")).isEqualTo(Line.FIRST_LINE);
        assertThat(Line.read("First line")).isEqualTo(Line.FIRST_LINE);
        assertThat(Line.read("Second line")).isEqualTo(Line.SECOND_LINE);
        assertThat(Line.read("PC, second or later line")).isEqualTo(Line.SECOND_LINE);
    }

    @Test
    void neoadjuvantIsNotAdjuvant() {
        assertThat(Line.read("neoadjuvant (resectable iCCA)")).isEqualTo(Line.NEOADJUVANT);
        assertThat(Line.read("adjuvant")).isEqualTo(Line.ADJUVANT);
    }

    @Test
    void firstLineMaintenanceIsMaintenance() {
        assertThat(Line.read("metastatic, first line, maintenance")).isEqualTo(Line.MAINTENANCE);
    }

    @Test
    void advancedDiseaseWithoutALineIsAnyLine() {
        assertThat(Line.read("advanced solid tumours (RAS-mutant)")).isEqualTo(Line.ANY_LINE);
        assertThat(Line.read(null)).isEqualTo(Line.ANY_LINE);
    }
}
