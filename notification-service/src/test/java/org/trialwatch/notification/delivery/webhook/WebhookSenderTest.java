package org.trialwatch.notification.delivery.webhook;

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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;

import org.trialwatch.notification.domain.delivery.AttemptResult;

/** The sender against raw sockets that misbehave the way real endpoints do. */
class WebhookSenderTest {

    private static final WebhookTargetGuard LOCAL = WebhookTargetGuard.withSystemDns(Set.of("127.0.0.1"));
    private static final List<String> SECRETS = List.of(WebhookSecret.generate(new java.security.SecureRandom(), 32));
    private static final Vertx VERTX = Vertx.vertx();

    @AfterAll
    static void closeVertx() {
        VERTX.close();
    }

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
            WebhookSender sender = new WebhookSender(VERTX, LOCAL, Duration.ofSeconds(1), Duration.ofSeconds(1), 65536);
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
            WebhookSender sender = new WebhookSender(VERTX, LOCAL, Duration.ofSeconds(5), Duration.ofSeconds(30), 65536);
            AttemptResult result = sender.send("http://127.0.0.1:" + server.getLocalPort() + "/hook", "msg_2", "{}",
                    SECRETS, Instant.now());
            assertThat(result.statusCode()).isEqualTo(500);
            assertThat(result.error()).isEqualTo("HTTP 500"); // the answer itself is not echoed to the team
        }
    }

    /** Counts connections to a local port, answering 204 to any request. */
    private static ServerSocket counting(AtomicInteger connections, List<String> hostHeaders) throws IOException {
        ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    connections.incrementAndGet();
                    InputStream in = socket.getInputStream();
                    StringBuilder head = new StringBuilder();
                    for (int b; !head.toString().endsWith("\r\n\r\n") && (b = in.read()) != -1; ) {
                        head.append((char) b);
                    }
                    for (String line : head.toString().split("\r\n")) {
                        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("host:")) {
                            hostHeaders.add(line.substring(5).trim());
                        }
                    }
                    write(socket.getOutputStream(), "HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n");
                } catch (IOException e) {
                    // closed
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return server;
    }

    @Test
    void theConnectionGoesToTheCheckedAddressNotToWhatTheNameResolvesToLater() throws Exception {
        // The guard's resolver says "localhost" is a public address; the system resolver, which the JDK client used
        // to ask again when connecting, says 127.0.0.1, where an internal service listens. Nothing may reach it.
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket internal = counting(connections, new CopyOnWriteArrayList<>())) {
            WebhookTargetGuard rebinding = new WebhookTargetGuard(Set.of(),
                    host -> new InetAddress[] {InetAddress.getByName("192.0.2.10")});
            WebhookSender sender = new WebhookSender(VERTX, rebinding, Duration.ofMillis(500), Duration.ofSeconds(2), 65536);
            AttemptResult result = sender.send("https://localhost:" + internal.getLocalPort() + "/hook", "msg_3", "{}",
                    SECRETS, Instant.now());
            assertThat(result.succeeded()).isFalse();
            assertThat(connections).hasValue(0);
        }
    }

    @Test
    void aPinnedAddressKeepsTheHostNameForTheHostHeader() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        List<String> hosts = new CopyOnWriteArrayList<>();
        try (ServerSocket receiver = counting(connections, hosts)) {
            // an allow-listed name that the system resolver does not know: only the pinned address can reach it
            WebhookTargetGuard pinned = new WebhookTargetGuard(Set.of("receiver.test.invalid"),
                    host -> new InetAddress[] {InetAddress.getLoopbackAddress()});
            WebhookSender sender = new WebhookSender(VERTX, pinned, Duration.ofSeconds(2), Duration.ofSeconds(5), 65536);
            AttemptResult result = sender.send("http://receiver.test.invalid:" + receiver.getLocalPort() + "/hook",
                    "msg_4", "{}", SECRETS, Instant.now());
            assertThat(result.succeeded()).as(String.valueOf(result.error())).isTrue();
            assertThat(hosts).containsExactly("receiver.test.invalid:" + receiver.getLocalPort());
        }
    }

    @Test
    void aFailedConnectionIsReportedCoarsely() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        WebhookSender sender = new WebhookSender(VERTX, LOCAL, Duration.ofSeconds(2), Duration.ofSeconds(5), 65536);
        AttemptResult result = sender.send("http://127.0.0.1:" + closedPort + "/hook", "msg_5", "{}", SECRETS,
                Instant.now());
        assertThat(result.error()).isEqualTo("connection refused");
    }

    @Test
    void aRefusedTargetSaysNoMoreThanThat() {
        WebhookTargetGuard guard = new WebhookTargetGuard(Set.of(), host -> new InetAddress[] {InetAddress.getByName("10.1.2.3")});
        WebhookSender sender = new WebhookSender(VERTX, guard, Duration.ofSeconds(1), Duration.ofSeconds(1), 65536);
        AttemptResult result = sender.send("https://internal.example.org/hook", "msg_6", "{}", SECRETS, Instant.now());
        assertThat(result.error()).startsWith("target refused").doesNotContain("10.1.2.3");
    }

    /** A receiver that keeps connections open (the JDK's server): which local address and client port each request came on. */
    private static com.sun.net.httpserver.HttpServer keepingConnections(List<String> connectionPerRequest)
            throws IOException {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0), 8);
        server.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            connectionPerRequest.add(exchange.getLocalAddress().getAddress().getHostAddress() + " <- "
                    + exchange.getRemoteAddress().getPort());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    @Test
    void attemptsToTheSameCheckedAddressReuseAKeptConnection() throws Exception {
        List<String> connections = new CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer receiver = keepingConnections(connections);
        try {
            WebhookSender sender = new WebhookSender(VERTX, LOCAL, Duration.ofSeconds(2), Duration.ofSeconds(5), 65536);
            int attempts = 5;
            for (int i = 0; i < attempts; i++) {
                AttemptResult result = sender.send("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                        "msg_r" + i, "{}", SECRETS, Instant.now());
                assertThat(result.succeeded()).as(String.valueOf(result.error())).isTrue();
                // the outcome completes as the answer ends, a moment before the client puts the connection back in
                // its pool: an attempt sent at once may open a second one (seen in CI), so the next one waits a little
                Thread.sleep(100);
            }
            assertThat(connections).hasSize(attempts);
            assertThat(Set.copyOf(connections)).as("kept connections are reused: fewer connections than attempts "
                    + "(one per attempt before)").hasSizeLessThan(attempts);
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void aKeptConnectionIsNotReusedOnceTheNameResolvesElsewhere() throws Exception {
        List<String> connections = new CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer receiver = keepingConnections(connections);
        try {
            // the name's checked address moves between two attempts: the second must connect to the new address
            java.util.concurrent.atomic.AtomicReference<String> resolvesTo = new java.util.concurrent.atomic.AtomicReference<>("127.0.0.1");
            WebhookTargetGuard moving = new WebhookTargetGuard(Set.of("receiver.test.invalid"),
                    host -> new InetAddress[] {InetAddress.getByName(resolvesTo.get())});
            WebhookSender sender = new WebhookSender(VERTX, moving, Duration.ofSeconds(2), Duration.ofSeconds(5), 65536);
            String url = "http://receiver.test.invalid:" + receiver.getAddress().getPort() + "/hook";
            assertThat(sender.send(url, "msg_m1", "{}", SECRETS, Instant.now()).succeeded()).isTrue();
            resolvesTo.set("127.0.0.2");
            assertThat(sender.send(url, "msg_m2", "{}", SECRETS, Instant.now()).succeeded()).isTrue();
            assertThat(connections).hasSize(2);
            assertThat(connections.get(0)).startsWith("127.0.0.1 <- ");
            assertThat(connections.get(1)).startsWith("127.0.0.2 <- ");
        } finally {
            receiver.stop(0);
        }
    }

    /**
     * A raw HTTP/1.1 server that notes every request's webhook-id by connection, and answers 204 unless
     * {@code closeUnanswered(connection, request)} says to close the connection instead (both counted from 0).
     */
    private static final class ClosingServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        final List<String> requests = new CopyOnWriteArrayList<>();

        ClosingServer(BiPredicate<Integer, Integer> closeUnanswered) throws IOException {
            Thread acceptor = new Thread(() -> {
                for (int connection = 0; !socket.isClosed(); connection++) {
                    try {
                        Socket accepted = socket.accept();
                        int c = connection;
                        Thread t = new Thread(() -> serve(accepted, c, closeUnanswered));
                        t.setDaemon(true);
                        t.start();
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void serve(Socket accepted, int connection, BiPredicate<Integer, Integer> closeUnanswered) {
            try (Socket s = accepted) {
                InputStream in = s.getInputStream();
                for (int request = 0; ; request++) {
                    String head = readHead(in);
                    if (head == null) {
                        return;
                    }
                    String id = header(head, "webhook-id");
                    requests.add(connection + " " + id);
                    int length = Integer.parseInt(header(head, "content-length"));
                    in.readNBytes(length);
                    if (closeUnanswered.test(connection, request)) {
                        return;
                    }
                    write(s.getOutputStream(), "HTTP/1.1 204 No Content\r\n\r\n");
                }
            } catch (IOException e) {
                // the sender hung up
            }
        }

        private static String readHead(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            for (int b; matched < 4; ) {
                if ((b = in.read()) == -1) {
                    return null;
                }
                head.append((char) b);
                matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            return head.toString();
        }

        private static String header(String head, String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/hook";
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void aKeptConnectionTheEndpointClosesAsItIsReusedIsSentAgainAtOnceOnAnother() throws Exception {
        // the first connection is answered once, then closed when the next request arrives on it (as a server closing
        // idle connections does at the moment one is reused); every later connection is answered
        try (ClosingServer server = new ClosingServer((connection, request) -> connection == 0 && request == 1)) {
            AtomicInteger resent = new AtomicInteger();
            WebhookSender sender = new WebhookSender(VERTX, LOCAL, Duration.ofSeconds(2), Duration.ofSeconds(5), 65536,
                    resent::incrementAndGet);
            assertThat(sender.send(server.url(), "msg_k1", "{}", SECRETS, Instant.now()).succeeded()).isTrue();
            // the connection is back in the pool (see attemptsToTheSameCheckedAddressReuseAKeptConnection)
            Thread.sleep(100);

            AttemptResult second = sender.send(server.url(), "msg_k2", "{}", SECRETS, Instant.now());

            assertThat(second.succeeded()).as("the delivery succeeds in its first attempt: %s", second.error())
                    .isTrue();
            assertThat(server.requests).containsExactly("0 msg_k1", "0 msg_k2", "1 msg_k2");
            assertThat(resent).as("counted for the metric").hasValue(1);
        }
    }

    @Test
    void aNewConnectionClosedUnansweredFailsTheAttemptWithoutSendingAgain() throws Exception {
        try (ClosingServer server = new ClosingServer((connection, request) -> true)) {
            AtomicInteger resent = new AtomicInteger();
            WebhookSender sender = new WebhookSender(VERTX, LOCAL, Duration.ofSeconds(2), Duration.ofSeconds(5), 65536,
                    resent::incrementAndGet);

            AttemptResult result = sender.send(server.url(), "msg_n1", "{}", SECRETS, Instant.now());

            assertThat(result.succeeded()).isFalse();
            assertThat(result.error()).isEqualTo("connection failed");
            Thread.sleep(200); // a request sent again would have arrived by now
            assertThat(server.requests).containsExactly("0 msg_n1");
            assertThat(resent).hasValue(0);
        }
    }
}
