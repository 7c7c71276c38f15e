package org.trialwatch.notification.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import org.trialwatch.notification.delivery.AttemptResult;

/** The sender against raw sockets that misbehave the way real endpoints do. */
class WebhookSenderTest {

    private static final WebhookTargetGuard LOCAL = WebhookTargetGuard.withSystemDns(Set.of("127.0.0.1"));
    private static final List<String> SECRETS = List.of(WebhookSecret.generate(new java.security.SecureRandom(), 32));

    /** Serves one connection: reads the request head, then lets {@code answer} write (and keeps the socket open). */
    private static ServerSocket serveOnce(Consumer<OutputStream> answer) throws IOException {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try (Socket socket = server.accept()) {
                InputStream in = socket.getInputStream();
                int matched = 0;
                byte[] end = {'\r', '\n', '\r', '\n'};
                for (int b; matched < 4 && (b = in.read()) != -1; ) {
                    matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
                }
                answer.accept(socket.getOutputStream());
            } catch (IOException e) {
                // the sender hung up
            }
        });
        t.setDaemon(true);
        t.start();
        return server;
    }

    private static void write(OutputStream out, String text) {
        try {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void headersFollowedBySilenceFailTheAttemptAtTheDeadline() throws Exception {
        try (ServerSocket server = serveOnce(out -> {
            write(out, "HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{");
            try {
                Thread.sleep(60_000); // never finishes the body
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })) {
            WebhookSender sender = new WebhookSender(LOCAL, Duration.ofSeconds(1), Duration.ofSeconds(1), 65536, 2048);
            AttemptResult result = sender.send("http://127.0.0.1:" + server.getLocalPort() + "/hook", "msg_1", "{}",
                    SECRETS, Instant.now());
            assertThat(result.succeeded()).isFalse();
            assertThat(result.statusCode()).isNull();
            assertThat(result.error()).contains("HTTP 200").contains("deadline");
        }
    }

    @Test
    void anEndlessAnswerIsReadOnlyUpToTheLimit() throws Exception {
        try (ServerSocket server = serveOnce(out -> {
            write(out, "HTTP/1.1 500 Internal Server Error\r\ntransfer-encoding: chunked\r\n\r\n");
            String chunk = "x".repeat(4096);
            while (true) { // streams for ever, until the sender hangs up
                write(out, Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
            }
        })) {
            WebhookSender sender = new WebhookSender(LOCAL, Duration.ofSeconds(5), Duration.ofSeconds(30), 65536, 100);
            AttemptResult result = sender.send("http://127.0.0.1:" + server.getLocalPort() + "/hook", "msg_2", "{}",
                    SECRETS, Instant.now());
            assertThat(result.statusCode()).isEqualTo(500);
            assertThat(result.error()).isEqualTo("response: " + "x".repeat(100));
        }
    }
}
