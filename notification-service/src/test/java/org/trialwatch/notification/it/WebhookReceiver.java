package org.trialwatch.notification.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server standing in for a subscriber's endpoint: records what it receives, answers as scripted. Like a
 * real endpoint it answers the verification event a new subscription sends first with 2xx (unless
 * {@link #refuseVerification} says otherwise); those are kept apart from the deliveries ({@link #verifications}).
 */
public final class WebhookReceiver implements AutoCloseable {

    public record Received(String path, Map<String, List<String>> headers, String body, Instant at) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Integer>> scripted = new ConcurrentHashMap<>();
    private final Map<String, Integer> defaults = new ConcurrentHashMap<>();
    private final Map<String, Integer> verificationAnswers = new ConcurrentHashMap<>();
    private final List<Received> verifications = new CopyOnWriteArrayList<>();

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    public static WebhookReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        WebhookReceiver receiver = new WebhookReceiver(server);
        server.createContext("/", receiver::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return receiver;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next answers for {@code path}, in order; afterwards the path's default (200 unless set). */
    public void script(String path, Integer... statuses) {
        scripted.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(statuses));
    }

    public void answerAlways(String path, int status) {
        defaults.put(path, status);
    }

    /** How verification events to {@code path} are answered from now on (2xx unless set). */
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

    /** The deliveries (not verification events) received at {@code path}. */
    public List<Received> at(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Received got = new Received(path, Map.copyOf(exchange.getRequestHeaders()), body, Instant.now());
        Integer status;
        if (body.contains("\"type\":\"trialwatch.webhook.verification\"")) {
            verifications.add(got);
            status = verificationAnswers.getOrDefault(path, 204);
        } else {
            received.add(got);
            status = null;
        }
        synchronized (scripted) {
            Deque<Integer> queue = scripted.get(path);
            if (status == null) {
                status = queue == null ? null : queue.poll();
            }
        }
        if (status == null) {
            status = defaults.getOrDefault(path, 200);
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
        server.stop(0);
    }
}
