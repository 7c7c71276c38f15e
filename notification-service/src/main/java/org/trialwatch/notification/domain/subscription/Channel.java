package org.trialwatch.notification.domain.subscription;

/**
 * How a subscription is told (the API spells it through {@code SubscriptionRequests.Channel}). The live stream needs no
 * subscription: it takes the same filters as query parameters.
 */
public enum Channel {
    WEBHOOK,
    EMAIL
}
