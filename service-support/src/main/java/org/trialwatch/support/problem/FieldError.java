package org.trialwatch.support.problem;

/**
 * One rejected input field and why: an entry of a problem detail's {@code errors}. Plain Java, so domain rules can
 * report field errors without knowing about HTTP.
 */
public record FieldError(String field, String reason) {
}
