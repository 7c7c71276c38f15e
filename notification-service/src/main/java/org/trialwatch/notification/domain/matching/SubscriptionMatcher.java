package org.trialwatch.notification.domain.matching;

import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * The matching rule, in memory: used for the live stream's per-connection filter, and the reference the database
 * index query ({@code SubscriptionIndex}) must agree with.
 */
public final class SubscriptionMatcher {

    private SubscriptionMatcher() {
    }

    public static boolean matches(SubscriptionFilter filter, EventFacts facts) {
        Map<Dimension, Set<String>> eventKeys = facts.keys();
        for (Map.Entry<Dimension, Set<String>> accepted : filter.indexEntries().entrySet()) {
            if (Collections.disjoint(accepted.getValue(), eventKeys.get(accepted.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
