package org.trialwatch.notification.persistence;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.trialwatch.events.FieldChange;
import org.trialwatch.events.TrialSnapshot;
import org.trialwatch.events.TrialUpdated;

/** What this service remembers of a trial in order to match later events on it; null/empty = unknown. */
public record TrialFact(String nctId, List<String> tumourTypes, String mechanism, String therapyClass, long sequence) {

    public TrialFact {
        tumourTypes = tumourTypes == null ? List.of() : List.copyOf(tumourTypes);
    }

    public static TrialFact unknown(String nctId) {
        return new TrialFact(nctId, List.of(), null, null, 0);
    }

    public static TrialFact of(TrialSnapshot trial, long sequence) {
        return new TrialFact(trial.nctId(), trial.tumourTypes(), trial.mechanism(), trial.therapyClass(), sequence);
    }

    /** The facts after a curation or sync diff; fields this service does not track are ignored. */
    public TrialFact apply(TrialUpdated update) {
        List<String> tumours = tumourTypes;
        String mech = mechanism;
        String therapy = therapyClass;
        for (FieldChange change : update.changes()) {
            JsonNode to = change.to();
            switch (change.field()) {
                case "tumourTypes" -> tumours = stringList(to);
                case "mechanism" -> mech = text(to);
                case "therapyClass" -> therapy = text(to);
                default -> {
                }
            }
        }
        return new TrialFact(nctId, tumours, mech, therapy, Math.max(sequence, update.sequence()));
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static List<String> stringList(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(n -> values.add(n.asText()));
        }
        return values;
    }
}
