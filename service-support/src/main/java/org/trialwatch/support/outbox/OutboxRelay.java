package org.trialwatch.support.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox in id order (per key, the order the events were written), then marks rows sent.
 *
 * <ul>
 * <li><b>One publisher across replicas</b>: each round runs in a transaction holding a PostgreSQL advisory lock.</li>
 * <li><b>Nothing re-sent behind later events</b>: the producer never expires a record, so while the broker is away a
 * row's send stays in flight; the next round waits for that same send instead of sending the row again (a re-send
 * each round is what flooded consumers with duplicates after an outage). Rows are marked sent only once acknowledged.
 * A send refused before it left the producer for a broker-wide reason (no metadata) ends the round.</li>
 * <li><b>No row jams the rest</b>: a send refused for a reason of the row's own (e.g. {@code RecordTooLargeException})
 * counts an attempt; after {@code max-attempts} the row is parked with its reason. Its key's later rows wait behind
 * it (a key's order is kept); other keys' rows go on. An operator retries it ({@link ParkedOutboxResource}).</li>
 * </ul>
 * Delivery is at least once (a crash between send and mark re-sends); {@code ce_id} lets consumers deduplicate.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int PURGE_CHUNK = 5_000;

    private final OutboxRows rows;
    private final OutboxProducer producer;
    private final OutboxSignal signal;
    private final OutboxConfig config;
    private final OutboxMetrics metrics;

    /**
     * Sends the broker has not acknowledged yet, by event id; waited for round after round, never sent again while in
     * flight. Touched only by the relay thread.
     */
    private final Map<UUID, Future<RecordMetadata>> inFlight = new HashMap<>();

    private RelayLoop loop;
    private ScheduledExecutorService housekeeping;
    private double publishedAtLastLog;
    private long lastThroughputLog = System.nanoTime();

    public OutboxRelay(OutboxRows rows, OutboxProducer producer, OutboxSignal signal, OutboxConfig config,
                       OutboxMetrics metrics) {
        this.rows = rows;
        this.producer = producer;
        this.signal = signal;
        this.config = config;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent ignored) {
        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "outbox-housekeeping");
            t.setDaemon(true);
            return t;
        });
        // a plain scheduled executor: the library needs no scheduler extension in the services that use it
        housekeeping.scheduleWithFixedDelay(this::refreshStatsQuietly, 0, config.statsInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        housekeeping.scheduleWithFixedDelay(this::purgeQuietly, config.purgeInterval().toMillis(),
                config.purgeInterval().toMillis(), TimeUnit.MILLISECONDS);
        if (!config.enabled()) {
            LOG.info("outbox relay disabled on this instance (trialwatch.outbox.enabled=false)");
            return;
        }
        loop = new RelayLoop("outbox-relay", this::publishRound, signal, config.pollInterval(), config.retryBackoff(),
                config.batchSize(), failure -> metrics.relayError());
        loop.start();
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (loop != null) {
            loop.stop();
        }
        if (housekeeping != null) {
            housekeeping.shutdownNow();
        }
    }

    /** Publishes one batch; returns how many rows were sent, or -1 when the broker did not acknowledge them all. */
    public int publishRound() {
        long started = System.nanoTime();
        try {
            return QuarkusTransaction.requiringNew().call(this::publishLocked);
        } finally {
            metrics.roundTook(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private int publishLocked() {
        if (!rows.tryLockRelay()) {
            return 0;
        }
        List<OutboxRows.Pending> batch = rows.ready(config.batchSize());
        if (batch.isEmpty()) {
            inFlight.values().removeIf(Future::isDone);
            return 0;
        }
        Set<String> heldKeys = new HashSet<>();
        List<OutboxRows.Pending> waiting = new ArrayList<>(batch.size());
        boolean brokerRefused = false;
        for (OutboxRows.Pending row : batch) {
            if (heldKeys.contains(row.aggregateId())) {
                continue; // behind a row of its key that failed this round: order per key is kept
            }
            Future<RecordMetadata> ack = inFlight.get(row.eventId());
            if (ack == null) {
                ack = send(row);
                inFlight.put(row.eventId(), ack);
                Throwable refused = failureOf(ack);
                if (refused != null) {
                    waiting.add(row);
                    if (refused instanceof RetriableException) {
                        // never left the producer for a reason every row shares (no metadata while the broker is
                        // away): send nothing after it, so no later event can overtake it
                        brokerRefused = true;
                        break;
                    }
                    heldKeys.add(row.aggregateId());
                    continue;
                }
            }
            waiting.add(row);
        }

        Instant now = Instant.now();
        long deadline = System.nanoTime() + config.sendTimeout().toNanos();
        List<Long> sentIds = new ArrayList<>(waiting.size());
        int unacknowledged = 0;
        String brokerError = null;
        for (OutboxRows.Pending row : waiting) {
            Future<RecordMetadata> ack = inFlight.get(row.eventId());
            try {
                ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                sentIds.add(row.id());
                inFlight.remove(row.eventId());
            } catch (TimeoutException stillInFlight) {
                unacknowledged++; // the producer keeps retrying it, in order; the next round waits for it again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                unacknowledged++;
            } catch (ExecutionException e) {
                inFlight.remove(row.eventId());
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (cause instanceof RetriableException) {
                    unacknowledged++;
                    brokerError = String.valueOf(cause);
                } else {
                    failed(row, cause, now);
                }
            }
        }
        inFlight.values().removeIf(Future::isDone); // e.g. rows another replica published meanwhile
        rows.markSent(sentIds, now);
        metrics.published(sentIds.size());
        if (brokerRefused || unacknowledged > 0) {
            metrics.roundFailed();
            LOG.warnf("outbox: %d of %d events not acknowledged yet, will wait for them: %s", waiting.size()
                    - sentIds.size(), waiting.size(), brokerError != null ? brokerError
                    : "broker has not acknowledged within " + config.sendTimeout());
            return -1;
        }
        return sentIds.size();
    }

    private Future<RecordMetadata> send(OutboxRows.Pending row) {
        try {
            return producer.send(row.message());
        } catch (RuntimeException e) {
            // e.g. a serializer or interceptor refusing the record: the row's own failure, handled like any other
            return CompletableFuture.failedFuture(e);
        }
    }

    private void failed(OutboxRows.Pending row, Throwable cause, Instant now) {
        int attempts = row.attempts() + 1;
        boolean park = attempts >= config.maxAttempts();
        String reason = truncate(cause.getClass().getName() + ": " + cause.getMessage());
        rows.recordFailure(row.id(), reason, park, now);
        metrics.recordFailed();
        if (park) {
            LOG.errorf("outbox: event %s (key %s, %s) parked after %d failed sends; its key's later events wait "
                    + "behind it until an operator retries it: %s", row.eventId(), row.aggregateId(), row.eventType(),
                    attempts, reason);
        } else {
            LOG.warnf("outbox: event %s (key %s) not sent (attempt %d of %d): %s", row.eventId(), row.aggregateId(),
                    attempts, config.maxAttempts(), reason);
        }
    }

    /** Refreshes the backlog gauges and the broker's reachability; logs throughput about once a minute. */
    public void refreshStats() {
        OutboxRows.Stats stats = QuarkusTransaction.requiringNew().call(rows::stats);
        metrics.refreshed(stats, Instant.now());
        metrics.brokerReachable(producer.brokerReachable(Duration.ofSeconds(2)));
        if (System.nanoTime() - lastThroughputLog >= TimeUnit.MINUTES.toNanos(1)) {
            double total = metrics.publishedCount();
            if (total > publishedAtLastLog || stats.unsent() > 0 || stats.parked() > 0) {
                LOG.infof("outbox: %.0f events published in the last minute; %d waiting (oldest %.1f s), %d parked",
                        total - publishedAtLastLog, stats.unsent(), metrics.oldestUnsentAgeSeconds(), stats.parked());
            }
            publishedAtLastLog = total;
            lastThroughputLog = System.nanoTime();
        }
    }

    /** Deletes sent rows older than the retention, in chunks so that no transaction grows large; returns how many. */
    public int purge() {
        Instant cutoff = Instant.now().minus(config.retention());
        int total = 0;
        int deleted;
        do {
            deleted = QuarkusTransaction.requiringNew().call(() -> rows.purgeSentBefore(cutoff, PURGE_CHUNK));
            total += deleted;
        } while (deleted == PURGE_CHUNK);
        metrics.purged(total);
        if (total > 0) {
            LOG.infof("outbox: purged %d events sent before %s", total, cutoff);
        }
        return total;
    }

    private void refreshStatsQuietly() {
        try {
            refreshStats();
        } catch (Throwable e) {
            LOG.debugf("outbox: stats not refreshed: %s", e.toString());
        }
    }

    private void purgeQuietly() {
        try {
            purge();
        } catch (Throwable e) {
            LOG.warnf("outbox: purge failed, will try again in %s: %s", config.purgeInterval(), e.toString());
        }
    }

    private static Throwable failureOf(Future<RecordMetadata> ack) {
        if (!ack.isDone()) {
            return null;
        }
        try {
            ack.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause() == null ? e : e.getCause();
        } catch (Exception e) {
            return e;
        }
    }

    private static String truncate(String s) {
        return s.length() > 1000 ? s.substring(0, 1000) : s;
    }
}
