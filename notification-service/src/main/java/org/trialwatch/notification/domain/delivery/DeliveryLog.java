package org.trialwatch.notification.domain.delivery;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A notification with every attempt made to deliver it, as {@code GET …/deliveries} shows it. */
public record DeliveryLog(UUID notificationId, UUID subscriptionId, String eventId, String eventType, String nctId,
                          String status, int attempts, Instant nextAttemptAt, String lastError, Instant createdAt,
                          Instant deliveredAt, Instant deadLetteredAt, List<Attempt> attemptLog) {

    public record Attempt(int attempt, Instant at, Integer statusCode, long latencyMs, String outcome, String error) {
    }
}
