package org.trialwatch.notification.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A minimal Server-Sent Events client, as a dashboard's EventSource would behave. */
public final class SseClient implements AutoCloseable {

    public record Event(long id, String name, String data) {
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger comments = new AtomicInteger();
    private final InputStream body;
    private final int status;
    private final java.net.http.HttpHeaders headers;

    private SseClient(HttpResponse<InputStream> response) {
        this.status = response.statusCode();
        this.headers = response.headers();
        this.body = response.body();
        Thread reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    public static SseClient connect(URI uri, String token, Long lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(5)).GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", Long.toString(lastEventId));
        }
        HttpResponse<InputStream> response = HttpClient.newHttpClient()
                .send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        return new SseClient(response);
    }

    public int status() {
        return status;
    }

    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    public int heartbeats() {
        return comments.get();
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            String name = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (id != null || data.length() > 0) {
                        events.add(new Event(id == null ? -1 : Long.parseLong(id), name, data.toString()));
                    }
                    id = null;
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    comments.incrementAndGet();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
                }
            }
        } catch (IOException closed) {
            // the client hung up
        }
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
