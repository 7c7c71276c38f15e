package org.trialwatch.evidence.domain.grouping;

import java.util.List;

/** A row or trial belongs to a group, and the reasons, one per dimension, that put it there. */
public record Membership(GroupKey key, List<String> why) {

    public Membership {
        why = List.copyOf(why);
    }

    public String whyText() {
        return String.join("; ", why);
    }
}
