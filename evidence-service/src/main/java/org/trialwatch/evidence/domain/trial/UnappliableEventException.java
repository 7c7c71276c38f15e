package org.trialwatch.evidence.domain.trial;

/**
 * A trial event that cannot be applied to the trial as this service knows it (e.g. a {@code trial.updated} whose
 * changes leave an unreadable snapshot): retrying the same event cannot succeed. The consumer dead-letters it as
 * {@code unappliable}.
 */
public class UnappliableEventException extends RuntimeException {

    public UnappliableEventException(String detail) {
        super(detail);
    }
}
