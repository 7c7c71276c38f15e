package org.trialwatch.notification.domain.subscription;

import java.time.Instant;
import java.util.UUID;

import org.trialwatch.notification.domain.matching.SubscriptionFilter;

/**
 * A team's standing request to hear of matching events on one channel. It delivers only once its target is verified
 * ({@code verifiedAt}): the address followed its confirmation link, the endpoint answered the verification event.
 * Its contact address, if any, is told of a failing endpoint only once it has confirmed too
 * ({@code contactEmailConfirmedAt}).
 */
public record Subscription(UUID id, String team, String name, Channel channel, String url, String email,
                           String contactEmail, SubscriptionFilter filter, boolean enabled, String disabledReason,
                           Instant createdAt, Instant updatedAt, Instant verifiedAt, String verificationError,
                           Instant contactEmailConfirmedAt) {

    public boolean verified() {
        return verifiedAt != null;
    }

    /** Where deliveries go: the webhook URL or the e-mail address; what verification vouches for. */
    public String target() {
        return channel == Channel.WEBHOOK ? url : email;
    }

    /** The same subscription with its verification state replaced. */
    public Subscription withVerification(Instant verifiedAt, String verificationError) {
        return new Subscription(id, team, name, channel, url, email, contactEmail, filter, enabled, disabledReason,
                createdAt, updatedAt, verifiedAt, verificationError, contactEmailConfirmedAt);
    }

    /** Whether the contact address followed its confirmation link; false when there is none. */
    public boolean contactEmailConfirmed() {
        return contactEmail != null && contactEmailConfirmedAt != null;
    }

    /** Whether there is a contact address still waiting to confirm (nothing but its confirmation goes there). */
    public boolean contactEmailPending() {
        return contactEmail != null && contactEmailConfirmedAt == null;
    }

    /**
     * Where a notice about this subscription (e.g. it was disabled) goes, if anywhere: a contact address only once it
     * confirmed; until then the notice goes where it would without one.
     */
    public String noticeAddress() {
        if (contactEmailConfirmed()) {
            return contactEmail;
        }
        return channel == Channel.EMAIL ? email : null;
    }
}
