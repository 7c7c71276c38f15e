package org.trialwatch.registry.rest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import org.hibernate.jpa.HibernateHints;
import org.trialwatch.events.TrialStatus;
import org.trialwatch.registry.application.TrialField;
import org.trialwatch.registry.application.TrialInput;
import org.trialwatch.registry.domain.InvalidInputException;
import org.trialwatch.registry.persistence.Trial;

/**
 * Lists trials with filters and keyset pagination on the NCT id: the order is total and immutable, so a page never
 * repeats or skips a trial when others are added or changed meanwhile. Every filter is served by an index.
 */
@ApplicationScoped
public class TrialQuery {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;
    /** Status filter value for trials whose status nobody has verified. */
    public static final String NOT_VERIFIED = "NOT_VERIFIED";

    private final EntityManager em;

    public TrialQuery(EntityManager em) {
        this.em = em;
    }

    public record Filter(String tumourType, String status, String phase, String target, String therapyClass, String q,
                         String cursor, String limit) {
    }

    public TrialPage list(Filter f) {
        int limit = Paging.limit(f.limit());
        StringBuilder sql = new StringBuilder("SELECT * FROM trial WHERE true");
        Map<String, Object> params = new HashMap<>();
        if (f.tumourType() != null) {
            if (!TrialField.TUMOUR_TYPE_VALUES.contains(f.tumourType())) {
                throw new InvalidInputException("tumourType", "must be one of " + TrialField.TUMOUR_TYPE_VALUES);
            }
            sql.append(" AND tumour_types @> CAST(:tumourType AS jsonb)");
            params.put("tumourType", "[\"" + f.tumourType() + "\"]");
        }
        if (f.status() != null) {
            if (NOT_VERIFIED.equals(f.status())) {
                sql.append(" AND overall_status IS NULL");
            } else {
                try {
                    params.put("status", TrialStatus.valueOf(f.status()).name());
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException("status", "must be " + NOT_VERIFIED + " or one of "
                            + java.util.Arrays.toString(TrialStatus.values()));
                }
                sql.append(" AND overall_status = :status");
            }
        }
        if (f.phase() != null) {
            if (!TrialField.PHASE_VALUES.contains(f.phase())) {
                throw new InvalidInputException("phase", "must be one of " + TrialField.PHASE_VALUES.stream().sorted().toList());
            }
            sql.append(" AND phases @> CAST(:phase AS jsonb)");
            params.put("phase", "[\"" + f.phase() + "\"]");
        }
        if (notBlank(f.target())) {
            sql.append(" AND to_tsvector('simple', coalesce(mechanism, '')) @@ plainto_tsquery('simple', :target)");
            params.put("target", f.target());
        }
        if (notBlank(f.therapyClass())) {
            sql.append(" AND lower(therapy_class) = lower(:therapyClass)");
            params.put("therapyClass", f.therapyClass());
        }
        if (notBlank(f.q())) {
            sql.append(" AND search_document @@ plainto_tsquery('simple', :q)");
            params.put("q", f.q());
        }
        if (f.cursor() != null) {
            sql.append(" AND nct_id > :after");
            params.put("after", decodeCursor(f.cursor()));
        }
        sql.append(" ORDER BY nct_id LIMIT :limit");
        params.put("limit", limit + 1);

        // One statement for the page's rows, read-only: Hibernate keeps no snapshot of the six JSON columns of each
        // row to compare at flush, which cost more than the query (ADR 0009).
        Query query = em.createNativeQuery(sql.toString(), Trial.class).setHint(HibernateHints.HINT_READ_ONLY, true);
        params.forEach(query::setParameter);
        @SuppressWarnings("unchecked")
        List<Trial> rows = query.getResultList();
        boolean more = rows.size() > limit;
        List<TrialView> items = rows.stream().limit(limit).map(TrialView::of).toList();
        String next = more ? encodeCursor(items.get(items.size() - 1).nctId()) : null;
        return new TrialPage(items, next, limit);
    }

    static String encodeCursor(String lastNctId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("after:" + lastNctId).getBytes(StandardCharsets.UTF_8));
    }

    static String decodeCursor(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (raw.startsWith("after:")) {
                return TrialInput.requireNctId(raw.substring("after:".length()), "cursor");
            }
        } catch (IllegalArgumentException | InvalidInputException e) {
            // fall through to the error below
        }
        throw new InvalidInputException("cursor", "not a cursor this API gave out; use the 'next' value of a page");
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
