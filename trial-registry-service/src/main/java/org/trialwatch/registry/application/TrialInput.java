package org.trialwatch.registry.application;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trialwatch.events.TrialStatus;
import org.trialwatch.registry.domain.FieldError;
import org.trialwatch.registry.domain.InvalidInputException;
import org.trialwatch.registry.persistence.Trial;

/**
 * Validates the JSON a curator sends to register or change a trial, collecting every error (not just the first) so
 * one answer tells the client all that is wrong. Plain Java.
 */
public final class TrialInput {

    public static final Pattern NCT_ID = Pattern.compile("^NCT\\d{8}$");

    private TrialInput() {
    }

    /**
     * The NCT id in its canonical form: ClinicalTrials.gov ids are case-insensitive, so "nct05379985" is read as
     * "NCT05379985" rather than refused (a newcomer typing an id by hand should not get a 400 for its case).
     */
    public static String requireNctId(String value, String field) {
        String canonical = value == null ? null : value.strip().toUpperCase(Locale.ROOT);
        if (canonical == null || !NCT_ID.matcher(canonical).matches()) {
            throw new InvalidInputException(field, "must be an NCT number: 'NCT' followed by 8 digits");
        }
        return canonical;
    }

    /** The fields of a PATCH body, validated; unknown fields and invalid values are all reported. */
    public static Map<TrialField, JsonNode> patch(ObjectNode body) {
        if (body == null || body.isEmpty()) {
            throw new InvalidInputException("body", "send at least one field to change");
        }
        List<FieldError> errors = new ArrayList<>();
        Map<TrialField, JsonNode> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Optional<TrialField> field = TrialField.byJsonName(e.getKey());
            if (field.isEmpty()) {
                errors.add(new FieldError(e.getKey(), e.getKey().equals("overallStatus")
                        ? "change the status with POST /api/trials/{nctId}/status-changes, which keeps its history"
                        : "unknown or read-only field"));
                continue;
            }
            try {
                field.get().parse(e.getValue());
                fields.put(field.get(), e.getValue());
            } catch (InvalidInputException invalid) {
                errors.addAll(invalid.errors());
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return fields;
    }

    /** A new trial from a POST body: {@code nctId} required, {@code overallStatus} optional, other fields as in PATCH. */
    public static Trial newTrial(ObjectNode body) {
        if (body == null) {
            throw new InvalidInputException("body", "a JSON object is required");
        }
        List<FieldError> errors = new ArrayList<>();
        Trial trial = new Trial();
        JsonNode id = body.get("nctId");
        try {
            trial.nctId = requireNctId(id == null || !id.isTextual() ? null : id.asText(), "nctId");
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
        }
        JsonNode status = body.get("overallStatus");
        if (status != null && !status.isNull()) {
            try {
                trial.overallStatus = TrialStatus.valueOf(status.asText());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("overallStatus", "'" + status.asText() + "' is not one of "
                        + java.util.Arrays.toString(TrialStatus.values())));
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("nctId") || e.getKey().equals("overallStatus")) {
                continue;
            }
            Optional<TrialField> field = TrialField.byJsonName(e.getKey());
            if (field.isEmpty()) {
                errors.add(new FieldError(e.getKey(), "unknown field"));
                continue;
            }
            try {
                field.get().write(trial, field.get().parse(e.getValue()));
            } catch (InvalidInputException invalid) {
                errors.addAll(invalid.errors());
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        if (trial.tumourTypes == null) {
            trial.tumourTypes = List.of();
        }
        trial.factSources = Map.of();
        return trial;
    }
}
