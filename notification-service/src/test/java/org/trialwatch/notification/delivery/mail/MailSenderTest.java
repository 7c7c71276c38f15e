package org.trialwatch.notification.delivery.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.smallrye.mutiny.TimeoutException;
import io.vertx.ext.mail.SMTPException;

import org.trialwatch.notification.domain.delivery.AttemptResult;
import org.trialwatch.notification.domain.matching.SubscriptionFilter;
import org.trialwatch.notification.domain.subscription.Channel;
import org.trialwatch.notification.domain.subscription.Subscription;

/**
 * What a refused SMTP send does to a mail. The mailer here answers each try as scripted. The failure it stands for is
 * real: a pooled connection the server closes for idleness just as it is taken fails the send (against GreenMail with
 * the Vert.x mail client, about one send in a hundred made right at the server's idle limit failed that way).
 */
class MailSenderTest {

    /** A mailer whose n-th try throws the n-th answer, or takes the mail when the answer is null. */
    private static final class ScriptedMailer implements Mailer {
        final List<Mail> taken = new ArrayList<>();
        final List<RuntimeException> answers;
        int tries;

        ScriptedMailer(RuntimeException... answers) {
            this.answers = new ArrayList<>(java.util.Arrays.asList(answers));
        }

        @Override
        public synchronized void send(Mail... mails) {
            RuntimeException answer = tries < answers.size() ? answers.get(tries) : null;
            tries++;
            if (answer != null) {
                throw answer;
            }
            taken.addAll(List.of(mails));
        }
    }

    /**
     * What the blocking mailer throws when the server answers a command with an error: Mutiny's await wraps the
     * client's SMTPException, which is not a RuntimeException.
     */
    private static RuntimeException refusal(int code, String line) {
        return new CompletionException(new SMTPException(code + " " + line, code, List.of(code + " " + line), false));
    }

    private static final String EVENT = "{\"type\":\"trial.status_changed\",\"data\":{\"nctId\":\"NCT05379985\","
            + "\"previousStatus\":\"RECRUITING\",\"newStatus\":\"SUSPENDED\"}}";

    private static Subscription subscription() {
        Instant at = Instant.parse("2026-12-02T00:00:00Z");
        return new Subscription(UUID.fromString("00000000-0000-0000-0000-000000000001"), "team-a", "mail a",
                Channel.EMAIL, null, "new@example.org", null, SubscriptionFilter.everything(), true, null, at, at, null,
                null, null);
    }

    private final List<Duration> pauses = new ArrayList<>();

    /** Background retries here pause 10 to 40 ms and give up after 2 s. */
    private MailSender sender(Mailer server) {
        return new MailSender(server, pauses::add, new MailSender.KeepTrying(Duration.ofMillis(10),
                Duration.ofMillis(40), Duration.ofSeconds(2)), Runnable::run);
    }

    @Test
    void aSendRefusedOnceIsTakenOnTheSecondTry() {
        ScriptedMailer server = new ScriptedMailer(refusal(421, "Service closing transmission channel"));
        AttemptResult result = sender(server).sendNotification("team@example.org", EVENT);
        assertThat(result.succeeded()).isTrue();
        assertThat(server.tries).isEqualTo(2);
        assertThat(pauses).containsExactly(Duration.ofMillis(200));
        assertThat(server.taken).singleElement().satisfies(m -> {
            assertThat(m.getTo()).containsExactly("team@example.org");
            assertThat(m.getSubject()).isEqualTo("TrialWatch: trial.status_changed NCT05379985");
        });
    }

    @Test
    void aSendRefusedTwiceIsTakenOnTheThirdTry() {
        ScriptedMailer server = new ScriptedMailer(refusal(421, "Service closing transmission channel"),
                refusal(421, "Service closing transmission channel"));
        sender(server).sendConfirmation("new@example.org", subscription(), "http://localhost/confirm",
                Instant.parse("2026-12-03T00:00:00Z"));
        assertThat(server.tries).isEqualTo(3);
        assertThat(server.taken).singleElement().satisfies(m -> assertThat(m.getTo()).containsExactly(
                "new@example.org"));
        assertThat(pauses).containsExactly(Duration.ofMillis(200), Duration.ofSeconds(1));
    }

    @Test
    void aSendRefusedThreeTimesFailsTheAttemptWithTheLastAnswer() {
        ScriptedMailer server = new ScriptedMailer(refusal(421, "Service closing transmission channel"),
                refusal(421, "Service closing transmission channel"), refusal(550, "mailbox unavailable"));
        AttemptResult result = sender(server).sendNotification("team@example.org", EVENT);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.error()).contains("550 mailbox unavailable");
        assertThat(server.tries).isEqualTo(3);
        assertThat(server.taken).isEmpty();
    }

    @Test
    void aTryThatRanIntoTheTimeoutIsNotRepeated() {
        ScriptedMailer server = new ScriptedMailer(new TimeoutException());
        MailSender sender = sender(server);
        assertThatThrownBy(() -> sender.send(Mail.withText("team@example.org", "s", "t")))
                .isInstanceOf(TimeoutException.class);
        assertThat(server.tries).isEqualTo(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void aContactConfirmationRefusedByEveryQuickTryIsTakenByALaterOneInTheBackground() {
        RuntimeException closing = refusal(421, "Service closing transmission channel");
        ScriptedMailer server = new ScriptedMailer(closing, closing, closing, closing, closing);
        sender(server).sendContactConfirmation("contact@example.org", subscription(), "http://localhost/confirm",
                Instant.parse("2026-12-03T00:00:00Z"));
        await().atMost(Duration.ofSeconds(5)).until(() -> !server.taken.isEmpty());
        assertThat(server.taken).singleElement().satisfies(m -> {
            assertThat(m.getTo()).containsExactly("contact@example.org");
            assertThat(m.getSubject()).isEqualTo("TrialWatch: confirm the contact address of subscription mail a");
        });
        assertThat(server.tries).isEqualTo(6);
    }

    @Test
    void aDisabledNoticeThatRanIntoTheTimeoutIsSentOnceMoreInTheBackground() {
        ScriptedMailer server = new ScriptedMailer(new TimeoutException());
        sender(server).sendDisabledNotice("ops@example.org", subscription(), "endpoint answered 410 Gone",
                Instant.parse("2026-12-02T12:00:00Z"));
        await().atMost(Duration.ofSeconds(5)).until(() -> !server.taken.isEmpty());
        assertThat(server.taken).singleElement()
                .satisfies(m -> assertThat(m.getTo()).containsExactly("ops@example.org"));
        assertThat(server.tries).isEqualTo(2);
    }

    @Test
    void aSecondTimeoutEndsTheBackgroundTries() throws Exception {
        ScriptedMailer server = new ScriptedMailer(new TimeoutException(), new TimeoutException());
        sender(server).sendContactConfirmation("contact@example.org", subscription(), "http://localhost/confirm",
                Instant.parse("2026-12-03T00:00:00Z"));
        await().atMost(Duration.ofSeconds(5)).until(() -> server.tries >= 2);
        Thread.sleep(200); // ten times the background retries' longest pause here
        assertThat(server.tries).isEqualTo(2);
        assertThat(server.taken).isEmpty();
    }
}
