package org.trialwatch.evidence.messaging;

import org.trialwatch.support.messaging.PoisonRecordException;

/**
 * A record that can never be processed, however often it is retried: malformed JSON, an unknown or missing type, a
 * payload that breaks its schema, or a change that cannot be applied to the trial. Its message becomes the
 * {@code dead-letter-reason} header of the dead-letter record.
 */
public class PoisonEventException extends PoisonRecordException {

    public PoisonEventException(String category, String detail) {
        super(category, detail);
    }

    /** malformed | unknown-type | schema-invalid | missing-header | unappliable */
    @Override
    public String category() {
        return super.category();
    }
}
