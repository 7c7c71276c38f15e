package org.trialwatch.notification.testing;

import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A real SMTP server (GreenMail) for the test JVM; the mailer talks SMTP to it, no mock. */
public class GreenMailResource implements QuarkusTestResourceLifecycleManager {

    private static GreenMail smtp;

    public static synchronized GreenMail smtp() {
        return smtp;
    }

    @Override
    public synchronized Map<String, String> start() {
        // GreenMail binds a port of its own choosing and says which: a port found free and released first could be
        // taken meanwhile by an outgoing connection (it comes from the same ephemeral range)
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        int port = smtp.getSmtp().getPort();
        return Map.of("quarkus.mailer.host", "127.0.0.1", "quarkus.mailer.port", Integer.toString(port),
                "quarkus.mailer.mock", "false", "quarkus.mailer.start-tls", "DISABLED");
    }

    @Override
    public synchronized void stop() {
        if (smtp != null) {
            smtp.stop();
        }
    }
}
