package org.trialwatch.notification.domain.matching;

/** One rejected input field and why: an entry of a problem detail's {@code errors[]}. */
public record FieldError(String field, String reason) {
}
