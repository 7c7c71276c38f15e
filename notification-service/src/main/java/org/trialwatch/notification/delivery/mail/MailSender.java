package org.trialwatch.notification.delivery.mail;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

import org.jboss.logging.Logger;

import org.trialwatch.events.EventJson;
import org.trialwatch.notification.domain.delivery.AttemptResult;
import org.trialwatch.notification.domain.subscription.Subscription;

/**
 * E-mail over SMTP: notifications for e-mail subscriptions, confirmation mails, and notices that an endpoint was
 * disabled. A send that fails fast is tried up to twice more, after short pauses, before it counts as failed: the
 * mailer pools its connections, and one the server closed for idleness just as it was taken fails the send although
 * the server is fine. A contact address's confirmation and a disabled notice, which nobody else would send again, are
 * then kept trying in the background; a notification's failed attempt is retried by the delivery schedule, and a
 * failed confirmation mail is reported in the subscription's verification state.
 */
@ApplicationScoped
public class MailSender {

    private static final Logger LOG = Logger.getLogger(MailSender.class);

    /**
     * The pauses before the second and third try. A connection the server dropped fails at once, and the next try
     * usually gets a fresh one; the pauses give a server that is restarting a moment. Kept short: the caller (a REST
     * request or a delivery sender) waits for them.
     */
    static final List<Duration> PAUSES_BEFORE_RETRIES = List.of(Duration.ofMillis(200), Duration.ofSeconds(1));

    /** Waits between tries; tests pass one that does not sleep. */
    interface Pauser {
        void pause(Duration pause);
    }

    /**
     * How a mail that nobody else would send again (a contact address's confirmation, a disabled notice) is kept trying
     * in the background once its send failed: pauses growing from {@code firstPause} to {@code longestPause}, with
     * jitter, for {@code giveUpAfter}.
     */
    record KeepTrying(Duration firstPause, Duration longestPause, Duration giveUpAfter) {
        static final KeepTrying DEFAULT = new KeepTrying(Duration.ofSeconds(1), Duration.ofMinutes(5),
                Duration.ofHours(1));
    }

    private final Mailer mailer;
    private final Pauser pauser;
    private final KeepTrying keepTrying;
    private final Executor background;

    @Inject
    public MailSender(Mailer mailer) {
        this(mailer, MailSender::sleep, KeepTrying.DEFAULT, Infrastructure.getDefaultWorkerPool());
    }

    MailSender(Mailer mailer, Pauser pauser, KeepTrying keepTrying, Executor background) {
        this.mailer = mailer;
        this.pauser = pauser;
        this.keepTrying = keepTrying;
        this.background = background;
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted between SMTP tries", e);
        }
    }

    public AttemptResult sendNotification(String to, String body) {
        long started = System.nanoTime();
        try {
            JsonNode payload = EventJson.mapper().readTree(body);
            String type = payload.path("type").asText();
            JsonNode data = payload.path("data");
            String subject = "TrialWatch: " + type + (data.hasNonNull("nctId") ? " " + data.get("nctId").asText()
                    : data.hasNonNull("groupKey") ? " " + data.get("groupKey").asText() : "");
            String text = summary(type, data) + "\n\nEvent (JSON):\n"
                    + EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(payload) + "\n";
            send(Mail.withText(to, subject, text));
            return AttemptResult.success(250, (System.nanoTime() - started) / 1_000_000);
        } catch (Exception e) {
            return AttemptResult.noResponse("SMTP send failed: " + e.getMessage(), (System.nanoTime() - started) / 1_000_000);
        }
    }

    /**
     * Asks the address whether it wants the subscription's mails; nothing else is mailed to it until the link is
     * followed. Throws when the SMTP server does not take the mail.
     */
    public void sendConfirmation(String to, Subscription subscription, String link, Instant expires) {
        String text = "Team " + subscription.team() + " of TrialWatch asks to send notifications of trial and evidence"
                + " changes to this address (subscription \"" + subscription.name() + "\", " + subscription.id()
                + ").\n\nTo receive them, confirm the address by opening this link before " + expires + ":\n\n"
                + link + "\n\nIf you did not expect this, ignore this mail: nothing will be sent to you.\n";
        send(Mail.withText(to, "TrialWatch: confirm notifications to this address", text));
    }

    /**
     * Asks a subscription's contact address whether it wants the notices of a failing or disabled endpoint; none is
     * mailed to it until the link is followed. A mail the SMTP server does not take is tried again in the background
     * (nobody would notice its loss: the view only says the address has not confirmed).
     */
    public void sendContactConfirmation(String to, Subscription subscription, String link, Instant expires) {
        String text = "Team " + subscription.team() + " of TrialWatch named this address as the contact of its"
                + " subscription \"" + subscription.name() + "\" (" + subscription.id() + "): the address told when"
                + " the subscription's endpoint keeps failing or is disabled. It receives no trial or evidence"
                + " notifications.\n\nTo receive these notices, confirm the address by opening this link before "
                + expires + ":\n\n" + link + "\n\nIf you did not expect this, ignore this mail: nothing will be sent"
                + " to you.\n";
        sendUntilTaken(Mail.withText(to, "TrialWatch: confirm the contact address of subscription "
                + subscription.name(), text), "the contact confirmation mail of subscription " + subscription.id());
    }

    /** Tells that the subscription was disabled; a mail the SMTP server does not take is tried again in the background. */
    public void sendDisabledNotice(String to, Subscription subscription, String reason, Instant at) {
        String text = "The TrialWatch subscription \"" + subscription.name() + "\" (" + subscription.id()
                + ") of team " + subscription.team() + " was disabled at " + at + ".\n\nReason: " + reason
                + "\nTarget: " + (subscription.url() != null ? subscription.url() : subscription.email())
                + "\n\nFix the endpoint, then re-enable it with PATCH /api/subscriptions/" + subscription.id()
                + " {\"enabled\": true} and replay what was dead-lettered.\n";
        sendUntilTaken(Mail.withText(to, "TrialWatch: subscription " + subscription.name() + " disabled", text),
                "the disabled notice of subscription " + subscription.id());
    }

    /**
     * Sends the mail, trying again after {@link #PAUSES_BEFORE_RETRIES} if a try fails fast; throws what the last try
     * threw. A try that ran into {@code quarkus.mailer.timeout} is not repeated: that server is slow, not gone, the mail
     * may still arrive (the client goes on with it), and a second wait would hold the sender thread as long again.
     */
    void send(Mail mail) {
        for (int retry = 0; ; retry++) {
            try {
                mailer.send(mail);
                return;
            } catch (TimeoutException slow) {
                throw slow;
            } catch (RuntimeException failed) {
                if (retry == PAUSES_BEFORE_RETRIES.size()) {
                    throw failed;
                }
                Duration pause = PAUSES_BEFORE_RETRIES.get(retry);
                LOG.infof("SMTP send failed (%s); trying again in %d ms", failed.getMessage(), pause.toMillis());
                pauser.pause(pause);
            }
        }
    }

    /**
     * Sends the mail now (with {@link #send}'s quick tries); if the server does not take it, hands it to a background
     * retry ({@link KeepTrying}) and returns. A send that ran into the timeout is sent once more in the background, on
     * another connection: such a send was seen lost (CI, 2026-12-03: the server had taken the mail before it on the
     * same client a second earlier, and never received this one), and for a mail nobody would otherwise send again,
     * two copies are better than none. A background try that runs into the timeout again ends the retries.
     */
    void sendUntilTaken(Mail mail, String what) {
        try {
            send(mail);
            return;
        } catch (TimeoutException slow) {
            LOG.warnf("%s: the SMTP server did not answer in time; sending it once more in the background (a second "
                    + "copy arrives if the first was only slow)", what);
        } catch (RuntimeException failed) {
            LOG.warnf("%s was not taken (%s); trying again in the background for up to %s", what, failed.getMessage(),
                    keepTrying.giveUpAfter());
        }
        Uni.createFrom().item(() -> {
            mailer.send(mail);
            return mail;
        }).runSubscriptionOn(background)
                .onFailure(failure -> !(failure instanceof TimeoutException)).retry()
                .withBackOff(keepTrying.firstPause(), keepTrying.longestPause()).withJitter(0.2)
                .expireIn(keepTrying.giveUpAfter().toMillis())
                .subscribe().with(taken -> LOG.infof("%s was taken on a later try", what),
                        failure -> LOG.errorf("%s: gave up trying to send it (%s)", what, failure.toString()));
    }

    private static String summary(String type, JsonNode data) {
        if (data.hasNonNull("newStatus")) {
            return data.path("nctId").asText() + " changed status: "
                    + (data.hasNonNull("previousStatus") ? data.get("previousStatus").asText() : "(not verified)")
                    + " -> " + data.get("newStatus").asText()
                    + (data.hasNonNull("effectiveDate") ? " effective " + data.get("effectiveDate").asText() : "");
        }
        String link = data.path("links").path("trial").asText("");
        return type + (link.isEmpty() ? "" : "\nDetails: " + link);
    }
}
