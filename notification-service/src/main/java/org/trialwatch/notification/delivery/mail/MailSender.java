package org.trialwatch.notification.delivery.mail;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.smallrye.mutiny.TimeoutException;

import org.jboss.logging.Logger;

import org.trialwatch.events.EventJson;
import org.trialwatch.notification.domain.delivery.AttemptResult;
import org.trialwatch.notification.domain.subscription.Subscription;

/**
 * E-mail over SMTP: notifications for e-mail subscriptions, and notices that an endpoint was disabled. A send the
 * server refuses is tried once more before it counts as failed: the mailer pools its connections, and one the server
 * closed for idleness just as it was taken fails the send although the server is fine (seen in CI: a confirmation mail
 * was lost that way). A confirmation or notice is sent once, so that loss is not retried by anyone else.
 */
@ApplicationScoped
public class MailSender {

    private static final Logger LOG = Logger.getLogger(MailSender.class);

    private final Mailer mailer;

    public MailSender(Mailer mailer) {
        this.mailer = mailer;
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
     * mailed to it until the link is followed. Throws when the SMTP server does not take the mail.
     */
    public void sendContactConfirmation(String to, Subscription subscription, String link, Instant expires) {
        String text = "Team " + subscription.team() + " of TrialWatch named this address as the contact of its"
                + " subscription \"" + subscription.name() + "\" (" + subscription.id() + "): the address told when"
                + " the subscription's endpoint keeps failing or is disabled. It receives no trial or evidence"
                + " notifications.\n\nTo receive these notices, confirm the address by opening this link before "
                + expires + ":\n\n" + link + "\n\nIf you did not expect this, ignore this mail: nothing will be sent"
                + " to you.\n";
        send(Mail.withText(to, "TrialWatch: confirm the contact address of subscription "
                + subscription.name(), text));
    }

    public void sendDisabledNotice(String to, Subscription subscription, String reason, Instant at) {
        String text = "The TrialWatch subscription \"" + subscription.name() + "\" (" + subscription.id()
                + ") of team " + subscription.team() + " was disabled at " + at + ".\n\nReason: " + reason
                + "\nTarget: " + (subscription.url() != null ? subscription.url() : subscription.email())
                + "\n\nFix the endpoint, then re-enable it with PATCH /api/subscriptions/" + subscription.id()
                + " {\"enabled\": true} and replay what was dead-lettered.\n";
        send(Mail.withText(to, "TrialWatch: subscription " + subscription.name() + " disabled", text));
    }

    /**
     * Sends the mail, trying once more if the first try fails fast; throws what the second try threw. A try that ran
     * into {@code quarkus.mailer.timeout} is not repeated: that server is slow, not gone, and a second wait would hold
     * the sender thread as long again.
     */
    void send(Mail mail) {
        try {
            mailer.send(mail);
        } catch (TimeoutException slow) {
            throw slow;
        } catch (RuntimeException first) {
            LOG.infof("SMTP send failed (%s); trying once more", first.getMessage());
            mailer.send(mail);
        }
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
