package org.trialwatch.support.messaging;

/**
 * A record that can never be processed, however often it is retried: malformed, of an unknown type, invalid against
 * its schema, or one that cannot be applied for a reason carried by the record itself. Consumers dead-letter it with
 * {@link #getMessage()} as the reason and move on; every other failure holds the partition and is retried.
 */
public class PoisonRecordException extends RuntimeException {

    private final String category;

    public PoisonRecordException(String category, String detail) {
        super(category + ": " + detail);
        this.category = category;
    }

    /** A short, bounded label for metrics (malformed, unknown-type, schema-invalid, ...). */
    public String category() {
        return category;
    }
}
