package org.trialwatch.registry.outbox;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Wakes the relay as soon as a transaction that wrote outbox rows commits, so an event leaves within milliseconds
 * instead of waiting for the next poll. Polling remains the safety net (another replica's writes, missed signals).
 */
@ApplicationScoped
public class OutboxSignal {

    private final Semaphore pending = new Semaphore(0);
    private final TransactionSynchronizationRegistry transactions;

    public OutboxSignal(TransactionSynchronizationRegistry transactions) {
        this.transactions = transactions;
    }

    void afterCommitWakeRelay() {
        if (transactions.getResource(OutboxSignal.class) != null) {
            return; // one wake-up per transaction is enough
        }
        transactions.putResource(OutboxSignal.class, Boolean.TRUE);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    wake();
                }
            }
        });
    }

    void wake() {
        if (pending.availablePermits() == 0) {
            pending.release();
        }
    }

    /** Waits until woken or until the poll interval passes. */
    void awaitWork(long millis) throws InterruptedException {
        pending.tryAcquire(millis, TimeUnit.MILLISECONDS);
        pending.drainPermits();
    }
}
