package org.trialwatch.evidence.rest;

import java.util.Locale;
import java.util.regex.Pattern;

/** Reading query parameters by hand, so that a bad one is a 400 naming it rather than a bare 404. */
final class Params {

    private static final Pattern NCT = Pattern.compile("NCT\\d{8}");

    private Params() {
    }

    static Integer integer(String text) {
        if (text == null || !text.matches("-?\\d{1,9}")) {
            return null;
        }
        return Integer.valueOf(text);
    }

    static boolean isNctId(String text) {
        return text != null && NCT.matcher(text).matches();
    }

    /** NCT ids are case-insensitive: "nct04753879" is read as "NCT04753879"; anything else is returned as given. */
    static String canonicalNctId(String text) {
        if (text == null) {
            return null;
        }
        String upper = text.strip().toUpperCase(Locale.ROOT);
        return isNctId(upper) ? upper : text;
    }
}
