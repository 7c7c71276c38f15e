package org.trialwatch.dashboard.client;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The notification service's wire shapes, as far as the dashboard reads and writes them. */
public final class NotificationModel {

    private NotificationModel() {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Filter(List<String> nctIds, List<String> tumourTypes, List<String> mechanisms,
                         List<String> therapyClasses, List<String> eventTypes, List<String> statusTransitions,
                         List<String> evidenceGroups) {

        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isEverything() {
            return empty(nctIds) && empty(tumourTypes) && empty(mechanisms) && empty(therapyClasses)
                    && empty(eventTypes) && empty(statusTransitions) && empty(evidenceGroups);
        }

        private static boolean empty(List<String> l) {
            return l == null || l.isEmpty();
        }
    }

    /** {@code channel} is "webhook" or "email", as the API spells it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Create(String name, String channel, String url, String email, String contactEmail, Filter filter) {
    }

    /** Fields left null stay as they are; {@code filter} replaces the whole filter. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Patch(String name, String url, String email, String contactEmail, Filter filter, Boolean enabled) {

        public static Patch enabled(boolean enabled) {
            return new Patch(null, null, null, null, null, enabled);
        }
    }

    /** {@code contactEmailConfirmed} is null when there is no contact address. */
    public record Subscription(UUID id, String team, String name, String channel, String url, String email,
                               String contactEmail, Boolean contactEmailConfirmed, Filter filter, boolean enabled,
                               String disabledReason, Instant createdAt, Instant updatedAt, String secret,
                               Verification verification) {

        /** True while the address has not confirmed or the endpoint has not answered its verification event. */
        public boolean pending() {
            return verification != null && "pending".equals(verification.status());
        }

        /** True while the contact address has not followed the link mailed to it (it is told nothing until then). */
        public boolean contactEmailUnconfirmed() {
            return contactEmail != null && Boolean.FALSE.equals(contactEmailConfirmed);
        }
    }

    /** Whether the target agreed to receive deliveries: {@code verified} or {@code pending} (with a coarse reason). */
    public record Verification(String status, Instant verifiedAt, String reason) {
    }

    public record RotatedSecret(UUID subscriptionId, String secret, Instant previousSecretsValidUntil) {
    }

    public record Accepted(UUID notificationId, String status) {
    }

    public record Attempt(int attempt, Instant at, Integer statusCode, long latencyMs, String outcome, String error) {
    }

    public record Delivery(UUID notificationId, String eventId, String eventType, String nctId, String status,
                           int attempts, Instant nextAttemptAt, String lastError, Instant createdAt,
                           Instant deliveredAt, Instant deadLetteredAt, List<Attempt> attemptLog) {
    }

    /** The newest page of a subscription's deliveries (the dashboard shows only that page). */
    public record Deliveries(UUID subscriptionId, List<Delivery> items, String next, int limit) {
    }
}
