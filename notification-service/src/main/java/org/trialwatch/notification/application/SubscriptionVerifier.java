package org.trialwatch.notification.application;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.vertx.core.Vertx;

import org.trialwatch.notification.config.NotificationSettings;
import org.trialwatch.notification.domain.delivery.AttemptResult;
import org.trialwatch.notification.delivery.mail.MailSender;
import org.trialwatch.notification.domain.subscription.Channel;
import org.trialwatch.notification.domain.subscription.Subscription;
import org.trialwatch.notification.persistence.SubscriptionStore;
import org.trialwatch.notification.delivery.webhook.WebhookPayloads;
import org.trialwatch.notification.delivery.webhook.WebhookSender;
import org.trialwatch.notification.delivery.webhook.WebhookTargetGuard;
import org.trialwatch.notification.delivery.mail.ConfirmationTokens;

/**
 * Asks a subscription's target whether it wants the deliveries, before any is made (a team's token must not be enough
 * to direct mails at someone else's inbox or requests at someone else's endpoint):
 * <ul>
 * <li>an e-mail address gets a mail with a signed, expiring link ({@link ConfirmationTokens}); following it confirms;</li>
 * <li>a webhook endpoint gets a signed verification event ({@link WebhookPayloads#VERIFICATION_TYPE}) and is verified
 * when it answers 2xx. This runs in the request that creates the subscription (a worker thread, never the event loop),
 * bounded by {@code trialwatch.webhooks.verification-deadline}.</li>
 * </ul>
 * Until then the subscription matches nothing. What went wrong is kept coarse, as for deliveries.
 * <p>
 * A subscription's contact address is asked the same way, by its own link ({@link ConfirmationTokens.Purpose#CONTACT_ADDRESS}),
 * and is told nothing else until it follows it.
 */
@ApplicationScoped
public class SubscriptionVerifier {

    private static final Logger LOG = Logger.getLogger(SubscriptionVerifier.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SubscriptionStore store;
    private final MailSender mail;
    private final ConfirmationTokens tokens;
    private final NotificationSettings settings;
    private final WebhookSender webhooks;

    public SubscriptionVerifier(SubscriptionStore store, MailSender mail, ConfirmationTokens tokens,
                                NotificationSettings settings, WebhookTargetGuard guard, Vertx vertx) {
        this.store = store;
        this.mail = mail;
        this.tokens = tokens;
        this.settings = settings;
        this.webhooks = new WebhookSender(vertx, guard, settings.webhooks().connectTimeout(),
                settings.webhooks().verificationDeadline(), 4096);
    }

    /**
     * Sends the confirmation mail or verification event of an unverified subscription (the event signed with its
     * live secrets) and returns the subscription as it then stands.
     */
    public Subscription start(Subscription s) {
        if (s.verified()) {
            return s;
        }
        String outcome = s.channel() == Channel.EMAIL ? sendConfirmation(s) : verifyEndpoint(s);
        return store.find(s.id()).orElse(s.withVerification(null, outcome));
    }

    /** The pending reason when the team's verification budget is spent. */
    public Subscription notStarted(Subscription s, String reason) {
        store.markPending(s.id(), s.target(), reason);
        return s.withVerification(null, reason);
    }

    /** Confirms the address if the link is valid for the subscription as it is now. */
    public ConfirmationTokens.Check confirm(Subscription s, long expires, String token) {
        if (s.channel() != Channel.EMAIL) {
            return ConfirmationTokens.Check.INVALID;
        }
        Instant now = Instant.now();
        ConfirmationTokens.Check check = tokens.check(s.id(), s.email(), expires, token, now);
        if (check == ConfirmationTokens.Check.VALID && !store.markVerified(s.id(), s.email(), now)) {
            return ConfirmationTokens.Check.INVALID; // the address changed meanwhile
        }
        return check;
    }

    /** Checks a link without confirming anything (for a subscription already verified). */
    public ConfirmationTokens.Check confirmationCheck(Subscription s, long expires, String token) {
        return s.channel() != Channel.EMAIL ? ConfirmationTokens.Check.INVALID
                : tokens.check(s.id(), s.email(), expires, token, Instant.now());
    }

    /**
     * Mails the contact address its confirmation link, if it has one still unconfirmed. A mail the SMTP server does
     * not take is tried again in the background for a while ({@link MailSender}); the team can also ask again with
     * {@code POST /api/subscriptions/{id}/verify}.
     */
    public void startContactConfirmation(Subscription s) {
        if (!s.contactEmailPending()) {
            return;
        }
        Instant expires = Instant.now().plus(settings.mail().confirmationValidity()).truncatedTo(
                java.time.temporal.ChronoUnit.SECONDS);
        String token = tokens.token(ConfirmationTokens.Purpose.CONTACT_ADDRESS, s.id(), s.contactEmail(), expires);
        String link = link(s.id(), "contact/confirm", expires, token);
        mail.sendContactConfirmation(s.contactEmail(), s, link, expires);
    }

    /**
     * Confirms the contact address if the link is valid for the subscription's contact address as it is now. A
     * valid link for an address already confirmed confirms nothing new and is answered as valid.
     */
    public ConfirmationTokens.Check confirmContact(Subscription s, long expires, String token) {
        Instant now = Instant.now();
        ConfirmationTokens.Check check = tokens.check(ConfirmationTokens.Purpose.CONTACT_ADDRESS, s.id(),
                s.contactEmail(), expires, token, now);
        if (check == ConfirmationTokens.Check.VALID && !s.contactEmailConfirmed()
                && !store.markContactConfirmed(s.id(), s.contactEmail(), now)) {
            return ConfirmationTokens.Check.INVALID; // the address changed meanwhile
        }
        if (check == ConfirmationTokens.Check.EXPIRED && s.contactEmailConfirmed()) {
            return ConfirmationTokens.Check.VALID; // an old link of an address that did confirm: nothing to do
        }
        return check;
    }

    private String sendConfirmation(Subscription s) {
        Instant expires = Instant.now().plus(settings.mail().confirmationValidity()).truncatedTo(
                java.time.temporal.ChronoUnit.SECONDS);
        String link = link(s.id(), "confirm", expires, tokens.token(s.id(), s.email(), expires));
        String reason;
        try {
            mail.sendConfirmation(s.email(), s, link, expires);
            reason = "waiting for the address to confirm: follow the link mailed to it before " + expires;
        } catch (RuntimeException e) {
            LOG.warnf("confirmation mail for subscription %s could not be sent: %s", s.id(), e.toString());
            reason = "the confirmation mail could not be sent; ask again with POST /api/subscriptions/" + s.id()
                    + "/verify";
        }
        store.markPending(s.id(), s.email(), reason);
        return reason;
    }

    private String verifyEndpoint(Subscription s) {
        List<String> secrets = store.liveSecrets(s.id(), Instant.now());
        byte[] challenge = new byte[24];
        RANDOM.nextBytes(challenge);
        Instant now = Instant.now();
        String body = WebhookPayloads.forVerification(s.id().toString(),
                Base64.getUrlEncoder().withoutPadding().encodeToString(challenge), now);
        AttemptResult result = webhooks.send(s.url(), "verify_" + UUID.randomUUID(), body, secrets, now);
        if (result.succeeded()) {
            store.markVerified(s.id(), s.url(), Instant.now());
            return null;
        }
        String reason = "the endpoint did not accept the verification event (" + result.error()
                + "); answer it with 2xx, then ask again with POST /api/subscriptions/" + s.id() + "/verify";
        store.markPending(s.id(), s.url(), reason);
        return reason;
    }

    private String link(UUID id, String action, Instant expires, String token) {
        String base = settings.links().notificationBaseUrl();
        base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return base + "/api/subscriptions/" + id + "/" + action + "?expires=" + expires.getEpochSecond() + "&token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }
}
