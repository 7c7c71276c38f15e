package org.trialwatch.notification.intake;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

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

    /** Stores the facts unless a later event of the trial was applied already (events of a trial may be redelivered). */
    public void save(TrialFact fact, Instant now) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     insert into trial_fact (nct_id, tumour_types, mechanism, therapy_class, sequence, updated_at)
                     values (?, ?, ?, ?, ?, ?)
                     on conflict (nct_id) do update set tumour_types = excluded.tumour_types,
                         mechanism = excluded.mechanism, therapy_class = excluded.therapy_class,
                         sequence = excluded.sequence, updated_at = excluded.updated_at
                     where trial_fact.sequence <= excluded.sequence
                     """)) {
            ps.setString(1, fact.nctId());
            ps.setArray(2, c.createArrayOf("text", fact.tumourTypes().toArray()));
            ps.setString(3, fact.mechanism());
            ps.setString(4, fact.therapyClass());
            ps.setLong(5, fact.sequence());
            ps.setTimestamp(6, Timestamp.from(now));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store trial facts", e);
        }
    }
}
