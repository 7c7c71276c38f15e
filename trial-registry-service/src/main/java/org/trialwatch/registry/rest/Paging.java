package org.trialwatch.registry.rest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.ToLongFunction;

import org.trialwatch.registry.domain.InvalidInputException;

/**
 * The paging every list of the registry shares with {@code GET /api/trials}: {@code limit} defaults to 50 and is
 * capped at 200 (the answer's {@code limit} says what was used), and {@code next} is an opaque cursor that a client
 * passes back as {@code cursor}. Lists within a trial (history, results, versions) page on an ascending numeric key.
 */
final class Paging {

    static final int DEFAULT_LIMIT = TrialQuery.DEFAULT_LIMIT;
    static final int MAX_LIMIT = TrialQuery.MAX_LIMIT;
    private static final String PREFIX = "after:";

    private Paging() {
    }

    /**
     * The page size to use: the default when none is asked, the cap when more is asked; 400 (not JAX-RS's 404 for a
     * query parameter it cannot convert) for text that is not a whole number of 1 or more.
     */
    static int limit(String asked) {
        if (asked == null) {
            return DEFAULT_LIMIT;
        }
        long limit;
        try {
            limit = Long.parseLong(asked.strip());
        } catch (NumberFormatException e) {
            limit = 0;
        }
        if (limit < 1) {
            throw new InvalidInputException("limit", "must be a whole number, 1 or more (at most " + MAX_LIMIT + ")");
        }
        return (int) Math.min(limit, MAX_LIMIT);
    }

    /** The key after which the page starts: none without a cursor; 400 for text that is not a cursor we gave out. */
    static long after(String cursor) {
        if (cursor == null) {
            return Long.MIN_VALUE;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (raw.startsWith(PREFIX)) {
                return Long.parseLong(raw.substring(PREFIX.length()));
            }
        } catch (IllegalArgumentException e) {
            // fall through to the error below (NumberFormatException is one)
        }
        throw new InvalidInputException("cursor", "not a cursor this API gave out; use the 'next' value of a page");
    }

    /**
     * The cursor of the page after {@code fetched}, which holds up to {@code limit + 1} rows (the extra one only says
     * that there is more); null when this is the last page.
     */
    static <T> String next(List<T> fetched, int limit, ToLongFunction<T> key) {
        if (fetched.size() <= limit) {
            return null;
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                (PREFIX + key.applyAsLong(fetched.get(limit - 1))).getBytes(StandardCharsets.UTF_8));
    }
}
