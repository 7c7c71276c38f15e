package org.trialwatch.registry.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.type.TypeReference;

import org.trialwatch.support.persistence.Jdbc;

/** The {@code sync_run} table in plain SQL; connections join the caller's JTA transaction. */
@ApplicationScoped
public class SyncRunRows {

    private static final String COLUMNS = "id, trigger_kind, triggered_by, state, started_at, finished_at, "
            + "data_timestamp, api_version, studies_requested, studies_fetched, studies_changed, changes_found, errors, "
            + "failure";
    private static final TypeReference<List<Map<String, String>>> ERRORS = new TypeReference<>() {
    };

    private final DataSource ds;

    public SyncRunRows(DataSource ds) {
        this.ds = ds;
    }

    /** Stores a new run; it comes back with its id. */
    @Transactional(Transactional.TxType.MANDATORY)
    public SyncRun insert(SyncRun run) {
        run.id = Jdbc.query(ds, """
                INSERT INTO sync_run (trigger_kind, triggered_by, state, started_at, errors)
                VALUES (?, ?, ?, ?, CAST(? AS jsonb)) RETURNING id
                """, ps -> {
            ps.setString(1, run.triggerKind);
            ps.setString(2, run.triggeredBy);
            ps.setString(3, run.state);
            ps.setObject(4, TrialRows.timestamp(run.startedAt));
            ps.setString(5, TrialRows.json(run.errors));
        }, rs -> rs.getLong(1)).get(0);
        return run;
    }

    /** Writes everything a run learns after its start. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void update(SyncRun run) {
        Jdbc.update(ds, """
                UPDATE sync_run SET state = ?, finished_at = ?, data_timestamp = ?, api_version = ?,
                       studies_requested = ?, studies_fetched = ?, studies_changed = ?, changes_found = ?,
                       errors = CAST(? AS jsonb), failure = ?
                 WHERE id = ?
                """, ps -> {
            ps.setString(1, run.state);
            ps.setObject(2, TrialRows.timestamp(run.finishedAt));
            ps.setString(3, run.dataTimestamp);
            ps.setString(4, run.apiVersion);
            ps.setInt(5, run.studiesRequested);
            ps.setInt(6, run.studiesFetched);
            ps.setInt(7, run.studiesChanged);
            ps.setInt(8, run.changesFound);
            ps.setString(9, TrialRows.json(run.errors));
            ps.setString(10, run.failure);
            ps.setLong(11, run.id);
        });
    }

    public Optional<SyncRun> find(long id) {
        return Jdbc.query(ds, "SELECT " + COLUMNS + " FROM sync_run WHERE id = ?", ps -> ps.setLong(1, id),
                SyncRunRows::read).stream().findFirst();
    }

    /** Up to {@code limit} runs numbered below {@code beforeId}, newest first. */
    public List<SyncRun> page(long beforeId, int limit) {
        return Jdbc.query(ds, "SELECT " + COLUMNS + " FROM sync_run WHERE id < ? ORDER BY id DESC LIMIT ?", ps -> {
            ps.setLong(1, beforeId);
            ps.setInt(2, limit);
        }, SyncRunRows::read);
    }

    /** The newest run that finished with something fetched (SUCCEEDED or PARTIAL). */
    public Optional<SyncRun> lastCompleted() {
        return Jdbc.query(ds, "SELECT " + COLUMNS + " FROM sync_run WHERE state IN ('SUCCEEDED', 'PARTIAL') "
                + "ORDER BY id DESC LIMIT 1", ps -> { }, SyncRunRows::read).stream().findFirst();
    }

    /** The run going on now, if any (the schema allows one). */
    public Optional<SyncRun> running() {
        return Jdbc.query(ds, "SELECT " + COLUMNS + " FROM sync_run WHERE state = 'RUNNING'", ps -> { },
                SyncRunRows::read).stream().findFirst();
    }

    /** Runs in the given state that started before {@code before}, oldest first. */
    public List<SyncRun> inState(String state, Instant before) {
        return Jdbc.query(ds, "SELECT " + COLUMNS + " FROM sync_run WHERE state = ? AND started_at < ? ORDER BY id",
                ps -> {
                    ps.setString(1, state);
                    ps.setObject(2, TrialRows.timestamp(before));
                }, SyncRunRows::read);
    }

    private static SyncRun read(ResultSet rs) throws SQLException {
        SyncRun run = new SyncRun();
        run.id = rs.getLong("id");
        run.triggerKind = rs.getString("trigger_kind");
        run.triggeredBy = rs.getString("triggered_by");
        run.state = rs.getString("state");
        run.startedAt = TrialRows.instant(rs, "started_at");
        run.finishedAt = TrialRows.instant(rs, "finished_at");
        run.dataTimestamp = rs.getString("data_timestamp");
        run.apiVersion = rs.getString("api_version");
        run.studiesRequested = rs.getInt("studies_requested");
        run.studiesFetched = rs.getInt("studies_fetched");
        run.studiesChanged = rs.getInt("studies_changed");
        run.changesFound = rs.getInt("changes_found");
        List<Map<String, String>> errors = TrialRows.parse(rs.getString("errors"), ERRORS);
        run.errors = errors == null ? new ArrayList<>() : errors;
        run.failure = rs.getString("failure");
        return run;
    }
}
