package org.trialwatch.notification.delivery.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.vertx.ext.mail.SMTPException;

import org.trialwatch.notification.domain.delivery.AttemptResult;

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
        public void send(Mail... mails) {
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

    @Test
    void aSendRefusedOnceIsTakenOnTheSecondTry() {
        ScriptedMailer server = new ScriptedMailer(refusal(421, "Service closing transmission channel"));
        AttemptResult result = new MailSender(server).sendNotification("team@example.org", EVENT);
        assertThat(result.succeeded()).isTrue();
        assertThat(server.tries).isEqualTo(2);
        assertThat(server.taken).singleElement().satisfies(m -> {
            assertThat(m.getTo()).containsExactly("team@example.org");
            assertThat(m.getSubject()).isEqualTo("TrialWatch: trial.status_changed NCT05379985");
        });
    }

    @Test
    void aSendRefusedTwiceFailsTheAttemptWithTheSecondAnswer() {
        ScriptedMailer server = new ScriptedMailer(refusal(421, "Service closing transmission channel"),
                refusal(550, "mailbox unavailable"));
        AttemptResult result = new MailSender(server).sendNotification("team@example.org", EVENT);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.error()).contains("550 mailbox unavailable");
        assertThat(server.tries).isEqualTo(2);
        assertThat(server.taken).isEmpty();
    }

    @Test
    void aTryThatRanIntoTheTimeoutIsNotRepeated() {
        ScriptedMailer server = new ScriptedMailer(new io.smallrye.mutiny.TimeoutException());
        MailSender sender = new MailSender(server);
        assertThatThrownBy(() -> sender.send(Mail.withText("team@example.org", "s", "t")))
                .isInstanceOf(io.smallrye.mutiny.TimeoutException.class);
        assertThat(server.tries).isEqualTo(1);
    }
}
