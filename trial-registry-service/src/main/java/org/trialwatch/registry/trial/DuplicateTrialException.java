package org.trialwatch.registry.trial;

public class DuplicateTrialException extends RuntimeException {

    public DuplicateTrialException(String nctId) {
        super(nctId + " is already tracked");
    }
}
