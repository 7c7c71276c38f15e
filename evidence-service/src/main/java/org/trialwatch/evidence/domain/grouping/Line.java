package org.trialwatch.evidence.domain.grouping;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The line/setting dimension. ANY_LINE: the source names no line (advanced or metastatic disease, preclinical work). */
public enum Line {
    FIRST_LINE("first-line"),
    SECOND_LINE("second-line"),
    MAINTENANCE("maintenance"),
    ADJUVANT("adjuvant"),
    NEOADJUVANT("neoadjuvant"),
    ANY_LINE("any-line");

    private final String slug;

    Line(String slug) {
        this.slug = slug;
    }

    public String slug() {
        return slug;
    }

    public static List<String> slugs() {
        return Arrays.stream(values()).map(Line::slug).toList();
    }

    /**
     * Reads a line from free text (a table's "Line" column, a text figure's population, a trial's setting). The order
     * matters: "neoadjuvant" contains "adjuvant", and a first-line maintenance trial is a maintenance trial.
     */
    public static Line read(String text) {
        if (text == null) {
            return ANY_LINE;
        }
        String t = text.toLowerCase(Locale.ROOT);
        if (t.contains("neoadjuvant")) {
            return NEOADJUVANT;
        }
        if (t.contains("adjuvant")) {
            return ADJUVANT;
        }
        if (t.contains("maintenance")) {
            return MAINTENANCE;
        }
        if (t.matches(".*\\bfirst[- ]line\\b.*") || t.contains("front-line")) {
            return FIRST_LINE;
        }
        if (t.matches(".*\\bsecond[- ](or (later|further) )?line\\b.*")) {
            return SECOND_LINE;
        }
        return ANY_LINE;
    }
}
