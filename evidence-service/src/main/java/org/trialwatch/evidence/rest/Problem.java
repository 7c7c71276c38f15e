package org.trialwatch.evidence.rest;

import java.util.List;

/** An RFC 9457 problem details body; {@code errors} names each offending field and why. */
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public record FieldError(String field, String reason) {
    }
}
