package org.trialwatch.support.messaging;

/**
 * The service is shutting down while a record was being retried. The consumer must let this propagate so that the
 * record is neither acknowledged nor dead-lettered: its offset stays uncommitted and the next instance takes it again.
 */
public class ConsumerStoppedException extends RuntimeException {

    public ConsumerStoppedException(String channel, Throwable lastFailure) {
        super(channel + ": stopped while retrying a record; its offset stays uncommitted", lastFailure);
    }
}
