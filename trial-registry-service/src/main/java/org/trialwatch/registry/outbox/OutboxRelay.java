package org.trialwatch.registry.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.trialwatch.support.outbox.OutboxSignal;
import org.trialwatch.support.outbox.RelayLoop;

/**
 * Publishes outbox rows in id order, which per trial is sequence order, then marks them sent.
 *
 * <p>One relay publishes at a time across all replicas (a PostgreSQL advisory lock held for the batch's transaction):
 * two relays taking disjoint batches could otherwise publish a trial's later event before its earlier one.
 * Delivery is at least once; consumers deduplicate by {@code ce_id}. The producer is idempotent and never expires a
 * record, so while the broker is away its sends wait inside the producer, in order; the relay waits for them round
 * after round instead of sending them again, and marks rows sent only once acknowledged. A record that never left the
 * producer stops the round, so nothing behind it can overtake it.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Advisory lock key: "TWOUTBOX" in ASCII. */
    private static final long RELAY_LOCK = 0x54574f5554424f58L;

    private final EntityManager em;
    private final OutboxPublisher publisher;
    private final OutboxSignal signal;
    private final OutboxConfig config;
    private final Clock clock;
    private final String source;
    private final Counter published;
    private final Counter failures;
    private final Timer batchTimer;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestUnsentEpochMillis = new AtomicLong(0);

    /**
     * Sends the broker has not acknowledged yet, by event id. The producer never gives up on a record (its delivery
     * timeout is unbounded) and retries in order, so a row still in flight is waited for, never sent a second time
     * behind later events of its trial. Touched only by the relay thread.
     */
    private final java.util.Map<java.util.UUID, Future<RecordMetadata>> inFlight = new java.util.HashMap<>();

    private RelayLoop loop;

    public OutboxRelay(EntityManager em, OutboxPublisher publisher, OutboxSignal signal, OutboxConfig config,
                       Clock clock, MeterRegistry registry,
                       @ConfigProperty(name = "trialwatch.events.source", defaultValue = "/trial-registry-service") String source) {
        this.em = em;
        this.publisher = publisher;
        this.signal = signal;
        this.config = config;
        this.clock = clock;
        this.source = source;
        this.published = Counter.builder("trialwatch_outbox_published_total")
                .description("Outbox events acknowledged by Kafka").register(registry);
        this.failures = Counter.builder("trialwatch_outbox_publish_failures_total")
                .description("Outbox batches that Kafka did not acknowledge").register(registry);
        this.batchTimer = Timer.builder("trialwatch_outbox_batch_seconds")
                .description("Time to publish one outbox batch").register(registry);
        Gauge.builder("trialwatch_outbox_backlog", backlog, AtomicLong::get)
                .description("Outbox rows not yet published").register(registry);
        Gauge.builder("trialwatch_outbox_oldest_unsent_age_seconds", this, OutboxRelay::oldestUnsentAgeSeconds)
                .description("Age of the oldest unpublished outbox row (0 when none)").register(registry);
    }

    void start(@Observes StartupEvent ignored) {
        if (!config.enabled()) {
            LOG.info("outbox relay disabled on this instance");
            return;
        }
        loop = new RelayLoop("outbox-relay", this::publishBatch, signal, config.pollInterval(), config.retryBackoff(),
                config.batchSize());
        loop.start();
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (loop != null) {
            loop.stop();
        }
    }

    /** Publishes one batch; returns how many rows were sent, or -1 when the broker did not acknowledge. */
    int publishBatch() {
        long started = System.nanoTime();
        int result = QuarkusTransaction.requiringNew().call(() -> {
            Boolean locked = (Boolean) em.createNativeQuery("SELECT pg_try_advisory_xact_lock(:key)")
                    .setParameter("key", RELAY_LOCK).getSingleResult();
            if (!Boolean.TRUE.equals(locked)) {
                return 0;
            }
            List<OutboxEvent> batch = em.createQuery(
                    "FROM OutboxEvent WHERE sentAt IS NULL ORDER BY id", OutboxEvent.class)
                    .setMaxResults(config.batchSize()).getResultList();
            if (batch.isEmpty()) {
                return 0;
            }
            List<OutboxEvent> waiting = new ArrayList<>(batch.size());
            for (OutboxEvent row : batch) {
                Future<RecordMetadata> ack = inFlight.get(row.eventId);
                if (ack == null) {
                    ack = publisher.send(row, source);
                    inFlight.put(row.eventId, ack);
                    if (failedAlready(ack)) {
                        // it never left the producer (e.g. no metadata while the broker is away): send nothing
                        // after it in this round, so no later event can overtake it
                        waiting.add(row);
                        break;
                    }
                }
                waiting.add(row);
            }
            long deadline = System.nanoTime() + config.sendTimeout().toNanos();
            List<Long> sentIds = new ArrayList<>(waiting.size());
            int pending = 0;
            String firstError = null;
            for (OutboxEvent row : waiting) {
                Future<RecordMetadata> ack = inFlight.get(row.eventId);
                try {
                    ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    sentIds.add(row.id);
                    inFlight.remove(row.eventId);
                } catch (java.util.concurrent.TimeoutException stillInFlight) {
                    // The producer keeps retrying it, in order; the next round waits for it rather than re-sending.
                    pending++;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    pending++;
                } catch (java.util.concurrent.ExecutionException e) {
                    inFlight.remove(row.eventId);
                    row.attempts++;
                    row.lastError = truncate(String.valueOf(e.getCause()));
                    if (firstError == null) {
                        firstError = row.lastError;
                    }
                }
            }
            inFlight.values().removeIf(Future::isDone); // rows another replica has published meanwhile
            int sent = sentIds.size();
            if (!sentIds.isEmpty()) {
                // one statement for the batch rather than one UPDATE per row
                em.createQuery("UPDATE OutboxEvent SET sentAt = :now WHERE id IN :ids")
                        .setParameter("now", clock.instant()).setParameter("ids", sentIds).executeUpdate();
            }
            published.increment(sent);
            if (firstError != null || pending > 0) {
                failures.increment();
                LOG.warnf("outbox: %d of %d events not acknowledged yet, will retry: %s", waiting.size() - sent,
                        waiting.size(), firstError != null ? firstError : "broker has not acknowledged within "
                                + config.sendTimeout());
                return -1;
            }
            LOG.debugf("outbox: published %d events", sent);
            return sent;
        });
        batchTimer.record(Duration.ofNanos(System.nanoTime() - started));
        return result;
    }

    private double publishedAtLastLog;
    private long lastThroughputLog = System.nanoTime();

    /** Refreshes the backlog gauges and forgets sent rows past their retention; logs throughput once a minute. */
    @Scheduled(every = "${trialwatch.outbox.stats-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refreshStatsAndPrune() {
        QuarkusTransaction.requiringNew().run(() -> {
            Object[] row = (Object[]) em.createNativeQuery(
                    "SELECT count(*), min(occurred_at) FROM outbox_event WHERE sent_at IS NULL").getSingleResult();
            backlog.set(((Number) row[0]).longValue());
            oldestUnsentEpochMillis.set(row[1] == null ? 0 : toInstant(row[1]).toEpochMilli());
            em.createNativeQuery("DELETE FROM outbox_event WHERE sent_at < :cutoff")
                    .setParameter("cutoff", clock.instant().minus(config.retention())).executeUpdate();
        });
        if (System.nanoTime() - lastThroughputLog >= TimeUnit.MINUTES.toNanos(1)) {
            double total = published.count();
            if (total > publishedAtLastLog || backlog.get() > 0) {
                LOG.infof("outbox: %.0f events published in the last minute; %d waiting, oldest %.1f s",
                        total - publishedAtLastLog, backlog.get(), oldestUnsentAgeSeconds());
            }
            publishedAtLastLog = total;
            lastThroughputLog = System.nanoTime();
        }
    }

    private double oldestUnsentAgeSeconds() {
        long oldest = oldestUnsentEpochMillis.get();
        return oldest == 0 ? 0 : Math.max(0, (clock.millis() - oldest) / 1000.0);
    }

    private static Instant toInstant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }

    private static boolean failedAlready(Future<RecordMetadata> ack) {
        if (!ack.isDone()) {
            return false;
        }
        try {
            ack.get();
            return false;
        } catch (Exception e) {
            return true;
        }
    }

    private static String truncate(String s) {
        return s.length() > 1000 ? s.substring(0, 1000) : s;
    }
}
