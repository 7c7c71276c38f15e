package org.trialwatch.notification.domain.matching;

import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The facts of one event that subscriptions filter on. Trial facts not carried by the event itself (tumour types,
 * mechanism, therapy class) come from the service's projection of earlier {@code trial.registered} events; null or
 * empty when unknown, and then a filter on them does not match.
 */
public record EventFacts(String eventType, String nctId, List<String> tumourTypes, String mechanism,
                         String therapyClass, String previousStatus, String newStatus, String groupKey) {

    public EventFacts {
        tumourTypes = tumourTypes == null ? List.of() : List.copyOf(tumourTypes);
    }

    /** The index keys this event hits, per dimension (canonical values). */
    public Map<Dimension, Set<String>> keys() {
        Map<Dimension, Set<String>> keys = new EnumMap<>(Dimension.class);
        for (Dimension d : Dimension.values()) {
            keys.put(d, new LinkedHashSet<>());
        }
        add(keys, Dimension.EVENT_TYPE, eventType);
        add(keys, Dimension.NCT_ID, nctId);
        tumourTypes.forEach(t -> add(keys, Dimension.TUMOUR_TYPE, t));
        keys.get(Dimension.MECHANISM).addAll(FilterValues.mechanismKeys(mechanism));
        add(keys, Dimension.THERAPY_CLASS, therapyClass);
        if (newStatus != null) {
            keys.get(Dimension.STATUS_TRANSITION).addAll(FilterValues.transitionKeys(previousStatus, newStatus));
        }
        add(keys, Dimension.EVIDENCE_GROUP, groupKey);
        return keys;
    }

    private static void add(Map<Dimension, Set<String>> keys, Dimension d, String raw) {
        if (raw != null && !raw.isBlank()) {
            keys.get(d).add(FilterValues.canonical(d, raw));
        }
    }
}
