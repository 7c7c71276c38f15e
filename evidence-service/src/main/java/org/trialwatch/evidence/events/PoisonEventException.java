package org.trialwatch.evidence.events;

/**
 * A record that can never be processed, however often it is retried: malformed JSON, an unknown or missing type, a
 * payload that breaks its schema. Its message becomes the {@code dead-letter-reason} header of the dead-letter record.
 */
public class PoisonEventException extends RuntimeException {

    private final String category;

    public PoisonEventException(String category, String detail) {
        super(category + ": " + detail);
        this.category = category;
    }

    /** malformed | unknown-type | schema-invalid | missing-header */
    public String category() {
        return category;
    }
}
