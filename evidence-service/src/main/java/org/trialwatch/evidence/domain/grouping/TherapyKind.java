package org.trialwatch.evidence.domain.grouping;

import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;

/** The parts a therapy class is made of, in the order they are written in a group key. */
public enum TherapyKind {
    CHEMO, TARGETED, IMMUNO, RADIO, OTHER;

    public String slug() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code chemo_immuno}: the kinds in declaration order, joined by '_'. */
    public static String classSlug(Collection<TherapyKind> kinds) {
        return kinds.stream().sorted().distinct().map(TherapyKind::slug).collect(Collectors.joining("_"));
    }

    /** Reads one token of a trial's therapyClass ("chemo", "chemotherapy", "immunotherapy", ...). */
    public static TherapyKind readToken(String token) {
        String t = token.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("chemo")) {
            return CHEMO;
        }
        if (t.startsWith("target")) {
            return TARGETED;
        }
        if (t.startsWith("immuno")) {
            return IMMUNO;
        }
        if (t.startsWith("radio") || t.startsWith("radiation")) {
            return RADIO;
        }
        return OTHER;
    }
}
