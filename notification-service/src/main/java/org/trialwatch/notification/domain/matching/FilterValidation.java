package org.trialwatch.notification.domain.matching;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.trialwatch.events.EventTypes;
import org.trialwatch.events.TrialStatus;
import org.trialwatch.support.problem.FieldError;

/** Rejects filter values that could never match, so a subscriber learns of a typo at once rather than never. */
public final class FilterValidation {

    private static final Pattern NCT = Pattern.compile("NCT\\d{8}");
    private static final Set<String> TUMOUR_TYPES = Set.of("BTC", "PC");
    private static final int MAX_VALUES = 200;
    private static final int MAX_VALUE_LENGTH = 200;
    /** The evidence service's group key: tumour type . line . therapy class . target (see its GroupKey). */
    private static final Pattern EVIDENCE_GROUP = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+){3}");

    private FilterValidation() {
    }

    public static List<FieldError> errors(SubscriptionFilter filter) {
        List<FieldError> errors = new ArrayList<>();
        for (Dimension d : Dimension.values()) {
            List<String> raw = filter.raw(d);
            String field = "filter." + fieldName(d);
            if (raw.size() > MAX_VALUES) {
                errors.add(new FieldError(field, "at most " + MAX_VALUES + " values"));
            }
            for (int i = 0; i < raw.size(); i++) {
                String value = raw.get(i);
                String reason = value == null || value.isBlank() ? "must not be blank"
                        : value.length() > MAX_VALUE_LENGTH ? "at most " + MAX_VALUE_LENGTH + " characters"
                        : reason(d, value);
                if (reason != null) {
                    errors.add(new FieldError(field + "[" + i + "]", reason));
                }
            }
        }
        return errors;
    }

    public static String fieldName(Dimension d) {
        return switch (d) {
            case NCT_ID -> "nctIds";
            case TUMOUR_TYPE -> "tumourTypes";
            case MECHANISM -> "mechanisms";
            case THERAPY_CLASS -> "therapyClasses";
            case EVENT_TYPE -> "eventTypes";
            case STATUS_TRANSITION -> "statusTransitions";
            case EVIDENCE_GROUP -> "evidenceGroups";
        };
    }

    private static String reason(Dimension d, String value) {
        String canonical = FilterValues.canonical(d, value);
        return switch (d) {
            case NCT_ID -> NCT.matcher(canonical).matches() ? null : "not an NCT id (NCT followed by 8 digits)";
            case TUMOUR_TYPE -> TUMOUR_TYPES.contains(canonical) ? null : "unknown tumour type (BTC or PC)";
            case EVENT_TYPE -> EventTypes.ALL.stream().map(EventTypes::shortName).anyMatch(canonical::equals)
                    ? null : "unknown event type (e.g. trial.status-changed)";
            case STATUS_TRANSITION -> transitionReason(canonical);
            case MECHANISM, THERAPY_CLASS -> canonical.isEmpty() ? "has no letters or digits" : null;
            case EVIDENCE_GROUP -> EVIDENCE_GROUP.matcher(canonical).matches() ? null
                    : "not an evidence group key (tumour.line.therapy-class.target, e.g. PC.any-line.targeted.KRAS)";
        };
    }

    private static String transitionReason(String canonical) {
        int arrow = canonical.indexOf("->");
        if (arrow < 0) {
            return "a transition is FROM->TO, e.g. ->TERMINATED or RECRUITING->COMPLETED";
        }
        for (String side : List.of(canonical.substring(0, arrow), canonical.substring(arrow + 2))) {
            if (!side.equals(FilterValues.ANY) && !side.equals(FilterValues.NONE) && !isStatus(side)) {
                return "unknown status " + side;
            }
        }
        return null;
    }

    private static boolean isStatus(String s) {
        for (TrialStatus status : TrialStatus.values()) {
            if (status.name().equals(s)) {
                return true;
            }
        }
        return false;
    }
}
