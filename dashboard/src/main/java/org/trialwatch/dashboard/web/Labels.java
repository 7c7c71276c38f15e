package org.trialwatch.dashboard.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import io.quarkus.qute.TemplateExtension;

/** How the pages write the APIs' values for people (template extensions: {@code {trial.overallStatus.statusLabel}}). */
@TemplateExtension
public final class Labels {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Labels() {
    }

    /** {@code ACTIVE_NOT_RECRUITING} → "Active, not recruiting"; null → "not verified". */
    public static String statusLabel(String status) {
        if (status == null || status.isBlank() || "NOT_VERIFIED".equals(status)) {
            return "not verified";
        }
        String words = status.toLowerCase(Locale.ROOT).replace('_', ' ');
        words = words.replace("active not recruiting", "active, not recruiting");
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    public static String when(Instant instant) {
        return instant == null ? "" : WHEN.format(instant);
    }

    public static String day(Instant instant) {
        return instant == null ? "" : DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC).format(instant);
    }

    public static String joined(List<?> values) {
        return values == null ? "" : String.join(", ", values.stream().map(String::valueOf).toList());
    }

    public static String pct(Double value) {
        return value == null ? "" : org.trialwatch.dashboard.plot.Numbers.plain(value) + " %";
    }

    public static String num(Double value) {
        return org.trialwatch.dashboard.plot.Numbers.plain(value);
    }

    /** A subscription's status transition such as {@code ->TERMINATED} in words. */
    public static String transitionLabel(String transition) {
        int arrow = transition == null ? -1 : transition.indexOf("->");
        if (arrow < 0) {
            return transition == null ? "" : transition;
        }
        String from = transition.substring(0, arrow);
        return (from.isEmpty() ? "" : "from " + statusLabel(from) + " ") + "to " + statusLabel(transition.substring(arrow + 2));
    }

    /** A column name such as {@code median_os_months} as words. */
    public static String words(String name) {
        return name == null ? "" : name.replace('_', ' ');
    }

    /** A certainty flag in words, e.g. {@code small-n} → "small N". */
    public static String flagLabel(String flag) {
        return switch (flag == null ? "" : flag) {
            case "small-n" -> "Small N";
            case "single-arm" -> "Single arm (no comparator)";
            default -> flag == null ? "" : Character.toUpperCase(flag.charAt(0)) + flag.substring(1).replace('-', ' ');
        };
    }
}
