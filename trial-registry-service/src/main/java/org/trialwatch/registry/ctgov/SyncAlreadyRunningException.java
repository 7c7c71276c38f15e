package org.trialwatch.registry.ctgov;

/** Another run has not finished yet (on this replica or another). */
public class SyncAlreadyRunningException extends RuntimeException {

    private final long runningRunId;

    public SyncAlreadyRunningException(long runningRunId) {
        super("sync run " + runningRunId + " is still running");
        this.runningRunId = runningRunId;
    }

    public long runningRunId() {
        return runningRunId;
    }
}
