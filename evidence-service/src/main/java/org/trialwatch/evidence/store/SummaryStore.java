package org.trialwatch.evidence.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.trialwatch.evidence.grouping.GroupKey;

/** Group summaries and their version history. */
@ApplicationScoped
public class SummaryStore {

    public record Filter(String tumourType, String line, String therapyClass, String target) {
    }

    public record HistoryEntry(long version, String changesJson, String causeType, String causeEventId,
                               String causeNctId, Instant occurredAt) {
    }

    private final DataSource ds;

    public SummaryStore(DataSource ds) {
        this.ds = ds;
    }

    /** The summary, locked until the transaction ends, so two events touching one group version it one after another. */
    public Optional<StoredSummary> lock(String groupKey) {
        return Jdbc.query(ds, "SELECT group_key, version, content::text, latest_change::text, updated_at FROM group_summary "
                + "WHERE group_key = ? FOR UPDATE", ps -> ps.setString(1, groupKey), SummaryStore::map).stream().findFirst();
    }

    public Optional<StoredSummary> find(String groupKey) {
        return Jdbc.query(ds, "SELECT group_key, version, content::text, latest_change::text, updated_at FROM group_summary "
                + "WHERE group_key = ?", ps -> ps.setString(1, groupKey), SummaryStore::map).stream().findFirst();
    }

    /** Writes version {@code version} of a group's summary and appends it to the history. */
    public void write(GroupKey key, long version, String contentJson, String latestChangeJson, String changesJson,
                      String causeType, String causeEventId, String causeNctId, Instant at) {
        Jdbc.update(ds, """
                INSERT INTO group_summary (group_key, tumour_type, line, therapy_class, target, version, content, latest_change, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)
                ON CONFLICT (group_key) DO UPDATE SET version = EXCLUDED.version, content = EXCLUDED.content,
                    latest_change = EXCLUDED.latest_change, updated_at = EXCLUDED.updated_at
                """, ps -> {
            ps.setString(1, key.text());
            ps.setString(2, key.tumourType());
            ps.setString(3, key.line());
            ps.setString(4, key.therapyClass());
            ps.setString(5, key.target());
            ps.setLong(6, version);
            ps.setString(7, contentJson);
            ps.setString(8, latestChangeJson);
            ps.setTimestamp(9, Jdbc.ts(at));
        });
        Jdbc.update(ds, """
                INSERT INTO summary_history (group_key, version, changes, cause_type, cause_event_id, cause_nct_id, occurred_at, content)
                VALUES (?, ?, ?::jsonb, ?, ?, ?, ?, ?::jsonb)
                """, ps -> {
            ps.setString(1, key.text());
            ps.setLong(2, version);
            ps.setString(3, changesJson);
            ps.setString(4, causeType);
            ps.setString(5, causeEventId);
            ps.setString(6, causeNctId);
            ps.setTimestamp(7, Jdbc.ts(at));
            ps.setString(8, contentJson);
        });
    }

    /** Summaries after {@code afterKey} in key order (keyset pagination), at most {@code limit}. */
    public List<StoredSummary> list(Filter f, String afterKey, int limit) {
        StringBuilder sql = new StringBuilder("SELECT group_key, version, content::text, latest_change::text, updated_at "
                + "FROM group_summary WHERE true");
        List<Object> args = new ArrayList<>();
        if (f.tumourType() != null) {
            sql.append(" AND tumour_type = ?");
            args.add(f.tumourType());
        }
        if (f.line() != null) {
            sql.append(" AND line = ?");
            args.add(f.line());
        }
        if (f.therapyClass() != null) {
            sql.append(" AND therapy_class = ?");
            args.add(f.therapyClass());
        }
        if (f.target() != null) {
            sql.append(" AND lower(target) = lower(?)");
            args.add(f.target());
        }
        if (afterKey != null) {
            sql.append(" AND group_key > ?");
            args.add(afterKey);
        }
        sql.append(" ORDER BY group_key LIMIT ?");
        args.add(limit);
        return Jdbc.query(ds, sql.toString(), ps -> {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
        }, SummaryStore::map);
    }

    public List<HistoryEntry> history(String groupKey) {
        return Jdbc.query(ds, "SELECT version, changes::text, cause_type, cause_event_id, cause_nct_id, occurred_at "
                        + "FROM summary_history WHERE group_key = ? ORDER BY version",
                ps -> ps.setString(1, groupKey),
                rs -> new HistoryEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        Jdbc.instant(rs.getTimestamp(6))));
    }

    private static StoredSummary map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new StoredSummary(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                Jdbc.instant(rs.getTimestamp(5)));
    }
}
