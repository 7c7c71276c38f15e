package org.trialwatch.evidence.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class CsvTest {

    private static String record(String... fields) {
        StringBuilder out = new StringBuilder();
        Csv.appendRecord(out, List.of(fields));
        return out.toString();
    }

    @Test
    void cellsASpreadsheetWouldRunAsFormulasAreNeutralised() {
        assertThat(record("=HYPERLINK(\"http://evil.example\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
                "\tx", "\rx"))
                .isEqualTo("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",\"'+1+cmd|' /C calc'!A0\","
                        + "\"'-2+3\",\"'@SUM(A1)\",\"'\tx\",\"'\rx\"\r\n");
    }

    @Test
    void plainNumbersAndOrdinaryTextAreLeftAsTheyAre() {
        assertThat(record("-0.5", "+3", "42", "mFOLFOX", "95% CI 1.2-3.4", "")).isEqualTo("-0.5,+3,42,mFOLFOX,95% CI 1.2-3.4,\r\n");
    }

    @Test
    void rfc4180QuotingStillApplies() {
        assertThat(record("a,b", "say \"hi\"", "two\nlines")).isEqualTo("\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n");
    }
}
