package org.trialwatch.registry.ctgov;

import java.util.List;

/** A study record that cannot be read safely; the sync skips it and leaves the trial as it was. */
public class MalformedStudyException extends RuntimeException {

    private final String nctId;
    private final List<String> reasons;

    public MalformedStudyException(String nctId, List<String> reasons) {
        super((nctId == null ? "a study without an NCT id" : nctId) + ": " + String.join("; ", reasons));
        this.nctId = nctId;
        this.reasons = List.copyOf(reasons);
    }

    /** The record's NCT id when it could be read, else null. */
    public String nctId() {
        return nctId;
    }

    public List<String> reasons() {
        return reasons;
    }
}
