package org.trialwatch.notification.delivery;

import java.util.UUID;

/** A notification claimed for one attempt. {@code attempts} counts the attempts made before this one. */
public record DueNotification(UUID id, UUID subscriptionId, String eventId, String eventType, String nctId,
                              String body, int attempts) {
}
