package org.trialwatch.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP endpoint standing in for research teams' webhook receivers: one path per team. By default every
 * delivery is answered 204; a {@link Responder} can answer otherwise per delivery, or {@link #STALL}: send the
 * headers and then never finish the body, as a hung endpoint does. The verification event the notification service
 * sends when a subscription is created (before its secret is known here) is answered 204 at once, as a working
 * endpoint answers it, and is not counted among the deliveries.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** A {@link Responder}'s answer meaning: send status 200 and a first byte of body, then hang until close. */
    public static final int STALL = -1;

    /** The status to answer a delivery with ({@link #STALL} to hang). */
    @FunctionalInterface
    public interface Responder {
        int answer(Delivery delivery);
    }

    /** A request as received, when ({@link System#nanoTime()}), and the status it was answered with. */
    public record Delivery(String path, Map<String, List<String>> headers, String body, long receivedNanos, int status) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        /** The team: the last segment of the path. */
        public String team() {
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "webhook-receiver");
        t.setDaemon(true);
        return t;
    });
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    public WebhookReceiver() throws IOException {
        this(d -> 204);
    }

    public WebhookReceiver(Responder responder) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        // a stalled answer holds its handler thread: each request gets a thread of its own
        server.setExecutor(handlers);
        server.createContext("/hooks/", exchange -> handle(exchange, responder));
        server.start();
    }

    private void handle(HttpExchange exchange, Responder responder) throws IOException {
        long now = System.nanoTime();
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (body.contains("\"type\":\"trialwatch.webhook.verification\"")) {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            return;
        }
        Delivery received = new Delivery(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()),
                body, now, 0);
        int status = responder.answer(received);
        deliveries.add(new Delivery(received.path(), received.headers(), body, now, status));
        if (status == STALL) {
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write('{');
            out.flush();
            try {
                // hangs until the receiver closes; a bound, so that a long run does not pile up threads for ever
                closing.await(10, java.util.concurrent.TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url(String team) {
        return "http://127.0.0.1:" + port() + "/hooks/" + team;
    }

    public List<Delivery> deliveriesTo(String team) {
        return deliveries.stream().filter(d -> d.path().equals("/hooks/" + team)).toList();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }
}
