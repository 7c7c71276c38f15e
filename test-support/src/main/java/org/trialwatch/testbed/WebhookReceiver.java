package org.trialwatch.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP endpoint standing in for a subscriber's webhook receiver, for the notification service's tests and the
 * system tests alike: it records every request and answers as told. A delivery is answered, in this order, by the
 * statuses {@link #script scripted} for its path, by the {@link Responder} it was started with, or by the path's
 * {@link #answerAlways default} (200). {@link #STALL} sends the headers and a first byte, then never finishes the body,
 * as a hung endpoint does. Like a working endpoint it answers the verification event a new subscription sends first
 * with 204 (unless {@link #refuseVerification} says otherwise); those are kept apart from the deliveries.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** An answer meaning: send status 200 and a first byte of body, then hang until the receiver closes. */
    public static final int STALL = -1;

    /** The status to answer a delivery with ({@link #STALL} to hang), or null for the path's default. */
    @FunctionalInterface
    public interface Responder {
        Integer answer(Received delivery);
    }

    /**
     * A request as received: when (wall clock, and {@link System#nanoTime()} for intervals) and the status it was
     * answered with (0 while it is being answered).
     */
    public record Received(String path, Map<String, List<String>> headers, String body, Instant at,
                           long receivedNanos, int status) {

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        /** The last segment of the path (the system tests give each team a path {@code /hooks/<team>}). */
        public String team() {
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    private final HttpServer server;
    private final Responder responder;
    // a stalled answer holds its handler thread: each request gets a thread of its own
    private final ExecutorService handlers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "webhook-receiver");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch closing = new CountDownLatch(1);
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Integer>> scripted = new ConcurrentHashMap<>();
    private final Map<String, Integer> defaults = new ConcurrentHashMap<>();
    private final Map<String, Integer> verificationAnswers = new ConcurrentHashMap<>();
    private final List<Received> verifications = new CopyOnWriteArrayList<>();

    private WebhookReceiver(Responder responder) throws IOException {
        this.responder = responder;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.createContext("/", this::handle);
        server.setExecutor(handlers);
        server.start();
    }

    /** A receiver answering every delivery with its path's default (200 unless set). */
    public static WebhookReceiver start() throws IOException {
        return new WebhookReceiver(d -> null);
    }

    /** A receiver that asks {@code responder} how to answer each delivery nothing is scripted for. */
    public static WebhookReceiver start(Responder responder) throws IOException {
        return new WebhookReceiver(responder);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** The next answers for {@code path}, in order; afterwards the responder's or the path's default. */
    public void script(String path, Integer... statuses) {
        synchronized (scripted) {
            scripted.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(statuses));
        }
    }

    public void answerAlways(String path, int status) {
        defaults.put(path, status);
    }

    /** How verification events to {@code path} are answered from now on (204 unless set). */
    public void refuseVerification(String path, int status) {
        verificationAnswers.put(path, status);
    }

    public void acceptVerification(String path) {
        verificationAnswers.remove(path);
    }

    /** The verification events received at {@code path}. */
    public List<Received> verifications(String path) {
        return verifications.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** The deliveries (not verification events) received at {@code path}, with the status each was answered. */
    public List<Received> at(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long nanos = System.nanoTime();
        String path = exchange.getRequestURI().getPath();
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Received got = new Received(path, Map.copyOf(exchange.getRequestHeaders()), body, Instant.now(), nanos, 0);
        if (body.contains("\"type\":\"trialwatch.webhook.verification\"")) {
            int status = verificationAnswers.getOrDefault(path, 204);
            verifications.add(answered(got, status));
            answer(exchange, status);
            return;
        }
        Integer status;
        synchronized (scripted) {
            Deque<Integer> queue = scripted.get(path);
            status = queue == null ? null : queue.poll();
        }
        if (status == null) {
            status = responder.answer(got);
        }
        if (status == null) {
            status = defaults.getOrDefault(path, 200);
        }
        received.add(answered(got, status));
        answer(exchange, status);
    }

    private static Received answered(Received got, int status) {
        return new Received(got.path(), got.headers(), got.body(), got.at(), got.receivedNanos(), status);
    }

    private void answer(HttpExchange exchange, int status) throws IOException {
        if (status == STALL) {
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write('{');
            out.flush();
            try {
                // hangs until the receiver closes; a bound, so that a long run does not pile up threads for ever
                closing.await(10, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        if (status >= 300 && status < 400) {
            exchange.getResponseHeaders().add("Location", url("/redirected"));
        }
        byte[] answer = ("{\"answer\":" + status + "}").getBytes(StandardCharsets.UTF_8);
        if (status == 204) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
        }
        exchange.close();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }
}
