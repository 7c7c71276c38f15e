package org.trialwatch.notification.domain.matching;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a subscriber wants to hear about. Each field is a set of accepted values; an empty (or absent) field accepts
 * everything. An event matches when every non-empty field accepts one of the event's values for that field.
 */
public record SubscriptionFilter(List<String> nctIds, List<String> tumourTypes, List<String> mechanisms,
                                 List<String> therapyClasses, List<String> eventTypes, List<String> statusTransitions,
                                 List<String> evidenceGroups) {

    public SubscriptionFilter {
        nctIds = orEmpty(nctIds);
        tumourTypes = orEmpty(tumourTypes);
        mechanisms = orEmpty(mechanisms);
        therapyClasses = orEmpty(therapyClasses);
        eventTypes = orEmpty(eventTypes);
        statusTransitions = orEmpty(statusTransitions);
        evidenceGroups = orEmpty(evidenceGroups);
    }

    public static SubscriptionFilter everything() {
        return new SubscriptionFilter(null, null, null, null, null, null, null);
    }

    public List<String> raw(Dimension dimension) {
        return switch (dimension) {
            case NCT_ID -> nctIds;
            case TUMOUR_TYPE -> tumourTypes;
            case MECHANISM -> mechanisms;
            case THERAPY_CLASS -> therapyClasses;
            case EVENT_TYPE -> eventTypes;
            case STATUS_TRANSITION -> statusTransitions;
            case EVIDENCE_GROUP -> evidenceGroups;
        };
    }

    /** The canonical accepted values per non-empty dimension: the rows this subscription puts in the index. */
    public Map<Dimension, Set<String>> indexEntries() {
        Map<Dimension, Set<String>> entries = new EnumMap<>(Dimension.class);
        for (Dimension d : Dimension.values()) {
            Set<String> values = new LinkedHashSet<>();
            for (String raw : raw(d)) {
                String canonical = FilterValues.canonical(d, raw);
                if (!canonical.isEmpty()) {
                    values.add(canonical);
                }
            }
            if (!values.isEmpty()) {
                entries.put(d, values);
            }
        }
        return entries;
    }

    /** How many dimensions restrict this subscription; zero means it matches every event. */
    public int specificDimensions() {
        return indexEntries().size();
    }

    private static List<String> orEmpty(List<String> values) {
        return values == null ? List.of() : List.copyOf(new ArrayList<>(values));
    }
}
