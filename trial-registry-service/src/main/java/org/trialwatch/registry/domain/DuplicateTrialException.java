package org.trialwatch.registry.domain;

public class DuplicateTrialException extends RuntimeException {

    public DuplicateTrialException(String nctId) {
        super(nctId + " is already tracked");
    }
}
