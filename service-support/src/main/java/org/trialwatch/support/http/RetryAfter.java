package org.trialwatch.support.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads an HTTP Retry-After header (RFC 9110 §10.2.3: delay-seconds or an HTTP-date), as the ClinicalTrials.gov client
 * and the webhook sender both must. Plain Java; the caller passes its clock's now, so a test can fix it.
 */
public final class RetryAfter {

    private RetryAfter() {
    }

    /**
     * The wait the header asks for, never negative (a date already past means now); null when the header is absent or
     * unreadable, so the caller falls back to its own backoff.
     */
    public static Duration parse(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(value));
            } catch (NumberFormatException tooLong) {
                return null;
            }
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
