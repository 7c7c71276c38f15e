package org.trialwatch.registry.persistence;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.trialwatch.events.TrialStatus;
import org.trialwatch.support.persistence.Jdbc;

/**
 * The {@code trial} table in plain SQL. The registry used Hibernate ORM for registrations, field changes and reads;
 * a trial is one row with six JSON columns and no relations, and the ORM cost a quarter of the service's classes,
 * its RSS and start time (docs/performance.md, session 13). Connections join the caller's JTA transaction.
 */
@ApplicationScoped
public class TrialRows {

    /** Every column a write sets, in the order {@link #bindWritten} binds them (not the key, version or creation). */
    private static final List<String> WRITTEN = List.of("brief_title", "official_title", "acronym", "conditions",
            "tumour_types", "setting", "regimen", "interventions", "mechanism", "therapy_class", "phases", "sponsor",
            "enrollment_count", "enrollment_type", "start_date", "start_date_type", "primary_completion_date",
            "primary_completion_date_type", "completion_date", "completion_date_type", "overall_status",
            "why_stopped", "last_known_status", "has_results", "last_update_posted", "review_provenance",
            "fact_sources", "unverified_readings", "event_sequence", "updated_at");
    private static final Set<String> JSON_COLUMNS = Set.of("conditions", "tumour_types", "interventions", "phases",
            "review_provenance", "fact_sources", "unverified_readings");

    /** The columns a read selects (not the generated search document), for queries built elsewhere. */
    public static final String COLUMNS = "nct_id, " + String.join(", ", WRITTEN) + ", version, created_at";

    private static final String SELECT = "SELECT " + COLUMNS + " FROM trial WHERE nct_id = ?";
    private static final String INSERT = "INSERT INTO trial (nct_id, " + String.join(", ", WRITTEN)
            + ", version, created_at) VALUES (?, " + WRITTEN.stream().map(TrialRows::placeholder)
            .collect(Collectors.joining(", ")) + ", ?, ?) ON CONFLICT (nct_id) DO NOTHING";
    private static final String UPDATE = "UPDATE trial SET " + WRITTEN.stream().map(c -> c + " = " + placeholder(c))
            .collect(Collectors.joining(", ")) + ", version = version + 1 WHERE nct_id = ? AND version = ? RETURNING version";

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final TypeReference<List<Object>> VALUES = new TypeReference<>() {
    };
    /** The JSON columns' own mapper: the REST layer's refuses unknown fields, which stored provenance may carry. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource ds;
    private final TrialWrites writes;

    public TrialRows(DataSource ds, TrialWrites writes) {
        this.ds = ds;
        this.writes = writes;
    }

    public Optional<Trial> find(String nctId) {
        return Jdbc.query(ds, SELECT, ps -> ps.setString(1, nctId), TrialRows::read).stream().findFirst();
    }

    /** The trial with its row locked until the transaction ends: concurrent writers of one trial wait (ADR 0004). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Trial> lock(String nctId) {
        return Jdbc.query(ds, SELECT + " FOR NO KEY UPDATE", ps -> ps.setString(1, nctId), TrialRows::read).stream()
                .findFirst();
    }

    public boolean exists(String nctId) {
        return !Jdbc.query(ds, "SELECT 1 FROM trial WHERE nct_id = ?", ps -> ps.setString(1, nctId), rs -> 1).isEmpty();
    }

    /** Inserts a new trial at its version (1 for a registration); false, and nothing written, when already tracked. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean insert(Trial t) {
        int rows = Jdbc.update(ds, INSERT, ps -> {
            ps.setString(1, t.nctId);
            int next = bindWritten(ps, t, 2);
            ps.setLong(next, t.version);
            ps.setObject(next + 1, timestamp(t.createdAt));
        });
        if (rows == 1) {
            writes.changed();
        }
        return rows == 1;
    }

    /**
     * Writes the trial's row as {@code t} holds it, if the row is still at {@code t.version}, and moves both to the
     * next version. Call with the row locked ({@link #lock}), so the version cannot have moved meanwhile.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void update(Trial t) {
        List<Long> version = Jdbc.query(ds, UPDATE, ps -> {
            int next = bindWritten(ps, t, 1);
            ps.setString(next, t.nctId);
            ps.setLong(next + 1, t.version);
        }, rs -> rs.getLong(1));
        if (version.isEmpty()) {
            throw new IllegalStateException(t.nctId + " is no longer at version " + t.version + " under its lock");
        }
        writes.changed();
        t.version = version.get(0);
    }

    /** Every tracked NCT id, in order. */
    public List<String> ids() {
        return Jdbc.query(ds, "SELECT nct_id FROM trial ORDER BY nct_id", ps -> { }, rs -> rs.getString(1));
    }

    /** Trials selected by {@code SELECT COLUMNS FROM trial} followed by {@code rest}, with {@code params} bound in order. */
    public List<Trial> select(String rest, List<Object> params) {
        return Jdbc.query(ds, "SELECT " + COLUMNS + " FROM trial " + rest, ps -> {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
        }, TrialRows::read);
    }

    private static String placeholder(String column) {
        return JSON_COLUMNS.contains(column) ? "CAST(? AS jsonb)" : "?";
    }

    /** Binds {@link #WRITTEN} from parameter {@code first} on; returns the next parameter's index. */
    private static int bindWritten(PreparedStatement ps, Trial t, int first) throws SQLException {
        int i = first;
        ps.setString(i++, t.briefTitle);
        ps.setString(i++, t.officialTitle);
        ps.setString(i++, t.acronym);
        ps.setString(i++, json(t.conditions));
        ps.setString(i++, json(t.tumourTypes));
        ps.setString(i++, t.setting);
        ps.setString(i++, t.regimen);
        ps.setString(i++, json(t.interventions));
        ps.setString(i++, t.mechanism);
        ps.setString(i++, t.therapyClass);
        ps.setString(i++, json(t.phases));
        ps.setString(i++, t.sponsor);
        ps.setObject(i++, t.enrollmentCount, Types.INTEGER);
        ps.setString(i++, t.enrollmentType);
        ps.setString(i++, t.startDate);
        ps.setString(i++, t.startDateType);
        ps.setString(i++, t.primaryCompletionDate);
        ps.setString(i++, t.primaryCompletionDateType);
        ps.setString(i++, t.completionDate);
        ps.setString(i++, t.completionDateType);
        ps.setString(i++, name(t.overallStatus));
        ps.setString(i++, t.whyStopped);
        ps.setString(i++, name(t.lastKnownStatus));
        ps.setObject(i++, t.hasResults, Types.BOOLEAN);
        ps.setString(i++, t.lastUpdatePosted);
        ps.setString(i++, json(t.reviewProvenance));
        ps.setString(i++, json(t.factSources));
        ps.setString(i++, json(t.unverifiedReadings));
        ps.setLong(i++, t.eventSequence);
        ps.setObject(i++, timestamp(t.updatedAt));
        return i;
    }

    private static Trial read(ResultSet rs) throws SQLException {
        Trial t = new Trial();
        t.nctId = rs.getString("nct_id");
        t.briefTitle = rs.getString("brief_title");
        t.officialTitle = rs.getString("official_title");
        t.acronym = rs.getString("acronym");
        t.conditions = parse(rs.getString("conditions"), STRINGS);
        t.tumourTypes = parse(rs.getString("tumour_types"), STRINGS);
        t.setting = rs.getString("setting");
        t.regimen = rs.getString("regimen");
        t.interventions = parse(rs.getString("interventions"), STRINGS);
        t.mechanism = rs.getString("mechanism");
        t.therapyClass = rs.getString("therapy_class");
        t.phases = parse(rs.getString("phases"), STRINGS);
        t.sponsor = rs.getString("sponsor");
        t.enrollmentCount = rs.getObject("enrollment_count", Integer.class);
        t.enrollmentType = rs.getString("enrollment_type");
        t.startDate = rs.getString("start_date");
        t.startDateType = rs.getString("start_date_type");
        t.primaryCompletionDate = rs.getString("primary_completion_date");
        t.primaryCompletionDateType = rs.getString("primary_completion_date_type");
        t.completionDate = rs.getString("completion_date");
        t.completionDateType = rs.getString("completion_date_type");
        t.overallStatus = status(rs.getString("overall_status"));
        t.whyStopped = rs.getString("why_stopped");
        t.lastKnownStatus = status(rs.getString("last_known_status"));
        t.hasResults = rs.getObject("has_results", Boolean.class);
        t.lastUpdatePosted = rs.getString("last_update_posted");
        t.reviewProvenance = parse(rs.getString("review_provenance"), OBJECT);
        t.factSources = parse(rs.getString("fact_sources"), OBJECT);
        t.unverifiedReadings = parse(rs.getString("unverified_readings"), VALUES);
        t.eventSequence = rs.getLong("event_sequence");
        t.version = rs.getLong("version");
        t.createdAt = instant(rs, "created_at");
        t.updatedAt = instant(rs, "updated_at");
        return t;
    }

    static OffsetDateTime timestamp(Instant at) {
        return at == null ? null : OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }

    static String json(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a trial's JSON column cannot be written", e);
        }
    }

    static <T> T parse(String text, TypeReference<T> type) {
        if (text == null) {
            return null;
        }
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a trial's stored JSON cannot be read", e);
        }
    }

    private static String name(TrialStatus status) {
        return status == null ? null : status.name();
    }

    private static TrialStatus status(String name) {
        return name == null ? null : TrialStatus.valueOf(name);
    }
}
