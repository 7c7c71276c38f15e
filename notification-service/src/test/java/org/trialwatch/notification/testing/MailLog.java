package org.trialwatch.notification.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Pattern;

import org.jboss.logmanager.ExtLogRecord;

/**
 * What was logged while a test ran, for the message of a test that waited in vain for a mail: CI shows only the end
 * of the build's output, and a lost mail is otherwise explained by lines far above it. Keeps every warning and error
 * (a blocked event loop, a failed send) and the informational lines about mail.
 */
public final class MailLog {

    private static final Pattern ABOUT_MAIL = Pattern.compile(
            "(?is).*(mail|smtp|confirm|contact|Created user).*");
    private static final List<String> LINES = new ArrayList<>();
    private static boolean installed;

    private MailLog() {
    }

    /** Starts listening (once per JVM); lines from before are dropped. */
    public static synchronized void start() {
        LINES.clear();
        if (installed) {
            return;
        }
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() < Level.INFO.intValue()) {
                    return;
                }
                // the service logs through JBoss Logging: its records know their own format style
                String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage()
                        : new SimpleFormatter().formatMessage(record);
                String line = Instant.ofEpochMilli(record.getMillis()) + " " + record.getLevel() + " "
                        + record.getLoggerName().replaceAll(".*\\.", "") + ": " + message
                        + (record.getThrown() != null ? " (" + record.getThrown() + ")" : "");
                if (record.getLevel().intValue() < Level.WARNING.intValue() && !ABOUT_MAIL.matcher(line).matches()) {
                    return;
                }
                synchronized (MailLog.class) {
                    if (LINES.size() < 200) {
                        LINES.add(line);
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger("").addHandler(handler);
        installed = true;
    }

    /** The lines kept since {@link #start()}, oldest first, on one line. */
    public static synchronized String relevant() {
        if (!installed) {
            return "(not recorded: the test did not call MailLog.start())";
        }
        return LINES.isEmpty() ? "(no warning and nothing about mail)" : String.join(" | ", LINES);
    }
}
