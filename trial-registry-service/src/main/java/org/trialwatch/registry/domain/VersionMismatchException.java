package org.trialwatch.registry.domain;

/** The client's If-Match names a version that is no longer current (412). */
public class VersionMismatchException extends RuntimeException {

    private final long currentVersion;

    public VersionMismatchException(long expected, long currentVersion) {
        super("the trial is at version " + currentVersion + ", not " + expected + ": read it again and retry");
        this.currentVersion = currentVersion;
    }

    public long currentVersion() {
        return currentVersion;
    }
}
