package org.trialwatch.registry.domain;

import java.util.List;

/** A status change that breaks one or more transition rules; answered with 422 naming the rules. */
public class TransitionRejectedException extends RuntimeException {

    private final List<TransitionRule> rules;

    public TransitionRejectedException(List<TransitionRule> rules) {
        super("status change breaks " + rules);
        this.rules = List.copyOf(rules);
    }

    public List<TransitionRule> rules() {
        return rules;
    }
}
