package org.trialwatch.evidence.persistence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.trialwatch.evidence.domain.grouping.GroupKey;
import org.trialwatch.evidence.domain.summary.SummaryContent.TrialRef;
import org.trialwatch.support.persistence.Jdbc;

/** Group summaries and their version history. */
@ApplicationScoped
public class SummaryStore {

    public record Filter(String tumourType, String line, String therapyClass, String target) {
    }

    public record HistoryEntry(long version, String changesJson, String causeType, String causeEventId,
                               String causeNctId, Instant occurredAt) {
    }

    private final DataSource ds;
    private final SummaryWrites writes;

    public SummaryStore(DataSource ds, SummaryWrites writes) {
        this.ds = ds;
        this.writes = writes;
    }

    /**
     * The summary, locked until the transaction ends, so two events touching one group version it one after another.
     * Its content is the stored part only: no member trials, no terminated-early or results-not-yet-posted flag
     * (those are in group_trial; {@link #find} puts them back).
     */
    public Optional<StoredSummary> lock(String groupKey) {
        return Jdbc.query(ds, "SELECT group_key, version, content::text, latest_change::text, updated_at FROM group_summary "
                + "WHERE group_key = ? FOR UPDATE", ps -> ps.setString(1, groupKey), SummaryStore::map).stream().findFirst();
    }

    /**
     * The summary as readers see it: its stored part with the member trials and their flags put back
     * ({@code summary_content}, V2 migration). Reads the whole group: for readers and full recomputations only.
     */
    public Optional<StoredSummary> find(String groupKey) {
        return Jdbc.query(ds, "SELECT group_key, version, summary_content(content, group_key)::text, latest_change::text, "
                + "updated_at FROM group_summary WHERE group_key = ?", ps -> ps.setString(1, groupKey), SummaryStore::map)
                .stream().findFirst();
    }

    /** One member trial's line of a group summary, or empty when the trial is not in the group's stored summary. */
    public Optional<TrialRef> trialRef(String groupKey, String nctId) {
        return Jdbc.query(ds, "SELECT nct_id, status, results_posted, why_stopped, why FROM group_trial "
                        + "WHERE group_key = ? AND nct_id = ?", ps -> {
                    ps.setString(1, groupKey);
                    ps.setString(2, nctId);
                }, SummaryStore::trialRef).stream().findFirst();
    }

    /** The member trials of a group whose status is one of {@code statuses}, by NCT id (a partial index). */
    public List<TrialRef> trialRefsWithStatus(String groupKey, List<String> statuses) {
        return Jdbc.query(ds, "SELECT nct_id, status, results_posted, why_stopped, why FROM group_trial "
                        + "WHERE group_key = ? AND status = ANY (?) ORDER BY nct_id COLLATE \"C\"", ps -> {
                    ps.setString(1, groupKey);
                    ps.setArray(2, Jdbc.textArray(ps, statuses));
                }, SummaryStore::trialRef);
    }

    /** How many members of a group have no posted results, and their NCT ids (by NCT id) when they are few. */
    public record WithoutResults(int count, List<String> nctIdsWhenFew) {
    }

    /**
     * The members of a group without posted results (a partial index): their NCT ids when there are at most
     * {@code listUpTo}, else only how many (null ids), so a large group is counted, never read.
     */
    public WithoutResults membersWithoutResults(String groupKey, int listUpTo) {
        List<String> ids = Jdbc.query(ds, "SELECT nct_id FROM group_trial WHERE group_key = ? AND NOT results_posted "
                + "ORDER BY nct_id COLLATE \"C\" LIMIT ?", ps -> {
                    ps.setString(1, groupKey);
                    ps.setInt(2, listUpTo + 1);
                }, rs -> rs.getString(1));
        if (ids.size() <= listUpTo) {
            return new WithoutResults(ids.size(), ids);
        }
        int count = Jdbc.query(ds, "SELECT count(*) FROM group_trial WHERE group_key = ? AND NOT results_posted",
                ps -> ps.setString(1, groupKey), rs -> rs.getInt(1)).get(0);
        return new WithoutResults(count, null);
    }

    /** Writes (inserts or replaces) member trials' lines of a group summary. */
    public void putTrialRefs(String groupKey, List<TrialRef> refs) {
        if (refs.isEmpty()) {
            return;
        }
        writes.changed();
        String sql = """
                INSERT INTO group_trial (group_key, nct_id, status, results_posted, why_stopped, why) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (group_key, nct_id) DO UPDATE SET status = EXCLUDED.status,
                    results_posted = EXCLUDED.results_posted, why_stopped = EXCLUDED.why_stopped, why = EXCLUDED.why
                """;
        try (java.sql.Connection c = ds.getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            for (TrialRef r : refs) {
                ps.setString(1, groupKey);
                ps.setString(2, r.nctId());
                ps.setString(3, r.status());
                ps.setBoolean(4, r.resultsPosted());
                ps.setString(5, r.whyStopped());
                ps.setString(6, r.why());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (java.sql.SQLException e) {
            throw new Jdbc.StoreException(sql, e);
        }
    }

    /** Removes member trials' lines of a group summary. */
    public void removeTrialRefs(String groupKey, List<String> nctIds) {
        if (nctIds.isEmpty()) {
            return;
        }
        writes.changed();
        Jdbc.update(ds, "DELETE FROM group_trial WHERE group_key = ? AND nct_id = ANY (?)", ps -> {
            ps.setString(1, groupKey);
            ps.setArray(2, Jdbc.textArray(ps, nctIds));
        });
    }

    /**
     * The summaries among {@code groupKeys}, by key, locked until the transaction ends in key order (so two
     * transactions cannot deadlock): {@link #lock} for a transaction's worth of groups in one statement.
     */
    public Map<String, StoredSummary> lockAll(Collection<String> groupKeys) {
        Map<String, StoredSummary> out = new HashMap<>();
        if (groupKeys.isEmpty()) {
            return out;
        }
        Jdbc.query(ds, "SELECT group_key, version, content::text, latest_change::text, updated_at FROM group_summary "
                        + "WHERE group_key = ANY (?) ORDER BY group_key FOR UPDATE",
                ps -> ps.setArray(1, Jdbc.textArray(ps, List.copyOf(new TreeSet<>(groupKeys)))), SummaryStore::map)
                .forEach(s -> out.put(s.groupKey(), s));
        return out;
    }

    /** The lines of {@code nctIds} in the summaries of {@code groupKeys}: group key to NCT id to line, in one statement. */
    public Map<String, Map<String, TrialRef>> trialRefs(Collection<String> groupKeys, Collection<String> nctIds) {
        Map<String, Map<String, TrialRef>> out = new HashMap<>();
        if (groupKeys.isEmpty() || nctIds.isEmpty()) {
            return out;
        }
        Jdbc.query(ds, "SELECT group_key, nct_id, status, results_posted, why_stopped, why FROM group_trial "
                        + "WHERE group_key = ANY (?) AND nct_id = ANY (?)", ps -> {
                    ps.setArray(1, Jdbc.textArray(ps, List.copyOf(groupKeys)));
                    ps.setArray(2, Jdbc.textArray(ps, List.copyOf(nctIds)));
                }, rs -> new Line(rs.getString(1), new TrialRef(rs.getString(2), rs.getString(3), rs.getBoolean(4),
                        rs.getString(5), rs.getString(6))))
                .forEach(l -> out.computeIfAbsent(l.groupKey(), k -> new HashMap<>()).put(l.ref().nctId(), l.ref()));
        return out;
    }

    /** {@link #trialRefsWithStatus} for several groups in one statement: group key to its lines, by NCT id. */
    public Map<String, List<TrialRef>> trialRefsWithStatus(Collection<String> groupKeys, List<String> statuses) {
        Map<String, List<TrialRef>> out = new HashMap<>();
        if (groupKeys.isEmpty()) {
            return out;
        }
        Jdbc.query(ds, "SELECT group_key, nct_id, status, results_posted, why_stopped, why FROM group_trial "
                        + "WHERE group_key = ANY (?) AND status = ANY (?) ORDER BY group_key, nct_id COLLATE \"C\"", ps -> {
                    ps.setArray(1, Jdbc.textArray(ps, List.copyOf(groupKeys)));
                    ps.setArray(2, Jdbc.textArray(ps, statuses));
                }, rs -> new Line(rs.getString(1), new TrialRef(rs.getString(2), rs.getString(3), rs.getBoolean(4),
                        rs.getString(5), rs.getString(6))))
                .forEach(l -> out.computeIfAbsent(l.groupKey(), k -> new ArrayList<>()).add(l.ref()));
        return out;
    }

    /** A member trial's line in one group's summary. */
    public record Line(String groupKey, TrialRef ref) {
    }

    /** Writes (inserts or replaces) member trials' lines of several groups: one JDBC batch. */
    public void putTrialRefs(List<Line> lines) {
        if (lines.isEmpty()) {
            return;
        }
        writes.changed(); // rendered list pages show the lines' statuses
        String sql = """
                INSERT INTO group_trial (group_key, nct_id, status, results_posted, why_stopped, why) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (group_key, nct_id) DO UPDATE SET status = EXCLUDED.status,
                    results_posted = EXCLUDED.results_posted, why_stopped = EXCLUDED.why_stopped, why = EXCLUDED.why
                """;
        Jdbc.batch(ds, sql, lines, (ps, l) -> {
            ps.setString(1, l.groupKey());
            ps.setString(2, l.ref().nctId());
            ps.setString(3, l.ref().status());
            ps.setBoolean(4, l.ref().resultsPosted());
            ps.setString(5, l.ref().whyStopped());
            ps.setString(6, l.ref().why());
        });
    }

    /** A version of a group's summary, as {@link #write} takes it. */
    public record Version(GroupKey key, long version, String contentJson, String latestChangeJson, String changesJson,
                          String causeType, String causeEventId, String causeNctId, Instant at) {
    }

    /**
     * {@link #write} for many versions, one JDBC batch per table: every version goes to the history, in order; each
     * group's summary takes the last of its versions. Versions of one group come in increasing order.
     */
    public void writeAll(List<Version> versions) {
        if (versions.isEmpty()) {
            return;
        }
        writes.changed(); // a rendered list page must not outlive the summary it shows (ADR 0009)
        Map<String, Version> last = new LinkedHashMap<>();
        versions.forEach(v -> last.put(v.key().text(), v));
        Jdbc.batch(ds, """
                INSERT INTO group_summary (group_key, tumour_type, line, therapy_class, target, version, content, latest_change, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)
                ON CONFLICT (group_key) DO UPDATE SET version = EXCLUDED.version, content = EXCLUDED.content,
                    latest_change = EXCLUDED.latest_change, updated_at = EXCLUDED.updated_at
                """, List.copyOf(last.values()), (ps, v) -> {
            ps.setString(1, v.key().text());
            ps.setString(2, v.key().tumourType());
            ps.setString(3, v.key().line());
            ps.setString(4, v.key().therapyClass());
            ps.setString(5, v.key().target());
            ps.setLong(6, v.version());
            ps.setString(7, v.contentJson());
            ps.setString(8, v.latestChangeJson());
            ps.setTimestamp(9, Jdbc.ts(v.at()));
        });
        Jdbc.batch(ds, """
                INSERT INTO summary_history (group_key, version, changes, cause_type, cause_event_id, cause_nct_id, occurred_at, content)
                VALUES (?, ?, ?::jsonb, ?, ?, ?, ?, ?::jsonb)
                """, versions, (ps, v) -> {
            ps.setString(1, v.key().text());
            ps.setLong(2, v.version());
            ps.setString(3, v.changesJson());
            ps.setString(4, v.causeType());
            ps.setString(5, v.causeEventId());
            ps.setString(6, v.causeNctId());
            ps.setTimestamp(7, Jdbc.ts(v.at()));
            ps.setString(8, v.contentJson());
        });
    }

    /**
     * Writes version {@code version} of a group's summary and appends it to the history. {@code contentJson} is the
     * stored part (see {@link #lock}); the member trials' lines are written with {@link #putTrialRefs}.
     */
    public void write(GroupKey key, long version, String contentJson, String latestChangeJson, String changesJson,
                      String causeType, String causeEventId, String causeNctId, Instant at) {
        writes.changed();
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

    /**
     * Summaries after {@code afterKey} in key order (keyset pagination), at most {@code limit}, as a list shows them:
     * their content with member counts in place of member lists ({@code summary_list_content()}, V8).
     */
    public List<StoredSummary> list(Filter f, String afterKey, int limit) {
        StringBuilder sql = new StringBuilder("SELECT group_key, version, summary_list_content(content, group_key)::text, "
                + "latest_change::text, updated_at "
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

    private static TrialRef trialRef(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new TrialRef(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4), rs.getString(5));
    }

    private static StoredSummary map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new StoredSummary(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                Jdbc.instant(rs.getTimestamp(5)));
    }
}
