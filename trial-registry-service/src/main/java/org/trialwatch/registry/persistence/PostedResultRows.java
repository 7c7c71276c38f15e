package org.trialwatch.registry.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.trialwatch.events.PostedResult;
import org.trialwatch.support.persistence.Jdbc;

/** The {@code posted_result} table in plain SQL; connections join the caller's JTA transaction. */
@ApplicationScoped
public class PostedResultRows {

    private static final String INSERT = """
            INSERT INTO posted_result (nct_id, endpoint, arm, value, unit, ci_lower, ci_upper, n, arm_role, responders,
                                       source, posted_by, posted_at, event_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
            """;

    private final DataSource ds;

    public PostedResultRows(DataSource ds) {
        this.ds = ds;
    }

    /** Stores the row; it comes back with its id. */
    @Transactional(Transactional.TxType.MANDATORY)
    public PostedResultRecord insert(PostedResultRecord r) {
        r.id = Jdbc.query(ds, INSERT, ps -> {
            ps.setString(1, r.nctId);
            ps.setString(2, r.endpoint.name());
            ps.setString(3, r.arm);
            ps.setBigDecimal(4, r.value);
            ps.setString(5, r.unit);
            ps.setBigDecimal(6, r.ciLower);
            ps.setBigDecimal(7, r.ciUpper);
            ps.setObject(8, r.n, Types.INTEGER);
            ps.setString(9, r.armRole == null ? null : r.armRole.name());
            ps.setObject(10, r.responders, Types.INTEGER);
            ps.setString(11, r.source);
            ps.setString(12, r.postedBy);
            ps.setObject(13, TrialRows.timestamp(r.postedAt));
            ps.setObject(14, r.eventId);
        }, rs -> rs.getLong(1)).get(0);
        return r;
    }

    /** Up to {@code limit} results of the trial with ids above {@code afterId}, oldest first. */
    public List<PostedResultRecord> page(String nctId, long afterId, int limit) {
        return Jdbc.query(ds, """
                SELECT id, nct_id, endpoint, arm, value, unit, ci_lower, ci_upper, n, arm_role, responders, source,
                       posted_by, posted_at, event_id
                  FROM posted_result WHERE nct_id = ? AND id > ? ORDER BY id LIMIT ?
                """, ps -> {
            ps.setString(1, nctId);
            ps.setLong(2, afterId);
            ps.setInt(3, limit);
        }, PostedResultRows::read);
    }

    /** The source of every result posted for the trial. */
    public List<String> sources(String nctId) {
        return Jdbc.query(ds, "SELECT source FROM posted_result WHERE nct_id = ?", ps -> ps.setString(1, nctId),
                rs -> rs.getString(1));
    }

    private static PostedResultRecord read(ResultSet rs) throws SQLException {
        PostedResultRecord r = new PostedResultRecord();
        r.id = rs.getLong("id");
        r.nctId = rs.getString("nct_id");
        r.endpoint = PostedResult.Endpoint.valueOf(rs.getString("endpoint"));
        r.arm = rs.getString("arm");
        r.value = rs.getBigDecimal("value");
        r.unit = rs.getString("unit");
        r.ciLower = rs.getBigDecimal("ci_lower");
        r.ciUpper = rs.getBigDecimal("ci_upper");
        r.n = rs.getObject("n", Integer.class);
        String role = rs.getString("arm_role");
        r.armRole = role == null ? null : PostedResult.ArmRole.valueOf(role);
        r.responders = rs.getObject("responders", Integer.class);
        r.source = rs.getString("source");
        r.postedBy = rs.getString("posted_by");
        r.postedAt = TrialRows.instant(rs, "posted_at");
        r.eventId = rs.getObject("event_id", UUID.class);
        return r;
    }
}
