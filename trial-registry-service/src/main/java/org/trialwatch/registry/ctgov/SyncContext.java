package org.trialwatch.registry.ctgov;

/**
 * What every study of one run shares: the run (null for a one-off registration), the API's data refresh time and
 * its date, which becomes each fact's {@code asOf}.
 */
public record SyncContext(Long runId, String dataTimestamp, String asOf) {

    /** The date part of {@code dataTimestamp} (e.g. 2026-11-20 from 2026-11-20T09:15:34), or {@code fallbackDate}. */
    public static SyncContext of(Long runId, String dataTimestamp, String fallbackDate) {
        String asOf = dataTimestamp != null && dataTimestamp.matches("^\\d{4}-\\d{2}-\\d{2}.*")
                ? dataTimestamp.substring(0, 10) : fallbackDate;
        return new SyncContext(runId, dataTimestamp, asOf);
    }
}
