package org.trialwatch.notification.testing;

import java.io.IOException;
import java.net.ServerSocket;
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
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
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
