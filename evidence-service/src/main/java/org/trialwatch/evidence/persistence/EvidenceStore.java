package org.trialwatch.evidence.persistence;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.trialwatch.evidence.domain.catalog.EvidenceRow;
import org.trialwatch.evidence.domain.catalog.SourceKind;
import org.trialwatch.evidence.domain.grouping.GroupClassifier;
import org.trialwatch.evidence.domain.grouping.Membership;
import org.trialwatch.support.persistence.Jdbc;

/** Seeded evidence rows and the group memberships of rows and trials. */
@ApplicationScoped
public class EvidenceStore {

    /** A filter for {@link #find}; null fields do not filter. */
    public record Filter(SourceKind kind, Integer table, String tumourType, String nctId, Integer ref, String groupKey,
                         String category) {
    }

    public record MemberRef(String groupKey, String memberId, String why) {
    }

    private final DataSource ds;
    private final ReviewEvidenceParser parser = new ReviewEvidenceParser();

    public EvidenceStore(DataSource ds) {
        this.ds = ds;
    }

    /**
     * Inserts rows not seeded yet and rewrites rows whose seed object changed; rows already seeded as they are stay
     * untouched. Returns how many rows were written.
     */
    public int upsert(List<EvidenceRow> rows, Instant now) {
        String sql = """
                INSERT INTO evidence_row (id, kind, table_no, row_no, text_figure_id, refs, authors, year, tumour_types,
                                          category, nct_ids, ordinal, source_json, source_hash, seeded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::json, ?, ?)
                ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, table_no = EXCLUDED.table_no, row_no = EXCLUDED.row_no,
                    text_figure_id = EXCLUDED.text_figure_id, refs = EXCLUDED.refs, authors = EXCLUDED.authors,
                    year = EXCLUDED.year, tumour_types = EXCLUDED.tumour_types, category = EXCLUDED.category,
                    nct_ids = EXCLUDED.nct_ids, ordinal = EXCLUDED.ordinal, source_json = EXCLUDED.source_json,
                    source_hash = EXCLUDED.source_hash, seeded_at = EXCLUDED.seeded_at
                WHERE evidence_row.source_hash <> EXCLUDED.source_hash
                """;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (EvidenceRow r : rows) {
                String json = r.sourceJson();
                ps.setString(1, r.id());
                ps.setString(2, r.kind().name());
                setInt(ps, 3, r.table());
                setInt(ps, 4, r.row());
                ps.setString(5, r.textFigureId());
                ps.setArray(6, Jdbc.intArray(ps, r.refs()));
                ps.setString(7, r.authors());
                setInt(ps, 8, r.year());
                ps.setArray(9, Jdbc.textArray(ps, tumourTypes(r)));
                ps.setString(10, r.cell("category").text());
                ps.setArray(11, Jdbc.textArray(ps, r.nctIds()));
                ps.setInt(12, r.ordinal());
                ps.setString(13, json);
                ps.setString(14, sha256(json));
                ps.setTimestamp(15, Jdbc.ts(now));
                ps.addBatch();
            }
            int written = 0;
            for (int n : ps.executeBatch()) {
                written += Math.max(n, 0);
            }
            return written;
        } catch (SQLException e) {
            throw new Jdbc.StoreException(sql, e);
        }
    }

    /** Replaces the memberships of all rows (the seed is the whole truth about rows). */
    public void replaceRowMemberships(Map<String, List<Membership>> byRow) {
        Jdbc.update(ds, "DELETE FROM group_member WHERE member_kind = 'ROW'", ps -> { });
        insertMemberships("ROW", byRow);
    }

    public void replaceTrialMemberships(String nctId, List<Membership> memberships) {
        Jdbc.update(ds, "DELETE FROM group_member WHERE member_kind = 'TRIAL' AND member_id = ?", ps -> ps.setString(1, nctId));
        insertMemberships("TRIAL", Map.of(nctId, memberships));
    }

    private void insertMemberships(String kind, Map<String, List<Membership>> byMember) {
        String sql = "INSERT INTO group_member (group_key, member_kind, member_id, why) VALUES (?, ?, ?, ?)";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (Map.Entry<String, List<Membership>> e : byMember.entrySet()) {
                for (Membership m : e.getValue()) {
                    ps.setString(1, m.key().text());
                    ps.setString(2, kind);
                    ps.setString(3, e.getKey());
                    ps.setString(4, m.whyText());
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new Jdbc.StoreException(sql, e);
        }
    }

    /** The groups a row or trial is in. */
    public List<MemberRef> groupsOf(String memberKind, String memberId) {
        return Jdbc.query(ds, "SELECT group_key, member_id, why FROM group_member WHERE member_kind = ? AND member_id = ? ORDER BY group_key",
                ps -> {
                    ps.setString(1, memberKind);
                    ps.setString(2, memberId);
                }, rs -> new MemberRef(rs.getString(1), rs.getString(2), rs.getString(3)));
    }

    /** The groups of many trials at once, keyed by NCT id (each list in group-key order, as {@link #groupsOf}). */
    public Map<String, List<MemberRef>> groupsOfTrials(Collection<String> nctIds) {
        Map<String, List<MemberRef>> out = new java.util.HashMap<>();
        if (nctIds.isEmpty()) {
            return out;
        }
        Jdbc.query(ds, "SELECT group_key, member_id, why FROM group_member WHERE member_kind = 'TRIAL' AND member_id = ANY (?) ORDER BY group_key",
                ps -> ps.setArray(1, Jdbc.textArray(ps, List.copyOf(nctIds))),
                rs -> new MemberRef(rs.getString(1), rs.getString(2), rs.getString(3)))
                .forEach(m -> out.computeIfAbsent(m.memberId(), k -> new ArrayList<>()).add(m));
        return out;
    }

    /** The groups of many rows at once (for listings), keyed by row id. */
    public Map<String, List<MemberRef>> groupsOfRows(List<String> rowIds) {
        Map<String, List<MemberRef>> out = new java.util.HashMap<>();
        if (rowIds.isEmpty()) {
            return out;
        }
        Jdbc.query(ds, "SELECT group_key, member_id, why FROM group_member WHERE member_kind = 'ROW' AND member_id = ANY (?) ORDER BY group_key",
                ps -> ps.setArray(1, Jdbc.textArray(ps, rowIds)),
                rs -> new MemberRef(rs.getString(1), rs.getString(2), rs.getString(3)))
                .forEach(m -> out.computeIfAbsent(m.memberId(), k -> new ArrayList<>()).add(m));
        return out;
    }

    /** The members of one kind in a group, by the primary-key index. */
    public List<MemberRef> membersOf(String groupKey, String memberKind) {
        return Jdbc.query(ds, "SELECT group_key, member_id, why FROM group_member WHERE group_key = ? AND member_kind = ? ORDER BY member_id",
                ps -> {
                    ps.setString(1, groupKey);
                    ps.setString(2, memberKind);
                }, rs -> new MemberRef(rs.getString(1), rs.getString(2), rs.getString(3)));
    }

    /** Seeded rows matching the filter, in the review's order, rebuilt from their verbatim seed objects. */
    public List<EvidenceRow> find(Filter f) {
        StringBuilder sql = new StringBuilder("SELECT e.kind, e.table_no, e.ordinal, e.source_json::text FROM evidence_row e WHERE true");
        List<Object> args = new ArrayList<>();
        if (f.kind() != null) {
            sql.append(" AND e.kind = ?");
            args.add(f.kind().name());
        }
        if (f.table() != null) {
            sql.append(" AND e.table_no = ?");
            args.add(f.table());
        }
        if (f.tumourType() != null) {
            sql.append(" AND e.tumour_types @> ARRAY[?]::text[]");
            args.add(f.tumourType());
        }
        if (f.nctId() != null) {
            sql.append(" AND e.nct_ids @> ARRAY[?]::text[]");
            args.add(f.nctId());
        }
        if (f.ref() != null) {
            sql.append(" AND e.refs @> ARRAY[?]::integer[]");
            args.add(f.ref());
        }
        if (f.category() != null) {
            sql.append(" AND e.category = ?");
            args.add(f.category());
        }
        if (f.groupKey() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM group_member g WHERE g.group_key = ? AND g.member_kind = 'ROW' AND g.member_id = e.id)");
            args.add(f.groupKey());
        }
        sql.append(" ORDER BY e.ordinal");
        return Jdbc.query(ds, sql.toString(), ps -> {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
        }, rs -> {
            int table = rs.getInt(2);
            Integer tableNo = rs.wasNull() ? null : table;
            return parser.row(SourceKind.valueOf(rs.getString(1)), tableNo, parser.readTree(rs.getString(4)), rs.getInt(3));
        });
    }

    public long count() {
        return Jdbc.query(ds, "SELECT count(*) FROM evidence_row", ps -> { }, rs -> rs.getLong(1)).get(0);
    }

    private static List<String> tumourTypes(EvidenceRow r) {
        if (r.isTable() && r.table() == 1) {
            return List.of("BTC");
        }
        if (r.isTable() && r.table() == 2) {
            return List.of("PC");
        }
        return GroupClassifier.tumourTypesIn(r.cell("tumour_type").text());
    }

    private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
