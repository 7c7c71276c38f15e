package org.trialwatch.support.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;

/**
 * The consumers' retries, per channel: hands out each channel's {@link HoldingRetry}, stops them all as shutdown begins
 * (before the connectors close), and says which channel is held by a failure, since when and why, as metrics
 * ({@code trialwatch_consumer_retrying{channel}} 1 while held, {@code trialwatch_consumer_retries_total{channel,kind}},
 * {@code trialwatch_consumer_held_seconds{channel}}) and as health data ({@link ConsumerReadiness}).
 */
@ApplicationScoped
public class ConsumerRetries implements RetryObserver {

    /** A channel's current hold: empty ({@code since == null}) while records flow. */
    public record Hold(Instant since, int failedAttempts, FailureKind kind, String lastFailure) {
    }

    private static final Hold FLOWING = new Hold(null, 0, null, null);

    private final MeterRegistry registry;
    private final ConsumerSettings settings;
    private final Map<String, HoldingRetry> retries = new ConcurrentHashMap<>();
    private final Map<String, Hold> holds = new ConcurrentHashMap<>();

    public ConsumerRetries(MeterRegistry registry, ConsumerSettings settings) {
        this.registry = registry;
        this.settings = settings;
    }

    /** The retry runner of {@code channel}, with the configured backoff; one per channel. */
    public HoldingRetry forChannel(String channel) {
        return retries.computeIfAbsent(channel, c -> {
            holds.put(c, FLOWING);
            // A gauge reads the state it was registered with, and registering an existing id returns the existing
            // gauge: one left behind by an earlier application in the same JVM (Quarkus tests share the global
            // registry) would go on reading that application's state. This instance's gauges replace it.
            for (String gauge : new String[] {"trialwatch.consumer.retrying", "trialwatch.consumer.held.seconds"}) {
                registry.find(gauge).tag("channel", c).meters().forEach(registry::remove);
            }
            Gauge.builder("trialwatch.consumer.retrying", holds, h -> h.getOrDefault(c, FLOWING).since() == null ? 0 : 1)
                    .description("1 while the channel's consumer holds a record because of a failure it retries")
                    .tag("channel", c).register(registry);
            Gauge.builder("trialwatch.consumer.held.seconds", holds, h -> heldSeconds(h.getOrDefault(c, FLOWING)))
                    .description("how long the channel's consumer has held its current record (0 while flowing)")
                    .tag("channel", c).register(registry);
            for (FailureKind kind : new FailureKind[] {FailureKind.TRANSIENT, FailureKind.UNCLASSIFIED}) {
                retriesCounter(c, kind);
            }
            return new HoldingRetry(c, settings.backoff(), this);
        });
    }

    @Override
    public void retrying(String channel, int attempt, FailureKind kind, Throwable failure, Duration nextDelay) {
        retriesCounter(channel, kind).increment();
        holds.compute(channel, (c, hold) -> new Hold(hold == null || hold.since() == null ? Instant.now() : hold.since(),
                attempt, kind, String.valueOf(failure)));
    }

    @Override
    public void recovered(String channel, int failedAttempts, Duration heldFor) {
        holds.put(channel, FLOWING);
    }

    /** Each known channel's hold, by channel name. */
    public Map<String, Hold> holds() {
        return new LinkedHashMap<>(new java.util.TreeMap<>(holds));
    }

    /** Stops every retry as soon as shutdown starts, so that no consumer waits out an outage while the app stops. */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        stopAll();
    }

    public void stopAll() {
        retries.values().forEach(HoldingRetry::stop);
    }

    private Counter retriesCounter(String channel, FailureKind kind) {
        return Counter.builder("trialwatch.consumer.retries")
                .description("failed attempts at a record that were retried rather than dead-lettered")
                .tag("channel", channel).tag("kind", kind.name().toLowerCase(java.util.Locale.ROOT))
                .register(registry);
    }

    private static double heldSeconds(Hold hold) {
        return hold.since() == null ? 0 : Duration.between(hold.since(), Instant.now()).toMillis() / 1000.0;
    }
}
