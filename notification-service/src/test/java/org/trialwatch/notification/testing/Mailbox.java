package org.trialwatch.notification.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.icegreen.greenmail.util.GreenMailUtil;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/** What the test SMTP server received. */
public final class Mailbox {

    public record Mail(String to, String subject, String body) {
    }

    private Mailbox() {
    }

    /** The text as the recipient reads it (decoded from its transfer encoding, so a long link is whole). */
    private static String text(MimeMessage m) throws MessagingException {
        try {
            Object content = m.getContent();
            return content instanceof String text ? text : GreenMailUtil.getBody(m);
        } catch (java.io.IOException e) {
            return GreenMailUtil.getBody(m);
        }
    }

    /** Every received mail as "recipients: subject", on one line, for a failure message. */
    public static String summary() throws MessagingException {
        List<String> mails = new ArrayList<>();
        for (MimeMessage m : GreenMailResource.smtp().getReceivedMessages()) {
            mails.add(Arrays.toString(m.getRecipients(Message.RecipientType.TO)) + ": " + m.getSubject());
        }
        return mails.size() + " mail(s) " + mails;
    }

    public static List<Mail> to(String address) throws MessagingException {
        List<Mail> mails = new ArrayList<>();
        for (MimeMessage m : GreenMailResource.smtp().getReceivedMessages()) {
            for (var recipient : m.getRecipients(Message.RecipientType.TO)) {
                if (recipient.toString().contains(address)) {
                    mails.add(new Mail(address, m.getSubject(), text(m)));
                }
            }
        }
        return mails;
    }
}
