package org.trialwatch.notification.domain.matching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.trialwatch.events.EventTypes;

/**
 * The canonical spelling of filter values and event values, so that the index compares like with like:
 * {@code "kras-g12d"} and {@code "KRAS G12D"} are the same mechanism; {@code RECRUITING→TERMINATED} and
 * {@code RECRUITING->TERMINATED} the same transition.
 */
public final class FilterValues {

    /** A side of a status transition that matches any status. */
    public static final String ANY = "*";
    /** The "from" side of a status change when the status was not verified before. */
    public static final String NONE = "NONE";
    /** Longest run of words indexed from a mechanism; keeps an event's keys bounded for long free-text mechanisms. */
    static final int MAX_TARGET_WORDS = 6;

    private FilterValues() {
    }

    public static String canonical(Dimension dimension, String raw) {
        String value = raw == null ? "" : raw.trim();
        return switch (dimension) {
            case NCT_ID, TUMOUR_TYPE -> value.toUpperCase(Locale.ROOT);
            case MECHANISM, THERAPY_CLASS -> String.join(" ", words(value));
            case EVENT_TYPE -> eventShortName(value);
            case STATUS_TRANSITION -> transition(value);
            case EVIDENCE_GROUP -> value;
        };
    }

    /** Upper-case alphanumeric words: punctuation and spacing do not distinguish two targets. */
    static List<String> words(String text) {
        return Arrays.stream(text.toUpperCase(Locale.ROOT).split("[^A-Z0-9]+")).filter(w -> !w.isEmpty()).toList();
    }

    /**
     * Every run of consecutive words of a mechanism ("KRAS G12D inhibitor" → KRAS, G12D, INHIBITOR, KRAS G12D, …),
     * so a filter on a target such as {@code KRAS} or {@code KRAS G12D} matches through the index.
     */
    public static Set<String> mechanismKeys(String mechanism) {
        Set<String> keys = new LinkedHashSet<>();
        if (mechanism == null) {
            return keys;
        }
        List<String> words = words(mechanism);
        for (int start = 0; start < words.size(); start++) {
            for (int end = start + 1; end <= Math.min(words.size(), start + MAX_TARGET_WORDS); end++) {
                keys.add(String.join(" ", words.subList(start, end)));
            }
        }
        return keys;
    }

    /** {@code org.trialwatch.trial.status-changed.v1} or {@code trial.status-changed} → {@code trial.status-changed}. */
    static String eventShortName(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        return lower.startsWith("org.trialwatch.") && EventTypes.ALL.contains(lower) ? EventTypes.shortName(lower) : lower;
    }

    /** {@code →TERMINATED}, {@code *->TERMINATED}, {@code RECRUITING->} … → {@code FROM->TO} with {@code *} for any. */
    static String transition(String value) {
        String v = value.replace("→", "->").replace(" ", "").toUpperCase(Locale.ROOT);
        int arrow = v.indexOf("->");
        if (arrow < 0) {
            return v;
        }
        String from = v.substring(0, arrow);
        String to = v.substring(arrow + 2);
        return (from.isEmpty() ? ANY : from) + "->" + (to.isEmpty() ? ANY : to);
    }

    /** The index keys a status change hits: exact, any-from and any-to. */
    public static List<String> transitionKeys(String previousStatus, String newStatus) {
        String from = previousStatus == null ? NONE : previousStatus;
        List<String> keys = new ArrayList<>(3);
        keys.add(from + "->" + newStatus);
        keys.add(ANY + "->" + newStatus);
        keys.add(from + "->" + ANY);
        return keys;
    }
}
