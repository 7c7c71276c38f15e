package org.trialwatch.testbed;

import java.util.function.Predicate;

/**
 * Reads values out of a {@code /q/metrics} answer (Prometheus or OpenMetrics text). A sample line is
 * {@code name{labels} value [timestamp] [# {exemplar labels} value [timestamp]]}: the value is the first token after
 * the name and labels, never the last one (with tracing on, Micrometer appends exemplars to counters and histograms).
 * Label values are quoted and may hold spaces, braces and escaped quotes.
 */
public final class PrometheusText {

    private PrometheusText() {
    }

    /** The sum of every sample of {@code name}, over all label sets; 0 when there is none. */
    public static double sum(String body, String name) {
        return sum(body, name, labels -> true);
    }

    /** The sum of the samples of {@code name} whose label text (between the braces, or "") passes {@code labels}. */
    public static double sum(String body, String name, Predicate<String> labels) {
        double total = 0;
        for (String line : body.split("\n")) {
            Sample sample = parse(line);
            if (sample != null && sample.name().equals(name) && labels.test(sample.labels())) {
                total += sample.value();
            }
        }
        return total;
    }

    /** The first sample of {@code name}, or NaN when there is none. */
    public static double first(String body, String name) {
        for (String line : body.split("\n")) {
            Sample sample = parse(line);
            if (sample != null && sample.name().equals(name)) {
                return sample.value();
            }
        }
        return Double.NaN;
    }

    /** One sample line; null for comments, blank lines and anything that is not a sample. */
    public static Sample parse(String line) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
            return null;
        }
        int i = 0;
        while (i < l.length() && l.charAt(i) != '{' && !Character.isWhitespace(l.charAt(i))) {
            i++;
        }
        String name = l.substring(0, i);
        String labels = "";
        if (i < l.length() && l.charAt(i) == '{') {
            int end = closingBrace(l, i);
            if (end < 0) {
                return null;
            }
            labels = l.substring(i + 1, end);
            i = end + 1;
        }
        String[] rest = l.substring(i).strip().split("\\s+");
        if (rest.length == 0 || rest[0].isEmpty()) {
            return null;
        }
        return new Sample(name, labels, number(rest[0]));
    }

    private static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    private static int closingBrace(String l, int open) {
        boolean quoted = false;
        for (int i = open + 1; i < l.length(); i++) {
            char c = l.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '}' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    /** A metric sample: its name, its label text (without braces) and its value. */
    public record Sample(String name, String labels, double value) {
    }
}
