package org.trialwatch.system;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/** A real HTTP endpoint standing in for research teams' webhook receivers: one path per team. */
final class WebhookReceiver implements AutoCloseable {

    record Delivery(String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hooks/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                deliveries.add(new Delivery(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    String url(String team) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/" + team;
    }

    List<Delivery> deliveriesTo(String team) {
        return deliveries.stream().filter(d -> d.path().equals("/hooks/" + team)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
