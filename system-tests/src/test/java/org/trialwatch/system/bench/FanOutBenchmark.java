package org.trialwatch.system.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.trialwatch.events.ChangeOrigin;
import org.trialwatch.events.CloudEventHeaders;
import org.trialwatch.events.EventJson;
import org.trialwatch.events.EventTypes;
import org.trialwatch.events.Topics;
import org.trialwatch.events.TrialStatus;
import org.trialwatch.events.TrialStatusChanged;
import org.trialwatch.testbed.TestTokens;
import org.trialwatch.testbed.PrometheusText;

/**
 * Benchmarks the notification service alone (no registry): contract events are published straight to
 * {@code trial-events} as the registry's outbox relay does (CloudEvents binary mode, key = NCT id), and a local
 * webhook receiver (JDK HttpServer on 127.0.0.1) notes every delivery. Prints figures; asserts nothing.
 * The service must allow the receiver: {@code TRIALWATCH_WEBHOOKS_ALLOWED_HOSTS=127.0.0.1}.
 *
 * <ul>
 *   <li>{@code fanout notificationUrl bootstrap [subscriptions=10000] [teams=200]}: creates that many webhook
 *       subscriptions (spread over teams, all for one benchmark trial), publishes ONE {@code trial.status-changed} and
 *       measures the time until every subscription's delivery arrived, per-delivery time, duplicates, missing.</li>
 *   <li>{@code events notificationUrl bootstrap [rate=1000] [seconds=10] [subscriptions=3] [trials=100]}: a few
 *       subscriptions each following all benchmark trials; publishes status changes at the rate and measures per
 *       event the time from publish until all its deliveries arrived, and the rate the service kept up.</li>
 * </ul>
 * Subscriptions made by the run are deleted at the end unless {@code -Dbench.keep=true}.
 */
public final class FanOutBenchmark {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private FanOutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: FanOutBenchmark fanout|events notificationUrl bootstrap [...]");
            System.exit(2);
        }
        String mode = args[0];
        String service = args[1].replaceAll("/$", "");
        String bootstrap = args[2];
        if ("fanout".equals(mode)) {
            fanOut(service, bootstrap, intArg(args, 3, 10_000), intArg(args, 4, 200));
        } else if ("events".equals(mode)) {
            events(service, bootstrap, intArg(args, 3, 1000), intArg(args, 4, 10), intArg(args, 5, 3),
                    intArg(args, 6, 100));
        } else {
            System.err.println("unknown mode " + mode);
            System.exit(2);
        }
        System.exit(0);
    }

    // ---------------------------------------------------------------------------------------------------- fan-out

    /** Returns the seconds from publishing until every subscription had its delivery, or NaN when not all came. */
    static double fanOut(String service, String bootstrap, int subscriptions, int teams) throws Exception {
        long runId = System.currentTimeMillis() % 1_000_000;
        String nctId = String.format("NCT97%06d", runId);
        Receiver receiver = Receiver.start();
        System.out.printf("receiver on 127.0.0.1:%d; creating %d webhook subscriptions over %d teams for %s...%n",
                receiver.port(), subscriptions, teams, nctId);
        long createStart = System.nanoTime();
        List<Created> created = createSubscriptions(service, subscriptions, teams, i -> "{\"name\":\"fan-out " + i
                + "\",\"channel\":\"webhook\",\"url\":\"http://127.0.0.1:" + receiver.port() + "/hook/" + i
                + "\",\"filter\":{\"nctIds\":[\"" + nctId + "\"]}}");
        System.out.printf("created %d in %.1f s%n", created.size(), (System.nanoTime() - createStart) / 1e9);

        double seconds;
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            producer.partitionsFor(Topics.TRIAL_EVENTS); // metadata fetched before the clock starts
            TrialStatusChanged event = statusChange(nctId, 2, TrialStatus.RECRUITING, TrialStatus.TERMINATED);
            long t0 = System.nanoTime();
            receiver.startClock(t0);
            producer.send(record(event)).get();
            long acked = System.nanoTime();
            System.out.printf("published %s (acked after %.1f ms); waiting for %d deliveries...%n", event.eventId(),
                    (acked - t0) / 1e6, created.size());
            long deadline = t0 + Duration.ofSeconds(Long.getLong("bench.timeout", 180)).toNanos();
            int lastReport = 0;
            long nextReport = System.nanoTime() + 2_000_000_000L;
            while (receiver.distinct() < created.size() && System.nanoTime() < deadline) {
                Thread.sleep(20);
                if (System.nanoTime() > nextReport) {
                    int d = receiver.distinct();
                    System.out.printf("  %5.1f s: %d delivered (+%d)%n", (System.nanoTime() - t0) / 1e9, d, d - lastReport);
                    lastReport = d;
                    nextReport += 2_000_000_000L;
                }
            }
            Thread.sleep(1000); // late duplicates
            double[] perDelivery = receiver.firstArrivals().values().stream().mapToDouble(n -> (n - t0) / 1e6).toArray();
            long last = receiver.firstArrivals().values().stream().mapToLong(Long::longValue).max().orElse(t0);
            long first = receiver.firstArrivals().values().stream().mapToLong(Long::longValue).min().orElse(t0);
            int missing = created.size() - receiver.distinct();
            seconds = missing == 0 ? (last - t0) / 1e9 : Double.NaN;
            System.out.println();
            System.out.println("== fan-out: one trial.status-changed -> " + created.size() + " webhook subscriptions");
            System.out.printf("all delivered after    %s%n", missing == 0
                    ? String.format("%.2f s", (last - t0) / 1e9) : "NOT ALL (timed out)");
            System.out.printf("first delivery after   %.1f ms%n", (first - t0) / 1e6);
            System.out.printf("delivery rate          %.0f/s (first to last)%n",
                    perDelivery.length / Math.max(1e-9, (last - first) / 1e9));
            System.out.printf("per-delivery time      %s%n", Percentiles.of(perDelivery));
            System.out.printf("delivered              %d of %d (missing %d, duplicates %d, unsigned %d)%n",
                    receiver.distinct(), created.size(), missing, receiver.duplicates(), receiver.unsigned());
            System.out.printf("receiver connections   %d%n", receiver.connections());
        }
        receiver.stop();
        cleanUp(service, created);
        System.out.println("finished " + Instant.now());
        return seconds;
    }

    // ---------------------------------------------------------------------------------------------------- events

    private static void events(String service, String bootstrap, int rate, int seconds, int subscriptions, int trialCount)
            throws Exception {
        long runId = System.currentTimeMillis() % 10_000;
        List<String> trials = new ArrayList<>();
        for (int i = 0; i < trialCount; i++) {
            trials.add(String.format("NCT96%02d%04d", runId % 100, i));
        }
        String nctList = String.join("\",\"", trials);
        Receiver receiver = Receiver.start();
        List<Created> created = createSubscriptions(service, subscriptions, 1, i -> "{\"name\":\"events " + i
                + "\",\"channel\":\"webhook\",\"url\":\"http://127.0.0.1:" + receiver.port() + "/hook/" + i
                + "\",\"filter\":{\"nctIds\":[\"" + nctList + "\"]}}");
        System.out.printf("receiver on 127.0.0.1:%d; %d subscriptions following %d trials%n", receiver.port(),
                created.size(), trials.size());

        Map<String, Long> published = new ConcurrentHashMap<>();
        int total = rate * seconds;
        double createdBefore = notificationsCreated(service);
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            producer.partitionsFor(Topics.TRIAL_EVENTS);
            long start = System.nanoTime();
            receiver.startClock(start);
            long interval = 1_000_000_000L / rate;
            long[] sequence = new long[trials.size()];
            AtomicInteger sendErrors = new AtomicInteger();
            System.out.printf("publishing %d status changes at %d/s over %d trials...%n", total, rate, trials.size());
            for (int i = 0; i < total; i++) {
                long due = start + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                int t = i % trials.size();
                boolean even = sequence[t] % 2 == 0;
                TrialStatusChanged event = statusChange(trials.get(t), 2 + sequence[t]++,
                        even ? TrialStatus.RECRUITING : TrialStatus.ACTIVE_NOT_RECRUITING,
                        even ? TrialStatus.ACTIVE_NOT_RECRUITING : TrialStatus.RECRUITING);
                published.put(event.eventId(), System.nanoTime());
                producer.send(record(event), (m, e) -> {
                    if (e != null) {
                        sendErrors.incrementAndGet();
                    }
                });
            }
            producer.flush();
            double sendSeconds = (System.nanoTime() - start) / 1e9;
            long expected = (long) total * created.size();
            System.out.printf("published in %.1f s (%.0f/s, %d send errors); waiting for %d deliveries...%n",
                    sendSeconds, total / sendSeconds, sendErrors.get(), expected);
            long deadline = System.nanoTime() + Duration.ofSeconds(Long.getLong("bench.timeout", 120)).toNanos();
            long takenIn = 0;
            while (receiver.deliveries() - receiver.duplicates() < expected && System.nanoTime() < deadline) {
                Thread.sleep(50);
                if (takenIn == 0 && notificationsCreated(service) - createdBefore >= expected) {
                    takenIn = System.nanoTime();
                }
            }
            if (takenIn == 0 && notificationsCreated(service) - createdBefore >= expected) {
                takenIn = System.nanoTime();
            }
            Thread.sleep(1000);
            double drained = (receiver.lastArrival() - start) / 1e9;
            List<Double> latencies = new ArrayList<>();
            int complete = 0;
            for (Map.Entry<String, Long> e : published.entrySet()) {
                EventArrival a = receiver.byEvent().get(e.getKey());
                if (a != null && a.count.get() >= created.size()) {
                    complete++;
                    latencies.add((a.last.get() - e.getValue()) / 1e6);
                }
            }
            System.out.println();
            System.out.printf("== events: status changes at %d/s for %d s, %d subscriptions each%n", rate, seconds,
                    created.size());
            System.out.printf("offered                %d events (%.0f/s)%n", total, total / sendSeconds);
            System.out.printf("fully delivered        %d events (missing %d); deliveries %d of %d, duplicates %d%n",
                    complete, total - complete, receiver.deliveries() - receiver.duplicates(), expected,
                    receiver.duplicates());
            System.out.printf("kept-up rate           %.0f events/s (all delivered %.1f s after the first publish)%n",
                    complete / drained, drained);
            System.out.printf("intake                 %s%n", takenIn == 0 ? "NOT all taken in (metric)"
                    : String.format("all taken in %.1f s after the first publish: %.0f events/s", (takenIn - start) / 1e9,
                            total / ((takenIn - start) / 1e9)));
            System.out.printf("publish -> all of the event's deliveries  %s%n",
                    Percentiles.of(latencies.stream().mapToDouble(d -> d).toArray()));
        }
        receiver.stop();
        cleanUp(service, created);
        System.out.println("finished " + Instant.now());
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    record Created(String id, String token) {
    }

    static List<Created> createSubscriptions(String service, int count, int teams,
                                                     java.util.function.IntFunction<String> body) throws Exception {
        List<String> tokens = new ArrayList<>();
        // teams of this run only: a team keeps its subscriptions (at most 100) and its hour's verification sends (50)
        String run = Long.toString(System.currentTimeMillis(), 36);
        for (int t = 0; t < teams; t++) {
            tokens.add(TestTokens.subscriber("bench-" + run + "-team-" + t));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Created>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            futures.add(pool.submit(() -> {
                String token = tokens.get(n % tokens.size());
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(service + "/api/subscriptions"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.apply(n))).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 201) {
                    throw new IllegalStateException("create subscription: " + r.statusCode() + " " + r.body());
                }
                JsonNode view = EventJson.mapper().readTree(r.body());
                return new Created(view.path("id").asText(), token);
            }));
        }
        List<Created> created = new ArrayList<>();
        for (Future<Created> f : futures) {
            created.add(f.get());
        }
        pool.shutdown();
        return created;
    }

    static void cleanUp(String service, List<Created> created) throws Exception {
        if (Boolean.getBoolean("bench.keep")) {
            System.out.printf("kept %d subscriptions (bench.keep)%n", created.size());
            return;
        }
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger failed = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (Created c : created) {
            futures.add(pool.submit(() -> {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(service + "/api/subscriptions/" + c.id()))
                        .header("Authorization", "Bearer " + c.token()).DELETE().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() != 204) {
                    failed.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        System.out.printf("deleted %d subscriptions in %.1f s (%d failed)%n", created.size() - failed.get(),
                (System.nanoTime() - start) / 1e9, failed.get());
    }

    /** The service's trialwatch_notifications_created_total (taken-in events x matched subscriptions). */
    private static double notificationsCreated(String service) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(service + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return PrometheusText.first(r.body(), "trialwatch_notifications_created_total");
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Double.NaN;
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static TrialStatusChanged statusChange(String nctId, long sequence, TrialStatus from, TrialStatus to) {
        return new TrialStatusChanged(UUID.randomUUID().toString(), nctId, sequence, Instant.now(),
                "/trial-registry-service", from, to, LocalDate.now(), "benchmark", ChangeOrigin.CURATOR, false);
    }

    /** As the registry's outbox relay publishes: CloudEvents binary mode, ce_id = event id, key = NCT id. */
    private static ProducerRecord<String, byte[]> record(TrialStatusChanged e) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.TRIAL_EVENTS, e.nctId(), EventJson.toBytes(e));
        record.headers().add(CloudEventHeaders.SPEC_VERSION, bytes(CloudEventHeaders.SPEC_VERSION_VALUE));
        record.headers().add(CloudEventHeaders.ID, bytes(e.eventId()));
        record.headers().add(CloudEventHeaders.SOURCE, bytes("/trial-registry-service"));
        record.headers().add(CloudEventHeaders.TYPE, bytes(EventTypes.TRIAL_STATUS_CHANGED));
        record.headers().add(CloudEventHeaders.SUBJECT, bytes(e.nctId()));
        record.headers().add(CloudEventHeaders.TIME, bytes(e.occurredAt().toString()));
        record.headers().add(CloudEventHeaders.DATA_SCHEMA,
                bytes(CloudEventHeaders.dataSchemaFor(EventTypes.TRIAL_STATUS_CHANGED)));
        record.headers().add(CloudEventHeaders.CONTENT_TYPE, bytes(CloudEventHeaders.JSON));
        return record;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int intArg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }

    static final class EventArrival {
        final AtomicInteger count = new AtomicInteger();
        final AtomicLong last = new AtomicLong();
    }

    /** Webhook receiver: answers 204 at once; notes per path (= subscription) and per event when deliveries came. */
    static final class Receiver {
        private final HttpServer server;
        private final ExecutorService pool = Executors.newFixedThreadPool(4);
        private final Map<String, Long> firstArrivals = new ConcurrentHashMap<>();
        private final Map<String, Boolean> seenMessages = new ConcurrentHashMap<>();
        private final Map<String, EventArrival> byEvent = new ConcurrentHashMap<>();
        private final Map<String, Boolean> remotes = new ConcurrentHashMap<>();
        private final AtomicInteger deliveries = new AtomicInteger();
        private final AtomicInteger duplicates = new AtomicInteger();
        private final AtomicInteger unsigned = new AtomicInteger();
        private final AtomicLong lastArrival = new AtomicLong();

        private Receiver(HttpServer server) {
            this.server = server;
        }

        static Receiver start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
            Receiver r = new Receiver(server);
            server.createContext("/hook/", r::handle);
            server.setExecutor(r.pool);
            server.start();
            return r;
        }

        void startClock(long t0) {
            lastArrival.set(t0);
        }

        private void handle(HttpExchange exchange) throws IOException {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (new String(body, StandardCharsets.UTF_8).contains("\"type\":\"trialwatch.webhook.verification\"")) {
                // a new subscription's verification event: answered as a working endpoint does, not a delivery
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
                return;
            }
            long now = System.nanoTime();
            remotes.put(exchange.getRemoteAddress().toString(), Boolean.TRUE);
            String path = exchange.getRequestURI().getPath();
            String eventId = cloudEventId(new String(body, StandardCharsets.UTF_8));
            String messageId = exchange.getRequestHeaders().getFirst("webhook-id");
            if (exchange.getRequestHeaders().getFirst("webhook-signature") == null) {
                unsigned.incrementAndGet();
            }
            deliveries.incrementAndGet();
            lastArrival.accumulateAndGet(now, Math::max);
            // a duplicate: the same subscription got the same event again (or the same message id twice)
            boolean dup = seenMessages.putIfAbsent(path + " " + eventId, Boolean.TRUE) != null
                    || (messageId != null && seenMessages.putIfAbsent("id " + messageId, Boolean.TRUE) != null);
            if (dup) {
                duplicates.incrementAndGet();
            } else {
                firstArrivals.putIfAbsent(path, now);
                if (eventId != null) {
                    EventArrival a = byEvent.computeIfAbsent(eventId, k -> new EventArrival());
                    a.last.accumulateAndGet(now, Math::max);
                    a.count.incrementAndGet();
                }
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        }

        private static String cloudEventId(String body) {
            int i = body.indexOf("\"cloudEventId\":\"");
            if (i < 0) {
                return null;
            }
            int from = i + "\"cloudEventId\":\"".length();
            return body.substring(from, body.indexOf('"', from));
        }

        int port() {
            return server.getAddress().getPort();
        }

        int distinct() {
            return firstArrivals.size();
        }

        Map<String, Long> firstArrivals() {
            return firstArrivals;
        }

        Map<String, EventArrival> byEvent() {
            return byEvent;
        }

        int deliveries() {
            return deliveries.get();
        }

        int duplicates() {
            return duplicates.get();
        }

        int unsigned() {
            return unsigned.get();
        }

        int connections() {
            return remotes.size();
        }

        long lastArrival() {
            return lastArrival.get();
        }

        void stop() {
            server.stop(0);
            pool.shutdownNow();
        }
    }
}
