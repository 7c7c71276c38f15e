package org.trialwatch.registry.trial;

public class TrialNotFoundException extends RuntimeException {

    public TrialNotFoundException(String nctId) {
        super("no tracked trial " + nctId);
    }
}
