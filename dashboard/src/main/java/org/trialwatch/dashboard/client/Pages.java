package org.trialwatch.dashboard.client;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Every list of the services answers one page {@code {items, next, limit}}; {@code next} is the cursor of the
 * following page, null on the last.
 */
public final class Pages {

    /** The most a list of the services gives in one page. */
    public static final int MAX_LIMIT = 200;

    private Pages() {
    }

    /** One page of a list. */
    public record Page<T>(List<T> items, String next, int limit) {
    }

    /** Every item of a list, following {@code next} from the first page (fetched with a null cursor) to the last. */
    public static <T> List<T> all(Function<String, Page<T>> fetch) {
        List<T> all = new ArrayList<>();
        String cursor = null;
        do {
            Page<T> page = fetch.apply(cursor);
            all.addAll(page.items());
            cursor = page.next();
        } while (cursor != null);
        return all;
    }
}
