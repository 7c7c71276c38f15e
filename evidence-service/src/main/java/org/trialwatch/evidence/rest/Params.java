package org.trialwatch.evidence.rest;

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
}
