package org.trialwatch.registry.rest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import org.trialwatch.events.TrialStatus;
import org.trialwatch.registry.application.TrialField;
import org.trialwatch.registry.application.TrialInput;
import org.trialwatch.registry.domain.InvalidInputException;
import org.trialwatch.registry.persistence.Trial;
import org.trialwatch.registry.persistence.TrialRows;

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

    private final TrialRows rows;

    public TrialQuery(TrialRows rows) {
        this.rows = rows;
    }

    public record Filter(String tumourType, String status, String phase, String target, String therapyClass, String q,
                         String cursor, String limit) {
    }

    public TrialPage list(Filter f) {
        int limit = Paging.limit(f.limit());
        StringBuilder sql = new StringBuilder("WHERE true");
        List<Object> params = new ArrayList<>();
        if (f.tumourType() != null) {
            if (!TrialField.TUMOUR_TYPE_VALUES.contains(f.tumourType())) {
                throw new InvalidInputException("tumourType", "must be one of " + TrialField.TUMOUR_TYPE_VALUES);
            }
            sql.append(" AND tumour_types @> CAST(? AS jsonb)");
            params.add("[\"" + f.tumourType() + "\"]");
        }
        if (f.status() != null) {
            if (NOT_VERIFIED.equals(f.status())) {
                sql.append(" AND overall_status IS NULL");
            } else {
                try {
                    params.add(TrialStatus.valueOf(f.status()).name());
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException("status", "must be " + NOT_VERIFIED + " or one of "
                            + java.util.Arrays.toString(TrialStatus.values()));
                }
                sql.append(" AND overall_status = ?");
            }
        }
        if (f.phase() != null) {
            if (!TrialField.PHASE_VALUES.contains(f.phase())) {
                throw new InvalidInputException("phase", "must be one of " + TrialField.PHASE_VALUES.stream().sorted().toList());
            }
            sql.append(" AND phases @> CAST(? AS jsonb)");
            params.add("[\"" + f.phase() + "\"]");
        }
        if (notBlank(f.target())) {
            sql.append(" AND to_tsvector('simple', coalesce(mechanism, '')) @@ plainto_tsquery('simple', ?)");
            params.add(f.target());
        }
        if (notBlank(f.therapyClass())) {
            sql.append(" AND lower(therapy_class) = lower(?)");
            params.add(f.therapyClass());
        }
        if (notBlank(f.q())) {
            sql.append(" AND search_document @@ plainto_tsquery('simple', ?)");
            params.add(f.q());
        }
        if (f.cursor() != null) {
            sql.append(" AND nct_id > ?");
            params.add(decodeCursor(f.cursor()));
        }
        sql.append(" ORDER BY nct_id LIMIT ?");
        params.add(limit + 1);

        List<Trial> page = rows.select(sql.toString(), params);
        boolean more = page.size() > limit;
        List<TrialView> items = page.stream().limit(limit).map(TrialView::of).toList();
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
