package org.trialwatch.notification.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/** The local projection of trial facts (nctId → tumour types, mechanism, therapy class). */
@ApplicationScoped
public class TrialFactStore {

    private final DataSource dataSource;

    public TrialFactStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public TrialFact find(String nctId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select tumour_types, mechanism, therapy_class, sequence from trial_fact where nct_id = ?")) {
            ps.setString(1, nctId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return TrialFact.unknown(nctId);
                }
                List<String> tumours = Arrays.asList((String[]) rs.getArray(1).getArray());
                return new TrialFact(nctId, tumours, rs.getString(2), rs.getString(3), rs.getLong(4));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read trial facts", e);
        }
    }

    /**
     * The facts of every trial in {@code nctIds}, read in one query; a trial not known yet maps to
     * {@link TrialFact#unknown}.
     */
    public Map<String, TrialFact> findAll(Collection<String> nctIds) {
        Map<String, TrialFact> found = new HashMap<>();
        if (nctIds.isEmpty()) {
            return found;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select nct_id, tumour_types, mechanism, therapy_class, sequence "
                     + "from trial_fact where nct_id = any(?)")) {
            ps.setArray(1, c.createArrayOf("text", nctIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> tumours = Arrays.asList((String[]) rs.getArray(2).getArray());
                    found.put(rs.getString(1), new TrialFact(rs.getString(1), tumours, rs.getString(3),
                            rs.getString(4), rs.getLong(5)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read trial facts", e);
        }
        for (String nctId : nctIds) {
            found.putIfAbsent(nctId, TrialFact.unknown(nctId));
        }
        return found;
    }

    /** Stores the facts unless a later event of the trial was applied already (events of a trial may be redelivered). */
    public void save(TrialFact fact, Instant now) {
        saveAll(List.of(fact), now);
    }

    /** {@link #save} for each of {@code facts}, in order, as one JDBC batch. */
    public void saveAll(List<TrialFact> facts, Instant now) {
        if (facts.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     insert into trial_fact (nct_id, tumour_types, mechanism, therapy_class, sequence, updated_at)
                     values (?, ?, ?, ?, ?, ?)
                     on conflict (nct_id) do update set tumour_types = excluded.tumour_types,
                         mechanism = excluded.mechanism, therapy_class = excluded.therapy_class,
                         sequence = excluded.sequence, updated_at = excluded.updated_at
                     where trial_fact.sequence <= excluded.sequence
                     """)) {
            for (TrialFact fact : facts) {
                ps.setString(1, fact.nctId());
                ps.setArray(2, c.createArrayOf("text", fact.tumourTypes().toArray()));
                ps.setString(3, fact.mechanism());
                ps.setString(4, fact.therapyClass());
                ps.setLong(5, fact.sequence());
                ps.setTimestamp(6, Timestamp.from(now));
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store trial facts", e);
        }
    }
}
