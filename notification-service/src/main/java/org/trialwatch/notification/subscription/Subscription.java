package org.trialwatch.notification.subscription;

import java.time.Instant;
import java.util.UUID;

import org.trialwatch.notification.matching.SubscriptionFilter;

/** A team's standing request to hear of matching events on one channel. */
public record Subscription(UUID id, String team, String name, Channel channel, String url, String email,
                           String contactEmail, SubscriptionFilter filter, boolean enabled, String disabledReason,
                           Instant createdAt, Instant updatedAt) {

    /** Where a notice about this subscription (e.g. it was disabled) goes, if anywhere. */
    public String noticeAddress() {
        if (contactEmail != null) {
            return contactEmail;
        }
        return channel == Channel.EMAIL ? email : null;
    }
}
