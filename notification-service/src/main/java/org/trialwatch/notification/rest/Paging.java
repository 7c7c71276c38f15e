package org.trialwatch.notification.rest;

import java.util.List;

import org.trialwatch.notification.persistence.SubscriptionStore;
import org.trialwatch.support.problem.FieldError;

/**
 * The paging every list of this service shares with the other services' lists ({@code GET /api/trials},
 * {@code /api/summaries}): an answer {@code {items, next, limit}}; {@code limit} from 1 to 200, 50 when not given;
 * {@code next} an opaque cursor to pass back as {@code cursor}, null on the last page. Lists here run newest first on
 * (created at, id), so one cursor form serves them all.
 */
public final class Paging {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    private Paging() {
    }

    /** One page of a list. */
    public record Page<T>(List<T> items, String next, int limit) {
    }

    /**
     * The page size asked for, or the default; a field error (not JAX-RS's 404 for a query parameter it cannot
     * convert) for text that is not a whole number from 1 to the maximum.
     */
    static int limit(String asked, List<FieldError> errors) {
        if (asked == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(asked.strip());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // the same error as a number out of range
        }
        errors.add(new FieldError("limit", "a whole number from 1 to " + MAX_LIMIT));
        return DEFAULT_LIMIT;
    }

    /** The position a page starts after: none without a cursor; a field error for text that is not one we gave. */
    static SubscriptionStore.Cursor cursor(String text, List<FieldError> errors) {
        if (text == null) {
            return null;
        }
        SubscriptionStore.Cursor after = SubscriptionStore.Cursor.parse(text).orElse(null);
        if (after == null) {
            errors.add(new FieldError("cursor", "not a cursor from a previous page; use the 'next' value of a page"));
        }
        return after;
    }
}
