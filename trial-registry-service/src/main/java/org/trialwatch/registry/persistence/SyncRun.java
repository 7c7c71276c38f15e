package org.trialwatch.registry.persistence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One sync run: when, against which data refresh, what it fetched and found, and what it skipped and why. */
@Entity
@Table(name = "sync_run")
public class SyncRun extends PanacheEntityBase {

    public static final String RUNNING = "RUNNING";
    public static final String SUCCEEDED = "SUCCEEDED";
    /** Finished, but some studies were skipped (see errors). */
    public static final String PARTIAL = "PARTIAL";
    public static final String FAILED = "FAILED";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
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

    @JdbcTypeCode(SqlTypes.JSON)
    public List<Map<String, String>> errors = new ArrayList<>();

    public String failure;
}
