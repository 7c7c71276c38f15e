package org.trialwatch.evidence.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.trialwatch.evidence.domain.summary.GroupInputs;
import org.trialwatch.evidence.domain.summary.PostedReadout;
import org.trialwatch.evidence.domain.trial.TrialState;
import org.trialwatch.support.persistence.Jdbc;

/** Tracked trials and their posted results. */
@ApplicationScoped
public class TrialStore {

    private static final String COLUMNS = "nct_id, tumour_types, setting, regimen, mechanism, therapy_class, overall_status, "
            + "why_stopped, snapshot::text, last_sequence, updated_at";

    private final DataSource ds;

    public TrialStore(DataSource ds) {
        this.ds = ds;
    }

    /**
     * The trials that exist among {@code nctIds}, by id, locked for the rest of the transaction in id order (so two
     * transactions cannot deadlock), so concurrent events of one trial apply one after another: one statement for a
     * transaction's worth of events.
     */
    public Map<String, TrialState> lockAll(Collection<String> nctIds) {
        Map<String, TrialState> out = new HashMap<>();
        if (nctIds.isEmpty()) {
            return out;
        }
        Jdbc.query(ds, "SELECT " + COLUMNS + " FROM tracked_trial WHERE nct_id = ANY (?) ORDER BY nct_id FOR UPDATE",
                ps -> ps.setArray(1, Jdbc.textArray(ps, List.copyOf(new java.util.TreeSet<>(nctIds)))), TrialStore::map)
                .forEach(t -> out.put(t.nctId(), t));
        return out;
    }

    public Optional<TrialState> find(String nctId) {
        return Jdbc.query(ds, "SELECT " + COLUMNS + " FROM tracked_trial WHERE nct_id = ?",
                ps -> ps.setString(1, nctId), TrialStore::map).stream().findFirst();
    }

    public void save(TrialState t) {
        Jdbc.update(ds, SAVE, ps -> bindSave(ps, t));
    }

    /** {@link #save} for many trials (each at most once), one JDBC batch. */
    public void saveAll(Collection<TrialState> states) {
        Jdbc.batch(ds, SAVE, List.copyOf(states), TrialStore::bindSave);
    }

    private static final String SAVE = """
            INSERT INTO tracked_trial (nct_id, tumour_types, setting, regimen, mechanism, therapy_class, overall_status,
                                       why_stopped, snapshot, last_sequence, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
            ON CONFLICT (nct_id) DO UPDATE SET tumour_types = EXCLUDED.tumour_types, setting = EXCLUDED.setting,
                regimen = EXCLUDED.regimen, mechanism = EXCLUDED.mechanism, therapy_class = EXCLUDED.therapy_class,
                overall_status = EXCLUDED.overall_status, why_stopped = EXCLUDED.why_stopped,
                snapshot = EXCLUDED.snapshot, last_sequence = EXCLUDED.last_sequence, updated_at = EXCLUDED.updated_at
            """;

    private static void bindSave(java.sql.PreparedStatement ps, TrialState t) throws SQLException {
        ps.setString(1, t.nctId());
        ps.setArray(2, t.tumourTypes() == null ? null : Jdbc.textArray(ps, t.tumourTypes()));
        ps.setString(3, t.setting());
        ps.setString(4, t.regimen());
        ps.setString(5, t.mechanism());
        ps.setString(6, t.therapyClass());
        ps.setString(7, t.status());
        ps.setString(8, t.whyStopped());
        ps.setString(9, t.snapshotJson());
        ps.setLong(10, t.lastSequence());
        ps.setTimestamp(11, Jdbc.ts(t.updatedAt()));
    }

    public void addResults(List<PostedReadout> results) {
        for (PostedReadout r : results) {
            Jdbc.update(ds, """
                    INSERT INTO posted_result (nct_id, event_id, endpoint, arm, value, unit, ci_lower, ci_upper, n, source, posted_at,
                                               arm_role, responders)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, ps -> {
                ps.setString(1, r.nctId());
                ps.setString(2, r.eventId());
                ps.setString(3, r.endpoint());
                ps.setString(4, r.arm());
                ps.setBigDecimal(5, r.value());
                ps.setString(6, r.unit());
                ps.setBigDecimal(7, r.ciLower());
                ps.setBigDecimal(8, r.ciUpper());
                ps.setObject(9, r.n());
                ps.setString(10, r.source());
                ps.setTimestamp(11, Jdbc.ts(r.postedAt()));
                ps.setString(12, r.armRole());
                ps.setObject(13, r.responders());
            });
        }
    }

    /** The tracked trials of a group with their results: two indexed queries, whatever the group's size. */
    public List<GroupInputs.TrialMember> membersOf(String groupKey) {
        record Row(TrialState trial, String why) {
        }
        List<Row> rows = Jdbc.query(ds, "SELECT " + prefixed() + ", g.why FROM group_member g JOIN tracked_trial t "
                        + "ON t.nct_id = g.member_id WHERE g.group_key = ? AND g.member_kind = 'TRIAL' ORDER BY t.nct_id",
                ps -> ps.setString(1, groupKey), rs -> new Row(map(rs), rs.getString(12)));
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> ids = rows.stream().map(r -> r.trial().nctId()).toList();
        Map<String, List<PostedReadout>> results = resultsOf(ids);
        List<GroupInputs.TrialMember> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(new GroupInputs.TrialMember(r.trial().nctId(), r.trial().status(), r.trial().whyStopped(),
                    results.getOrDefault(r.trial().nctId(), List.of()), r.why()));
        }
        return out;
    }

    public Map<String, List<PostedReadout>> resultsOf(List<String> nctIds) {
        Map<String, List<PostedReadout>> out = new HashMap<>();
        Jdbc.query(ds, "SELECT nct_id, event_id, endpoint, arm, value, unit, ci_lower, ci_upper, n, source, posted_at, "
                        + "arm_role, responders FROM posted_result WHERE nct_id = ANY (?) ORDER BY posted_at, id",
                ps -> ps.setArray(1, Jdbc.textArray(ps, nctIds)),
                rs -> new PostedReadout(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getBigDecimal(5), rs.getString(6), rs.getBigDecimal(7), rs.getBigDecimal(8),
                        (Integer) rs.getObject(9), rs.getString(10), Jdbc.instant(rs.getTimestamp(11)),
                        rs.getString(12), (Integer) rs.getObject(13)))
                .forEach(p -> out.computeIfAbsent(p.nctId(), k -> new ArrayList<>()).add(p));
        return out;
    }

    private static String prefixed() {
        return "t.nct_id, t.tumour_types, t.setting, t.regimen, t.mechanism, t.therapy_class, t.overall_status, "
                + "t.why_stopped, t.snapshot::text, t.last_sequence, t.updated_at";
    }

    private static TrialState map(ResultSet rs) throws SQLException {
        return new TrialState(rs.getString(1), Jdbc.strings(rs.getArray(2)), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getLong(10),
                Jdbc.instant(rs.getTimestamp(11)));
    }
}
