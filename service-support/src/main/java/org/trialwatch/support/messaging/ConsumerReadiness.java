package org.trialwatch.support.messaging;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Says in the readiness data which consumer is held by a failure it retries, since when and why, but stays UP: a held
 * consumer does not stop this instance from answering its REST traffic (the projections it serves are only as stale
 * as the hold is long, which the data and {@code trialwatch_consumer_held_seconds} show). When the cause is the
 * database, the datasource's own readiness check already goes DOWN; taking the instance out for the consumer as well
 * would only turn answerable requests into refused connections, and every replica shares the outage, so moving traffic
 * elsewhere would not help.
 */
@Readiness
@ApplicationScoped
public class ConsumerReadiness implements HealthCheck {

    private final ConsumerRetries retries;

    public ConsumerReadiness(ConsumerRetries retries) {
        this.retries = retries;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("kafka-consumers").up();
        for (Map.Entry<String, ConsumerRetries.Hold> e : retries.holds().entrySet()) {
            ConsumerRetries.Hold hold = e.getValue();
            String channel = e.getKey();
            if (hold.since() == null) {
                response.withData(channel, "flowing");
            } else {
                response.withData(channel, "held by a " + hold.kind().name().toLowerCase(java.util.Locale.ROOT)
                        + " failure since " + hold.since() + ", " + hold.failedAttempts() + " failed attempts, last: "
                        + hold.lastFailure());
            }
        }
        return response.build();
    }
}
