package org.trialwatch.notification.rest;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import org.trialwatch.notification.domain.matching.SubscriptionFilter;
import org.trialwatch.notification.domain.subscription.Subscription;

/** The wire shapes of the subscription API (the entity is never exposed as is). */
public final class SubscriptionRequests {

    private SubscriptionRequests() {
    }

    /**
     * A subscription's channel as the API spells it ({@code webhook}, {@code email}): the wire names live here, so the
     * domain's channel stays free of JSON annotations.
     */
    public enum Channel {
        @JsonProperty("webhook") WEBHOOK,
        @JsonProperty("email") EMAIL;

        org.trialwatch.notification.domain.subscription.Channel domain() {
            return org.trialwatch.notification.domain.subscription.Channel.valueOf(name());
        }

        static Channel of(org.trialwatch.notification.domain.subscription.Channel channel) {
            return channel == null ? null : valueOf(channel.name());
        }
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
                       String contactEmail,
                       @Schema(description = "Whether contactEmail followed the confirmation link mailed to it; until"
                               + " it does, no notice of a failing or disabled endpoint is mailed to it. Absent when"
                               + " there is no contactEmail.")
                       Boolean contactEmailConfirmed,
                       SubscriptionFilter filter, boolean enabled, String disabledReason,
                       Instant createdAt, Instant updatedAt, Verification verification, String secret) {

        static View of(Subscription s, String secret) {
            return new View(s.id(), s.team(), s.name(), Channel.of(s.channel()), s.url(), s.email(), s.contactEmail(),
                    s.contactEmail() == null ? null : s.contactEmailConfirmed(), s.filter(),
                    s.enabled(), s.disabledReason(), s.createdAt(), s.updatedAt(), Verification.of(s), secret);
        }
    }

    /**
     * Whether the target agreed to the deliveries: {@code verified} (since {@code verifiedAt}) or {@code pending}, with
     * why ({@code reason}). A pending subscription matches nothing.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Verification(String status, Instant verifiedAt, String reason) {

        static Verification of(Subscription s) {
            if (s.verified()) {
                return new Verification("verified", s.verifiedAt(), null);
            }
            return new Verification("pending", null, s.verificationError() != null ? s.verificationError()
                    : s.channel() == org.trialwatch.notification.domain.subscription.Channel.EMAIL
                    ? "waiting for the address to confirm" : "waiting for the endpoint to answer the verification event");
        }
    }

    /** What following a confirmation link answers. */
    public record Confirmed(UUID subscriptionId, String email, String verification) {
    }

    /** What following a contact address's confirmation link answers. */
    public record ContactConfirmed(UUID subscriptionId, String contactEmail, boolean contactEmailConfirmed) {
    }

    public record RotatedSecret(UUID subscriptionId, String secret, Instant previousSecretsValidUntil) {
    }

    public record Accepted(UUID notificationId, String status) {
    }
}
