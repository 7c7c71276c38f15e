package org.trialwatch.notification.rest;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.trialwatch.notification.matching.SubscriptionFilter;
import org.trialwatch.notification.subscription.Channel;
import org.trialwatch.notification.subscription.Subscription;

/** The wire shapes of the subscription API (the entity is never exposed as is). */
public final class SubscriptionRequests {

    private SubscriptionRequests() {
    }

    public record Create(String name, Channel channel, String url, String email, String contactEmail,
                         SubscriptionFilter filter, Boolean enabled) {
    }

    /** Fields left out (or null) stay as they are; {@code filter} replaces the whole filter. */
    public record Patch(String name, String url, String email, String contactEmail, SubscriptionFilter filter,
                        Boolean enabled) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record View(UUID id, String team, String name, Channel channel, String url, String email,
                       String contactEmail, SubscriptionFilter filter, boolean enabled, String disabledReason,
                       Instant createdAt, Instant updatedAt, String secret) {

        static View of(Subscription s, String secret) {
            return new View(s.id(), s.team(), s.name(), s.channel(), s.url(), s.email(), s.contactEmail(), s.filter(),
                    s.enabled(), s.disabledReason(), s.createdAt(), s.updatedAt(), secret);
        }
    }

    public record RotatedSecret(UUID subscriptionId, String secret, Instant previousSecretsValidUntil) {
    }

    public record Accepted(UUID notificationId, String status) {
    }
}
