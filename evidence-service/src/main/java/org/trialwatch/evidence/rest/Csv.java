package org.trialwatch.evidence.rest;

import java.util.List;

/**
 * RFC 4180 CSV: fields quoted when they hold a comma, quote or line break; CRLF between records. A cell that a
 * spreadsheet would read as a formula (starting with {@code = + - @}, tab or CR) is neutralised as OWASP recommends:
 * a leading {@code '} and quotes. Plain numbers ({@code -0.5}, {@code +3}) are left as they are, so the export stays
 * usable for analysis; they cannot carry a formula.
 */
final class Csv {

    private Csv() {
    }

    static void appendRecord(StringBuilder out, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(quote(fields.get(i)));
        }
        out.append("\r\n");
    }

    private static final java.util.regex.Pattern PLAIN_NUMBER = java.util.regex.Pattern.compile("[-+]?\\d+(\\.\\d+)?");

    static String quote(String field) {
        if (field == null) {
            return "";
        }
        if (startsLikeAFormula(field)) {
            return '"' + "'" + field.replace("\"", "\"\"") + '"';
        }
        if (field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")) {
            return '"' + field.replace("\"", "\"\"") + '"';
        }
        return field;
    }

    private static boolean startsLikeAFormula(String field) {
        if (field.isEmpty() || "=+-@\t\r".indexOf(field.charAt(0)) < 0) {
            return false;
        }
        return !PLAIN_NUMBER.matcher(field).matches();
    }
}
