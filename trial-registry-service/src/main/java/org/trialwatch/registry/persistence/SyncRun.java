package org.trialwatch.registry.persistence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One sync run: when, against which data refresh, what it fetched and found, and what it skipped and why. */
public class SyncRun {

    public static final String RUNNING = "RUNNING";
    public static final String SUCCEEDED = "SUCCEEDED";
    /** Finished, but some studies were skipped (see errors). */
    public static final String PARTIAL = "PARTIAL";
    public static final String FAILED = "FAILED";

    public Long id;

    public String triggerKind;
    public String triggeredBy;
    public String state;
    public Instant startedAt;
    public Instant finishedAt;
    public String dataTimestamp;
    public String apiVersion;
    public int studiesRequested;
    public int studiesFetched;
    public int studiesChanged;
    public int changesFound;

    public List<Map<String, String>> errors = new ArrayList<>();

    public String failure;
}
