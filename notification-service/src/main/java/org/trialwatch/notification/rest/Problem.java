package org.trialwatch.notification.rest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.trialwatch.notification.domain.matching.FieldError;

/** An RFC 9457 problem detail; {@code errors} names each rejected field and why. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String BASE = "https://trialwatch.org/problems/";

    public static Problem of(String slug, String title, int status, String detail) {
        return new Problem(BASE + slug, title, status, detail, null, List.of());
    }

    public static Problem invalid(String detail, List<FieldError> errors) {
        return new Problem(BASE + "invalid-request", "Invalid request", 400, detail, null, errors);
    }

    public Problem at(String path) {
        return new Problem(type, title, status, detail, path, errors);
    }
}
