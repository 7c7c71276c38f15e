package org.trialwatch.system.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import org.trialwatch.events.EventJson;
import org.trialwatch.testbed.TcpProxy;
import org.trialwatch.testbed.TestTokens;
import org.trialwatch.testbed.WebhookReceiver;

/**
 * The research teams' webhook endpoints of the matrix, one subscription each, all following the run's trials'
 * status changes. Every request is checked against the subscription's signing secret when it arrives (Standard
 * Webhooks: a signature is only valid for a few minutes after its timestamp).
 */
final class WebhookEndpoints implements AutoCloseable {

    static final String TEAM = "fault-matrix";

    enum Kind {
        /** answers 204 at once, always */
        HEALTHY(true),
        /** sends 200 and one byte of body, then never finishes */
        STALLED(false),
        /** refuses connections for a while (a TCP proxy in front of it is cut), then answers 204 */
        DOWN_THEN_BACK(true),
        /** answers 500 to the first attempt of each notification, 200 to the next */
        FAILS_ONCE(true),
        /** answers 410 Gone: the subscription must be disabled */
        GONE(false);

        /** whether every change must reach it in the end */
        final boolean mustReceiveAll;

        Kind(boolean mustReceiveAll) {
            this.mustReceiveAll = mustReceiveAll;
        }

        String path() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    private final WebhookReceiver receiver;
    private final TcpProxy downProxy;
    private final Map<Kind, String> secrets = new ConcurrentHashMap<>();
    private final Map<Kind, String> subscriptionIds = new EnumMap<>(Kind.class);
    private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    private final AtomicInteger badSignatures = new AtomicInteger();
    private final HttpClient http = HttpClient.newHttpClient();

    WebhookEndpoints() throws IOException {
        receiver = WebhookReceiver.start(this::answer);
        downProxy = TcpProxy.start("127.0.0.1", receiver.port());
    }

    private int answer(WebhookReceiver.Received d) {
        Kind kind = Kind.valueOf(d.team().toUpperCase().replace('-', '_'));
        String secret = secrets.get(kind);
        try {
            new Webhook(secret).verify(d.body(), Map.of(
                    "webhook-id", List.of(String.valueOf(d.header("webhook-id"))),
                    "webhook-timestamp", List.of(String.valueOf(d.header("webhook-timestamp"))),
                    "webhook-signature", List.of(String.valueOf(d.header("webhook-signature")))));
        } catch (Exception e) {
            badSignatures.incrementAndGet();
            return 401;
        }
        return switch (kind) {
            case HEALTHY, DOWN_THEN_BACK -> 204;
            case STALLED -> WebhookReceiver.STALL;
            case FAILS_ONCE -> failedOnce.add(d.header("webhook-id")) ? 500 : 200;
            case GONE -> 410;
        };
    }

    /** Subscribes one webhook for each of {@code kinds} to the status changes of {@code nctIds}. */
    void subscribe(String notificationUrl, Set<Kind> kinds, List<String> nctIds) throws IOException, InterruptedException {
        String ids = String.join("\",\"", nctIds);
        for (Kind kind : kinds) {
            String url = kind == Kind.DOWN_THEN_BACK
                    ? "http://127.0.0.1:" + downProxy.port() + "/hooks/" + kind.path()
                    : receiver.url("/hooks/" + kind.path());
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(notificationUrl + "/api/subscriptions"))
                    .header("Authorization", "Bearer " + TestTokens.subscriber(TEAM))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"matrix " + kind.path() + "\",\"channel\":"
                            + "\"webhook\",\"url\":\"" + url + "\",\"filter\":{\"nctIds\":[\"" + ids
                            + "\"],\"eventTypes\":[\"trial.status-changed\"]}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                throw new IllegalStateException("subscribing " + kind + ": " + r.statusCode() + " " + r.body());
            }
            JsonNode created = EventJson.mapper().readTree(r.body());
            secrets.put(kind, created.path("secret").asText());
            subscriptionIds.put(kind, created.path("id").asText());
        }
    }

    /** The "down" endpoint refuses connections from now on. */
    void takeDown() {
        downProxy.cut();
    }

    void bringBack() {
        downProxy.restore();
    }

    /** Whether the subscription of {@code kind} is enabled, as its team reads it. */
    boolean enabled(String notificationUrl, Kind kind) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(notificationUrl + "/api/subscriptions/"
                        + subscriptionIds.get(kind))).header("Authorization", "Bearer " + TestTokens.subscriber(TEAM))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("reading subscription " + kind + ": " + r.statusCode() + " " + r.body());
        }
        return EventJson.mapper().readTree(r.body()).path("enabled").asBoolean();
    }

    /** Every request the endpoint of {@code kind} received (answered or not). */
    List<WebhookReceiver.Received> requests(Kind kind) {
        return receiver.at("/hooks/" + kind.path());
    }

    int badSignatures() {
        return badSignatures.get();
    }

    @Override
    public void close() {
        downProxy.close();
        receiver.close();
    }
}
