package org.trialwatch.system.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import org.trialwatch.events.EventJson;
import org.trialwatch.testbed.TestTokens;

/**
 * Drives status changes through the registry's REST API at a target rate and measures, for each change, the REST
 * latency and the end-to-end latency until its CloudEvent is readable on {@code trial-events}; counts anything lost.
 * Prints figures; asserts nothing. Run against a running system (deploy/local/run.sh) with deploy/local/bench.sh.
 *
 * <p>Arguments: {@code registryUrl bootstrapServers ratePerSecond seconds trials}.
 */
public final class StatusChangeBenchmark {

    private StatusChangeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String registry = args.length > 0 ? args[0] : "http://127.0.0.1:8081";
        String bootstrap = args.length > 1 ? args[1] : "127.0.0.1:9092";
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        int trialCount = args.length > 4 ? Integer.parseInt(args[4]) : 500;
        String token = TestTokens.curator();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(java.util.concurrent.Executors.newFixedThreadPool(8)).build();

        // Benchmark trials live in their own NCT range (NCT98xxxxxx) so they never touch the review's trials.
        long runId = (System.currentTimeMillis() / 1000) % 100;
        List<String> trials = new ArrayList<>();
        Map<String, Long> versions = new ConcurrentHashMap<>();
        Map<String, Boolean> recruiting = new ConcurrentHashMap<>();
        System.out.printf("registering %d benchmark trials...%n", trialCount);
        for (int i = 0; i < trialCount; i++) {
            String nctId = String.format("NCT98%02d%04d", runId, i);
            HttpResponse<String> r = http.send(post(registry + "/api/trials", token, null,
                    "{\"nctId\":\"" + nctId + "\",\"tumourTypes\":[\"PC\"],\"overallStatus\":\"RECRUITING\"}"),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201 && r.statusCode() != 409) {
                throw new IllegalStateException("register " + nctId + ": " + r.statusCode() + " " + r.body());
            }
            HttpResponse<String> current = http.send(HttpRequest.newBuilder(URI.create(registry + "/api/trials/" + nctId))
                    .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode trial = EventJson.mapper().readTree(current.body());
            versions.put(nctId, trial.path("version").asLong());
            recruiting.put(nctId, "RECRUITING".equals(trial.path("overallStatus").asText()));
            trials.add(nctId);
        }

        List<Double> restLatencies = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        Map<String, Long> sentNanosByEvent = new ConcurrentHashMap<>();   // eventId -> when its REST call was sent
        Map<String, Long> arrivalNanosByEvent = new ConcurrentHashMap<>(); // eventId -> when the record was read

        EventArrivals arrivals = new EventArrivals(bootstrap, arrivalNanosByEvent);
        arrivals.startAndAwaitAssignment();
        // Each trial has at most one change in flight: changes to one trial are ordered by If-Match anyway.
        Map<String, Semaphore> inFlight = new ConcurrentHashMap<>();
        trials.forEach(t -> inFlight.put(t, new Semaphore(1)));
        int total = rate * seconds;
        CountDownLatch done = new CountDownLatch(total);
        long start = System.nanoTime();
        long intervalNanos = 1_000_000_000L / rate;
        System.out.printf("sending %d status changes at %d/s over %d trials...%n", total, rate, trials.size());
        for (int i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            String nctId = trials.get(i % trials.size());
            Semaphore slot = inFlight.get(nctId);
            slot.acquireUninterruptibly();
            boolean toRecruiting = !recruiting.get(nctId);
            String body = "{\"newStatus\":\"" + (toRecruiting ? "RECRUITING" : "ACTIVE_NOT_RECRUITING")
                    + "\",\"effectiveDate\":\"" + java.time.LocalDate.now() + "\"}";
            long sent = System.nanoTime();
            http.sendAsync(post(registry + "/api/trials/" + nctId + "/status-changes", token,
                    "\"" + versions.get(nctId) + "\"", body), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, err) -> {
                        restLatencies.add((System.nanoTime() - sent) / 1e6);
                        if (err == null && r.statusCode() == 201) {
                            accepted.incrementAndGet();
                            r.headers().firstValue("ETag")
                                    .ifPresent(e -> versions.put(nctId, Long.parseLong(e.replace("\"", ""))));
                            recruiting.put(nctId, toRecruiting);
                            try {
                                sentNanosByEvent.put(EventJson.mapper().readTree(r.body()).path("eventId").asText(), sent);
                            } catch (Exception e) {
                                rejected.incrementAndGet();
                            }
                        } else {
                            rejected.incrementAndGet();
                        }
                        slot.release();
                        done.countDown();
                    });
            if (i > 0 && i % (rate * 5) == 0) {
                System.out.printf("  %d sent, %d accepted%n", i, accepted.get());
            }
        }
        done.await();
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("all answered after %.1f s; waiting up to 60 s for the last events...%n", sendSeconds);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline
                && !arrivalNanosByEvent.keySet().containsAll(sentNanosByEvent.keySet())) {
            Thread.sleep(200);
        }
        arrivals.stop();
        double[] endToEnd = sentNanosByEvent.entrySet().stream()
                .filter(e -> arrivalNanosByEvent.containsKey(e.getKey()))
                .mapToDouble(e -> (arrivalNanosByEvent.get(e.getKey()) - e.getValue()) / 1e6).toArray();
        long lost = sentNanosByEvent.keySet().stream().filter(id -> !arrivalNanosByEvent.containsKey(id)).count();

        System.out.println();
        System.out.println("== status changes, end to end (curator REST call -> CloudEvent read from trial-events)");
        System.out.printf("target rate            %d/s for %d s over %d trials%n", rate, seconds, trials.size());
        System.out.printf("achieved request rate  %.0f/s%n", total / sendSeconds);
        System.out.printf("accepted (201)         %d%n", accepted.get());
        System.out.printf("not accepted           %d%n", rejected.get());
        System.out.printf("events read            %d of %d accepted (lost: %d)%n", endToEnd.length, sentNanosByEvent.size(), lost);
        System.out.printf("REST latency           %s%n", Percentiles.of(restLatencies.stream().mapToDouble(d -> d).toArray()));
        System.out.printf("end-to-end latency     %s%n", Percentiles.of(endToEnd));
        System.out.println("finished " + Instant.now());
        System.exit(0);
    }

    private static HttpRequest post(String url, String token, String ifMatch, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (ifMatch != null) {
            b.header("If-Match", ifMatch);
        }
        return b.build();
    }
}
