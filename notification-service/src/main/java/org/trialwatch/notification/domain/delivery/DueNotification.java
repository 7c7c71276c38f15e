package org.trialwatch.notification.domain.delivery;

import java.util.UUID;

/**
 * A notification claimed for one attempt. {@code attempts} counts the attempts made before this one;
 * {@code claimToken} fences the claim: only the holder of the row's current token can record an outcome.
 * {@code traceparent} is the trace of the event's consumer span (null when tracing is off), which the attempt joins.
 */
public record DueNotification(UUID id, UUID subscriptionId, String eventId, String eventType, String nctId,
                              String body, int attempts, UUID claimToken, String traceparent) {
}
