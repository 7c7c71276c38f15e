package org.trialwatch.registry.trial;

/** One invalid input field and why, as listed in a problem detail's {@code errors}. */
public record FieldError(String field, String reason) {
}
