package org.trialwatch.registry.rest;

import org.trialwatch.registry.domain.InvalidInputException;

/** Reads the version a client expects from If-Match: {@code "3"}, {@code W/"3"} or {@code 3}. */
final class IfMatch {

    private IfMatch() {
    }

    static long version(String header) {
        if (header == null || header.isBlank()) {
            throw new PreconditionRequiredException();
        }
        String v = header.strip();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        v = v.replace("\"", "");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("If-Match", "must be the ETag of GET /api/trials/{nctId}, e.g. \"3\"");
        }
    }
}
