package org.trialwatch.registry.domain;

public class TrialNotFoundException extends RuntimeException {

    public TrialNotFoundException(String nctId) {
        super("no tracked trial " + nctId);
    }
}
