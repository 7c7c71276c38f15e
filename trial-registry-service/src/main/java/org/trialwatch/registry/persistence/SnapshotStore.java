package org.trialwatch.registry.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.trialwatch.support.persistence.Jdbc;

/** Keeps a study record's versions: a fetched record is stored only when it differs from the latest stored one. */
@ApplicationScoped
public class SnapshotStore {

    private static final String COLUMNS = "id, nct_id, version_no, last_update_post_date, data_timestamp, "
            + "content_sha256, document_gzip, fetched_at, sync_run_id";

    private final Clock clock;
    private final DataSource ds;

    public SnapshotStore(Clock clock, DataSource ds) {
        this.clock = clock;
        this.ds = ds;
    }

    /** Call with the trial's row locked (the sync does), so two writers cannot take the same version number. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean storeIfChanged(String nctId, JsonNode record, String lastUpdatePostDate, String dataTimestamp,
                                  Long runId) {
        byte[] canonical = SnapshotCodec.canonical(record);
        String sha = SnapshotCodec.sha256(canonical);
        Optional<Latest> latest = Jdbc.query(ds, "SELECT version_no, content_sha256 FROM registry_snapshot "
                        + "WHERE nct_id = ? ORDER BY version_no DESC LIMIT 1", ps -> ps.setString(1, nctId),
                rs -> new Latest(rs.getInt(1), rs.getString(2))).stream().findFirst();
        if (latest.isPresent() && latest.get().sha256().equals(sha)) {
            return false;
        }
        int versionNo = latest.map(l -> l.versionNo() + 1).orElse(1);
        Jdbc.update(ds, """
                INSERT INTO registry_snapshot (nct_id, version_no, last_update_post_date, data_timestamp, content_sha256,
                                               document_gzip, fetched_at, sync_run_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, ps -> {
            ps.setString(1, nctId);
            ps.setInt(2, versionNo);
            ps.setString(3, lastUpdatePostDate);
            ps.setString(4, dataTimestamp);
            ps.setString(5, sha);
            ps.setBytes(6, SnapshotCodec.gzip(canonical));
            ps.setObject(7, TrialRows.timestamp(clock.instant()));
            ps.setObject(8, runId, Types.BIGINT);
        });
        return true;
    }

    private record Latest(int versionNo, String sha256) {
    }

    /** Up to {@code limit} versions numbered above {@code afterVersion}, oldest first. */
    public List<RegistrySnapshot> versions(String nctId, int afterVersion, int limit) {
        return Jdbc.query(ds, "SELECT " + COLUMNS + " FROM registry_snapshot WHERE nct_id = ? AND version_no > ? "
                + "ORDER BY version_no LIMIT ?", ps -> {
            ps.setString(1, nctId);
            ps.setInt(2, afterVersion);
            ps.setInt(3, limit);
        }, SnapshotStore::read);
    }

    /** The version, or null when the trial has no such version. */
    public RegistrySnapshot version(String nctId, int versionNo) {
        return Jdbc.query(ds, "SELECT " + COLUMNS + " FROM registry_snapshot WHERE nct_id = ? AND version_no = ?",
                ps -> {
                    ps.setString(1, nctId);
                    ps.setInt(2, versionNo);
                }, SnapshotStore::read).stream().findFirst().orElse(null);
    }

    private static RegistrySnapshot read(ResultSet rs) throws SQLException {
        RegistrySnapshot s = new RegistrySnapshot();
        s.id = rs.getLong("id");
        s.nctId = rs.getString("nct_id");
        s.versionNo = rs.getInt("version_no");
        s.lastUpdatePostDate = rs.getString("last_update_post_date");
        s.dataTimestamp = rs.getString("data_timestamp");
        s.contentSha256 = rs.getString("content_sha256");
        s.documentGzip = rs.getBytes("document_gzip");
        s.fetchedAt = TrialRows.instant(rs, "fetched_at");
        s.syncRunId = rs.getObject("sync_run_id", Long.class);
        return s;
    }
}
