package org.trialwatch.system.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;
import org.trialwatch.events.EventJson;
import org.trialwatch.testbed.TestTokens;

/**
 * Drives curator status changes through the registry's REST API as curators do: read the trial, then POST the change
 * with the trial's ETag in If-Match; one change in flight per trial, RECRUITING and ACTIVE_NOT_RECRUITING in turn.
 * A 201 is an accepted change (its event id and when it was acknowledged are noted); a 412/422 or a failed call
 * (service killed, database away: the outcome is unknown) makes the worker read the trial again and go on.
 */
final class CuratorDriver {

    /** A change the registry acknowledged with 201. */
    record Accepted(String eventId, String nctId, long ackNanos) {
    }

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    private final String registry;
    private final List<String> trials;
    private final long intervalNanos;
    private final String token = TestTokens.curator();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    private final Map<String, Accepted> accepted = new ConcurrentHashMap<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();   // 4xx: 412 stale ETag, 422 ...
    private final AtomicInteger failed = new AtomicInteger();    // 5xx or no answer: outcome unknown
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running;
    private long nextSlot;

    CuratorDriver(String registry, List<String> trials, int ratePerSecond) {
        this.registry = registry;
        this.trials = trials;
        this.intervalNanos = 1_000_000_000L / ratePerSecond;
    }

    /** Registers the run's trials (RECRUITING, pancreatic cancer), so that the review's 14 are left alone. */
    void registerTrials() throws IOException, InterruptedException {
        for (String nctId : trials) {
            HttpResponse<String> r = http.send(post("/api/trials", null,
                    "{\"nctId\":\"" + nctId + "\",\"tumourTypes\":[\"PC\"],\"overallStatus\":\"RECRUITING\","
                            + "\"mechanism\":\"KRAS G12D inhibitor\"}"),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                throw new IllegalStateException("registering " + nctId + ": " + r.statusCode() + " " + r.body());
            }
        }
    }

    void start() {
        running = true;
        nextSlot = System.nanoTime();
        for (String nctId : trials) {
            Thread t = new Thread(() -> drive(nctId), "curator-" + nctId);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    void stop() throws InterruptedException {
        running = false;
        for (Thread t : workers) {
            t.join(CALL_TIMEOUT.toMillis() + 5_000);
        }
    }

    int acceptedCount() {
        return accepted.size();
    }

    Map<String, Accepted> accepted() {
        return Map.copyOf(accepted);
    }

    int attempts() {
        return attempts.get();
    }

    int refused() {
        return refused.get();
    }

    int failed() {
        return failed.get();
    }

    private void drive(String nctId) {
        JsonNode trial = readUntilAnswered(nctId);
        if (trial == null) {
            return;
        }
        long version = trial.path("version").asLong();
        String status = trial.path("overallStatus").asText();
        while (running) {
            awaitSlot();
            String next = "RECRUITING".equals(status) ? "ACTIVE_NOT_RECRUITING" : "RECRUITING";
            attempts.incrementAndGet();
            try {
                HttpResponse<String> r = http.send(post("/api/trials/" + nctId + "/status-changes", "\"" + version + "\"",
                        "{\"newStatus\":\"" + next + "\",\"effectiveDate\":\"" + LocalDate.now(ZoneOffset.UTC)
                                + "\",\"reason\":\"fault matrix\"}"), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 201) {
                    long ack = System.nanoTime();
                    String eventId = EventJson.mapper().readTree(r.body()).path("eventId").asText();
                    accepted.put(eventId, new Accepted(eventId, nctId, ack));
                    version = Long.parseLong(r.headers().firstValue("ETag").orElseThrow().replace("\"", ""));
                    status = next;
                    continue;
                }
                if (r.statusCode() >= 500) {
                    failed.incrementAndGet();
                } else {
                    refused.incrementAndGet();
                }
            } catch (IOException e) {
                failed.incrementAndGet();
            } catch (InterruptedException e) {
                return;
            }
            // stale ETag, or an outcome we cannot know: read the trial as it is now
            trial = readUntilAnswered(nctId);
            if (trial == null) {
                return;
            }
            version = trial.path("version").asLong();
            status = trial.path("overallStatus").asText();
        }
    }

    /** The trial as the registry has it now, asking again until it answers; null once the driver is stopped. */
    private JsonNode readUntilAnswered(String nctId) {
        while (running) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(registry + "/api/trials/" + nctId))
                        .timeout(CALL_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return EventJson.mapper().readTree(r.body());
                }
            } catch (IOException unavailable) {
                // killed or restarting: try again shortly
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            LockSupport.parkNanos(500_000_000L);
        }
        return null;
    }

    /** Paces all workers together to the configured rate; a worker that was held up does not make up for lost time. */
    private void awaitSlot() {
        long slot;
        synchronized (this) {
            long now = System.nanoTime();
            nextSlot = Math.max(nextSlot, now - intervalNanos);
            slot = nextSlot;
            nextSlot += intervalNanos;
        }
        long wait = slot - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    private HttpRequest post(String path, String ifMatch, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(registry + path)).timeout(CALL_TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (ifMatch != null) {
            b.header("If-Match", ifMatch);
        }
        return b.build();
    }
}
