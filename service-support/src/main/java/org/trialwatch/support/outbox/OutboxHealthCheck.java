package org.trialwatch.support.outbox;

import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * The outbox in health detail, at {@code /q/health/well}: deliberately not readiness. While the broker is away the
 * outbox holds the changes, so the service can still take traffic; taking it out of service would turn a broker
 * outage into a full outage. This check is DOWN when the broker does not answer or rows are parked, for alerts and
 * for whoever looks; the figures come from the relay's last refresh ({@code trialwatch.outbox.stats-interval}).
 */
@Wellness
@ApplicationScoped
public class OutboxHealthCheck implements HealthCheck {

    private final OutboxMetrics metrics;
    private final OutboxDestination destination;

    public OutboxHealthCheck(OutboxMetrics metrics, OutboxDestination destination) {
        this.metrics = metrics;
        this.destination = destination;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder health = HealthCheckResponse.named("outbox")
                .withData("topic", destination.topic())
                .withData("brokerReachable", metrics.brokerReachable())
                .withData("unsent", metrics.unsent())
                .withData("oldestUnsentAgeSeconds", (long) Math.floor(metrics.oldestUnsentAgeSeconds()))
                .withData("parked", metrics.parkedRows())
                .withData("checkedAt", String.valueOf(metrics.refreshedAt()));
        return health.status(metrics.brokerReachable() && metrics.parkedRows() == 0).build();
    }
}
