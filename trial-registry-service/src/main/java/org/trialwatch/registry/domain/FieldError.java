package org.trialwatch.registry.domain;

/** One invalid input field and why, as listed in a problem detail's {@code errors}. */
public record FieldError(String field, String reason) {
}
