package org.trialwatch.registry.application;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import org.trialwatch.registry.domain.InvalidInputException;
import org.trialwatch.registry.persistence.Trial;

/**
 * The trial fields a curator (or the registry sync) may change with PATCH, each with its JSON validation.
 * The overall status is not among them: it changes only through a status change, which keeps the history.
 * A JSON {@code null} sets a field to unknown.
 */
public enum TrialField {
    BRIEF_TITLE("briefTitle", Kind.TEXT, t -> t.briefTitle, (t, v) -> t.briefTitle = (String) v),
    OFFICIAL_TITLE("officialTitle", Kind.TEXT, t -> t.officialTitle, (t, v) -> t.officialTitle = (String) v),
    ACRONYM("acronym", Kind.TEXT, t -> t.acronym, (t, v) -> t.acronym = (String) v),
    CONDITIONS("conditions", Kind.TEXT_LIST, t -> t.conditions, (t, v) -> t.conditions = strings(v)),
    TUMOUR_TYPES("tumourTypes", Kind.TUMOUR_TYPES, t -> t.tumourTypes, (t, v) -> t.tumourTypes = v == null ? List.of() : strings(v)),
    SETTING("setting", Kind.TEXT, t -> t.setting, (t, v) -> t.setting = (String) v),
    REGIMEN("regimen", Kind.TEXT, t -> t.regimen, (t, v) -> t.regimen = (String) v),
    INTERVENTIONS("interventions", Kind.TEXT_LIST, t -> t.interventions, (t, v) -> t.interventions = strings(v)),
    MECHANISM("mechanism", Kind.TEXT, t -> t.mechanism, (t, v) -> t.mechanism = (String) v),
    THERAPY_CLASS("therapyClass", Kind.TEXT, t -> t.therapyClass, (t, v) -> t.therapyClass = (String) v),
    PHASES("phases", Kind.PHASES, t -> t.phases, (t, v) -> t.phases = strings(v)),
    SPONSOR("sponsor", Kind.TEXT, t -> t.sponsor, (t, v) -> t.sponsor = (String) v),
    ENROLLMENT_COUNT("enrollmentCount", Kind.COUNT, t -> t.enrollmentCount, (t, v) -> t.enrollmentCount = (Integer) v),
    ENROLLMENT_TYPE("enrollmentType", Kind.ENROLLMENT_TYPE, t -> t.enrollmentType, (t, v) -> t.enrollmentType = (String) v),
    START_DATE("startDate", Kind.PARTIAL_DATE, t -> t.startDate, (t, v) -> t.startDate = (String) v),
    START_DATE_TYPE("startDateType", Kind.DATE_TYPE, t -> t.startDateType, (t, v) -> t.startDateType = (String) v),
    PRIMARY_COMPLETION_DATE("primaryCompletionDate", Kind.PARTIAL_DATE, t -> t.primaryCompletionDate,
            (t, v) -> t.primaryCompletionDate = (String) v),
    PRIMARY_COMPLETION_DATE_TYPE("primaryCompletionDateType", Kind.DATE_TYPE, t -> t.primaryCompletionDateType,
            (t, v) -> t.primaryCompletionDateType = (String) v),
    COMPLETION_DATE("completionDate", Kind.PARTIAL_DATE, t -> t.completionDate, (t, v) -> t.completionDate = (String) v),
    COMPLETION_DATE_TYPE("completionDateType", Kind.DATE_TYPE, t -> t.completionDateType,
            (t, v) -> t.completionDateType = (String) v),
    WHY_STOPPED("whyStopped", Kind.TEXT, t -> t.whyStopped, (t, v) -> t.whyStopped = (String) v),
    LAST_KNOWN_STATUS("lastKnownStatus", Kind.STATUS, t -> t.lastKnownStatus,
            (t, v) -> t.lastKnownStatus = (org.trialwatch.events.TrialStatus) v),
    HAS_RESULTS("hasResults", Kind.BOOLEAN, t -> t.hasResults, (t, v) -> t.hasResults = (Boolean) v),
    LAST_UPDATE_POSTED("lastUpdatePosted", Kind.PARTIAL_DATE, t -> t.lastUpdatePosted, (t, v) -> t.lastUpdatePosted = (String) v);

    /** ClinicalTrials.gov API v2 phase enum. */
    public static final Set<String> PHASE_VALUES = Set.of("NA", "EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4");
    public static final Set<String> TUMOUR_TYPE_VALUES = Set.of("BTC", "PC");
    public static final Set<String> ENROLLMENT_TYPE_VALUES = Set.of("ACTUAL", "ESTIMATED");
    /** ClinicalTrials.gov dates: a year, a year and month, or a full date; no day is ever guessed. */
    public static final Pattern PARTIAL_DATE = Pattern.compile("^\\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\\d|3[01]))?)?$");
    static final int MAX_TEXT = 4000;
    /**
     * Items in one list field (conditions, interventions, tumour types, phases): ClinicalTrials.gov records have a few
     * dozen at most; a longer list is refused rather than stored and copied into every event and version.
     */
    public static final int MAX_LIST_ITEMS = 200;

    private enum Kind { TEXT, TEXT_LIST, TUMOUR_TYPES, PHASES, COUNT, ENROLLMENT_TYPE, DATE_TYPE, PARTIAL_DATE, BOOLEAN, STATUS }

    private final String jsonName;
    private final Kind kind;
    private final Function<Trial, Object> getter;
    private final BiConsumer<Trial, Object> setter;

    TrialField(String jsonName, Kind kind, Function<Trial, Object> getter, BiConsumer<Trial, Object> setter) {
        this.jsonName = jsonName;
        this.kind = kind;
        this.getter = getter;
        this.setter = setter;
    }

    public String jsonName() {
        return jsonName;
    }

    public static Optional<TrialField> byJsonName(String name) {
        return Arrays.stream(values()).filter(f -> f.jsonName.equals(name)).findFirst();
    }

    public JsonNode read(Trial trial) {
        Object value = getter.apply(trial);
        return value == null ? NullNode.getInstance() : org.trialwatch.events.EventJson.mapper().valueToTree(value);
    }

    /** Parses and validates a JSON value for this field; the result is what {@link #write} stores. */
    public Object parse(JsonNode json) {
        if (json == null || json.isNull()) {
            return null;
        }
        return switch (kind) {
            case TEXT -> text(json);
            case TEXT_LIST -> textList(json, null);
            case TUMOUR_TYPES -> textList(json, TUMOUR_TYPE_VALUES);
            case PHASES -> textList(json, PHASE_VALUES);
            case COUNT -> {
                if (!json.canConvertToInt() || !json.isIntegralNumber() || json.asInt() < 0) {
                    throw invalid("must be a whole number of participants, 0 or more");
                }
                yield json.asInt();
            }
            case ENROLLMENT_TYPE -> {
                String v = text(json);
                if (!ENROLLMENT_TYPE_VALUES.contains(v)) {
                    throw invalid("must be ACTUAL or ESTIMATED");
                }
                yield v;
            }
            case DATE_TYPE -> {
                String v = text(json);
                if (!ENROLLMENT_TYPE_VALUES.contains(v)) {
                    throw invalid("must be ACTUAL or ESTIMATED");
                }
                yield v;
            }
            case STATUS -> {
                String v = text(json);
                try {
                    yield org.trialwatch.events.TrialStatus.valueOf(v);
                } catch (IllegalArgumentException e) {
                    throw invalid("'" + v + "' is not a ClinicalTrials.gov overall status");
                }
            }
            case PARTIAL_DATE -> {
                String v = text(json);
                if (!PARTIAL_DATE.matcher(v).matches()) {
                    throw invalid("must be a date as yyyy, yyyy-MM or yyyy-MM-dd");
                }
                yield v;
            }
            case BOOLEAN -> {
                if (!json.isBoolean()) {
                    throw invalid("must be true or false");
                }
                yield json.asBoolean();
            }
        };
    }

    public void write(Trial trial, Object parsedValue) {
        setter.accept(trial, parsedValue);
    }

    private String text(JsonNode json) {
        if (!json.isTextual()) {
            throw invalid("must be a string");
        }
        String v = json.asText().strip();
        if (v.isEmpty()) {
            throw invalid("must not be blank (send null to make it unknown)");
        }
        if (v.length() > MAX_TEXT) {
            throw invalid("must be at most " + MAX_TEXT + " characters");
        }
        return v;
    }

    private List<String> textList(JsonNode json, Set<String> allowed) {
        if (!json.isArray()) {
            throw invalid("must be an array of strings");
        }
        if (json.size() > MAX_LIST_ITEMS) {
            throw invalid("at most " + MAX_LIST_ITEMS + " items, not " + json.size());
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : json) {
            String v = text(item);
            if (allowed != null && !allowed.contains(v)) {
                throw invalid("'" + v + "' is not one of " + allowed.stream().sorted().toList());
            }
            if (!out.contains(v)) {
                out.add(v);
            }
        }
        return List.copyOf(out);
    }

    private InvalidInputException invalid(String reason) {
        return new InvalidInputException(jsonName, reason);
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object v) {
        return v == null ? null : (List<String>) v;
    }
}
