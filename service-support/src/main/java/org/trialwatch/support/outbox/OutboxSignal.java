package org.trialwatch.support.outbox;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Wakes a service's outbox relay as soon as a transaction that wrote outbox rows commits, so an event leaves within
 * milliseconds instead of at the next poll. The relay's poll stays as the safety net (another instance's rows, a
 * failed batch). Shared by the registry and the evidence service.
 */
@ApplicationScoped
public class OutboxSignal {

    private final Semaphore pending = new Semaphore(0);
    private final TransactionSynchronizationRegistry transactions;

    public OutboxSignal(TransactionSynchronizationRegistry transactions) {
        this.transactions = transactions;
    }

    /** Called inside the transaction that writes outbox rows: wakes the relay once it has committed. */
    public void afterCommitWakeRelay() {
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

    /** Wakes the relay now (e.g. after an operator put a parked row back in line). */
    public void wake() {
        if (pending.availablePermits() == 0) {
            pending.release();
        }
    }

    /** Waits until woken or until {@code millis} pass. */
    public void awaitWork(long millis) throws InterruptedException {
        pending.tryAcquire(millis, TimeUnit.MILLISECONDS);
        pending.drainPermits();
    }
}
