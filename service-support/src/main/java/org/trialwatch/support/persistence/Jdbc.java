package org.trialwatch.support.persistence;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * The little JDBC the repositories share. Connections come from the JTA-aware pool, so every statement issued inside a
 * {@code @Transactional} method joins that transaction.
 */
public final class Jdbc {

    private Jdbc() {
    }

    public interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    public static int update(DataSource ds, String sql, Binder binder) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException(sql, e);
        }
    }

    public static <T> List<T> query(DataSource ds, String sql, Binder binder, RowMapper<T> mapper) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new StoreException(sql, e);
        }
    }

    public interface RowBinder<T> {
        void bind(PreparedStatement ps, T row) throws SQLException;
    }

    /**
     * Executes {@code sql} once per row as one JDBC batch: one round trip, and with the driver's
     * {@code reWriteBatchedInserts} (application.properties) an INSERT's rows go in a few multi-row statements.
     */
    public static <T> void batch(DataSource ds, String sql, List<T> rows, RowBinder<T> binder) {
        if (rows.isEmpty()) {
            return;
        }
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (T row : rows) {
                binder.bind(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new StoreException(sql, e);
        }
    }

    /**
     * Waits for the PostgreSQL advisory lock {@code key}, held until the current transaction ends: instances doing
     * the same one-off work (a seed, starting a run) serialise on it.
     */
    public static void lockForTransaction(DataSource ds, long key) {
        query(ds, "SELECT pg_advisory_xact_lock(?)", ps -> ps.setLong(1, key), rs -> Boolean.TRUE);
    }

    public static Array textArray(PreparedStatement ps, List<String> values) throws SQLException {
        return ps.getConnection().createArrayOf("text", values.toArray());
    }

    public static Array intArray(PreparedStatement ps, List<Integer> values) throws SQLException {
        return ps.getConnection().createArrayOf("integer", values.toArray());
    }

    public static List<String> strings(Array array) throws SQLException {
        if (array == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Object o : (Object[]) array.getArray()) {
            out.add((String) o);
        }
        return out;
    }

    public static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    public static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }

    public static final class StoreException extends RuntimeException {
        public StoreException(String sql, SQLException cause) {
            super("database statement failed (" + cause.getSQLState() + "): " + firstLine(sql), cause);
        }

        private static String firstLine(String sql) {
            String s = sql.strip();
            int nl = s.indexOf('\n');
            return nl < 0 ? s : s.substring(0, nl);
        }
    }
}
