package org.trialwatch.system.faults;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.trialwatch.events.CloudEventHeaders;
import org.trialwatch.events.EventJson;
import org.trialwatch.events.EventTypes;
import org.trialwatch.events.Topics;
import org.trialwatch.testbed.RunningSystem;
import org.trialwatch.testbed.RunningSystem.Service;
import org.trialwatch.system.faults.MatrixReport.Received;
import org.trialwatch.system.faults.MatrixReport.TrialState;
import org.trialwatch.system.faults.WebhookEndpoints.Kind;
import org.trialwatch.testbed.KafkaBroker;
import org.trialwatch.testbed.KafkaTopicReader;
import org.trialwatch.testbed.TcpProxy;
import org.trialwatch.testbed.WebhookReceiver;

/**
 * The fault matrix: the three packaged services as separate processes (prod profile, environment variables only)
 * against a Kafka broker and a PostgreSQL cluster that the matrix owns, so that it may kill and restart them. While
 * curators' status changes are driven through the registry's REST API, it injects one fault after another:
 * a webhook endpoint down for a while; one poison record on {@code trial-events}; the evidence service's database
 * connection cut (a {@link TcpProxy} between the service and PostgreSQL); PostgreSQL itself stopped at once and
 * started again; {@code kill -9} of the notification, evidence and registry services in turn, each started again;
 * {@code kill -9} of the broker, started again on the same data. Beside a healthy webhook endpoint, others stall
 * after the headers, fail once, answer 410. Then it accounts exactly ({@link MatrixReport}).
 *
 * <p>Run it with {@code deploy/local/faults.sh} (the full matrix, figures in docs/reliability.md); the test suite
 * runs a smaller one ({@code FaultMatrixIT}).
 */
public final class FaultMatrix {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static final Duration READY_WITHIN = Duration.ofSeconds(180);
    /** How long the settle wait goes on after the last sign of progress, once its timeout has passed. */
    private static final Duration PROGRESS_GRACE = Duration.ofSeconds(30);

    private final MatrixSettings settings;
    private final PrintStream log;
    private final long startNanos = System.nanoTime();
    private final List<FaultWindow> windows = new CopyOnWriteArrayList<>();

    private FaultMatrix(MatrixSettings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    public static void main(String[] args) throws Exception {
        MatrixSettings settings = MatrixSettings.full(RunningSystem.projectRoot().resolve("system-tests/target/fault-matrix"))
                .with(args);
        MatrixReport report = run(settings, System.out);
        report.print(System.out);
        System.exit(report.violations().isEmpty() ? 0 : 1);
    }

    /** Runs the matrix and accounts for it; everything it started is stopped before it returns. */
    public static MatrixReport run(MatrixSettings settings, PrintStream log) throws Exception {
        return new FaultMatrix(settings, log).run();
    }

    private MatrixReport run() throws Exception {
        Path work = settings.workDir().toAbsolutePath();
        Files.createDirectories(work);
        say("work directory %s; %s", work, settings);
        List<AutoCloseable> toClose = new ArrayList<>();
        try {
            PostgresCluster postgres = PostgresCluster.create(work.resolve("postgres"), RunningSystem.freePort());
            toClose.add(postgres);
            for (String db : List.of("tw_registry", "tw_evidence", "tw_notification")) {
                postgres.createDatabase(db);
            }
            say("PostgreSQL on 127.0.0.1:%d (data in %s)", postgres.port(), work.resolve("postgres"));
            deleteRecursively(work.resolve("kafka"));
            KafkaBroker broker = KafkaBroker.onFreePort(work.resolve("kafka"));
            broker.start();
            toClose.add(broker::kill);
            say("Kafka broker on %s", broker.bootstrapServers());
            TcpProxy evidenceDb = TcpProxy.start("127.0.0.1", postgres.port());
            toClose.add(evidenceDb);
            WebhookEndpoints endpoints = new WebhookEndpoints();
            toClose.add(endpoints);

            Map<Service, RunningSystem.Database> databases = new EnumMap<>(Service.class);
            databases.put(Service.REGISTRY, new RunningSystem.Database(postgres.jdbcUrl("tw_registry"), "postgres", ""));
            databases.put(Service.EVIDENCE, new RunningSystem.Database(
                    "jdbc:postgresql://127.0.0.1:" + evidenceDb.port() + "/tw_evidence", "postgres", ""));
            databases.put(Service.NOTIFICATION, new RunningSystem.Database(postgres.jdbcUrl("tw_notification"), "postgres", ""));
            Path logs = work.resolve("logs");
            deleteRecursively(logs);
            RunningSystem system = RunningSystem.start(new RunningSystem.Options(broker.bootstrapServers(), databases,
                    Map.of(Service.NOTIFICATION, Map.of(
                            "TRIALWATCH_WEBHOOKS_ALLOWED_HOSTS", "127.0.0.1",
                            "QUARKUS_MAILER_MOCK", "true",
                            "TRIALWATCH_DELIVERY_RETRY_SCHEDULE", settings.retrySchedule())), logs));
            toClose.add(system);
            say("services ready: registry %s, evidence %s, notification %s (logs in %s)", system.url(Service.REGISTRY),
                    system.url(Service.EVIDENCE), system.url(Service.NOTIFICATION), logs);

            List<String> trials = new ArrayList<>();
            for (int i = 1; i <= settings.trials(); i++) {
                trials.add(String.format("NCT9900%04d", i));
            }
            CuratorDriver driver = new CuratorDriver(system.url(Service.REGISTRY), trials, settings.ratePerSecond());
            driver.registerTrials();
            endpoints.subscribe(system.url(Service.NOTIFICATION), settings.endpoints(), trials);
            Map<String, String> before = history(system, trials);
            KafkaTopicReader trialEvents = new KafkaTopicReader(broker.bootstrapServers(), Topics.TRIAL_EVENTS);
            toClose.add(trialEvents);

            say("driving at least %d status changes at %d/s over %d trials while injecting faults",
                    settings.changes(), settings.ratePerSecond(), trials.size());
            driver.start();
            Thread progress = progressReporter(driver);
            String poisonId = injectFaults(system, postgres, broker, evidenceDb, endpoints, trials.get(0));
            long driveUntil = System.nanoTime() + Duration.ofSeconds(60L + 2L * settings.changes() / settings.ratePerSecond()).toNanos();
            while (driver.acceptedCount() < settings.changes() && System.nanoTime() < driveUntil) {
                Thread.sleep(500);
            }
            driver.stop();
            progress.interrupt();
            long drivenNanos = System.nanoTime();
            say("driving stopped: %d accepted (201) of %d requests", driver.acceptedCount(), driver.attempts());

            Map<String, String> changes = new HashMap<>(history(system, trials));
            changes.keySet().removeAll(before.keySet());
            Map<String, Long> acknowledged = driver.accepted().values().stream()
                    .collect(Collectors.toMap(CuratorDriver.Accepted::eventId, CuratorDriver.Accepted::ackNanos));

            say("waiting up to %d s for every delivery and for the evidence service to agree with the registry",
                    settings.settleTimeout().toSeconds());
            // A slow machine (a loaded CI runner) may still be catching up when the timeout ends: wait on while the
            // deliveries or the evidence service keep moving, up to four times the timeout. A stuck consumer or
            // dispatcher makes no progress and still fails after the timeout.
            long hardStop = System.nanoTime() + 4 * settings.settleTimeout().toNanos();
            long settleUntil = System.nanoTime() + settings.settleTimeout().toNanos();
            long lastProgress = Long.MIN_VALUE;
            while (!settled(system, endpoints, trialEvents, trials, changes)) {
                long now = System.nanoTime();
                long moved = progress(system, endpoints, trials);
                if (moved != lastProgress) {
                    if (lastProgress != Long.MIN_VALUE && now + PROGRESS_GRACE.toNanos() > settleUntil) {
                        settleUntil = Math.min(hardStop, now + PROGRESS_GRACE.toNanos());
                    }
                    lastProgress = moved;
                }
                if (now >= settleUntil) {
                    break;
                }
                Thread.sleep(1000);
            }
            say("settled after %.0f s; a few seconds more for late duplicates", (System.nanoTime() - drivenNanos) / 1e9);
            Thread.sleep(5000);

            trialEvents.readUntil(rs -> rs.stream().map(r -> r.header(CloudEventHeaders.ID)).collect(Collectors.toSet())
                    .containsAll(changes.keySet()), Duration.ofSeconds(60));
            Map<String, TrialState> registry = registryStates(system, trials, trialEvents);
            Map<String, TrialState> evidence = evidenceStates(system, trials);
            Set<String> onTopic = trialEvents.readFor(Duration.ofSeconds(2)).stream()
                    .map(r -> r.header(CloudEventHeaders.ID)).collect(Collectors.toSet());
            Map<String, List<String>> deadLettered = new LinkedHashMap<>();
            for (String topic : List.of(Topics.TRIAL_EVENTS_DLQ, Topics.TRIAL_EVENTS_NOTIFICATION_DLQ)) {
                try (KafkaTopicReader dlq = new KafkaTopicReader(broker.bootstrapServers(), topic)) {
                    dlq.readUntil(rs -> rs.stream().anyMatch(r -> poisonId.equals(r.header(CloudEventHeaders.ID))),
                            Duration.ofSeconds(20));
                    deadLettered.put(topic, dlq.readFor(Duration.ofSeconds(3)).stream()
                            .map(r -> String.valueOf(r.header(CloudEventHeaders.ID))).toList());
                }
            }
            Map<Kind, List<Received>> received = new EnumMap<>(Kind.class);
            for (Kind kind : settings.endpoints()) {
                received.put(kind, endpoints.requests(kind).stream().map(FaultMatrix::received).toList());
            }
            boolean goneEnabled = settings.endpoints().contains(Kind.GONE)
                    && endpoints.enabled(system.url(Service.NOTIFICATION), Kind.GONE);
            return new MatrixReport(new MatrixReport.Observed(driver.attempts(), driver.refused(), driver.failed(),
                    changes, acknowledged, onTopic, registry, evidence, received, deadLettered, poisonId, goneEnabled,
                    endpoints.badSignatures(), List.copyOf(windows), startNanos, (System.nanoTime() - startNanos) / 1e9));
        } finally {
            for (int i = toClose.size() - 1; i >= 0; i--) {
                try {
                    toClose.get(i).close();
                } catch (Exception e) {
                    log.println("closing: " + e);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ the faults

    /** Injects the faults one after another, each after a quiet gap; returns the poison record's ce_id. */
    private String injectFaults(RunningSystem system, PostgresCluster postgres, KafkaBroker broker, TcpProxy evidenceDb,
                                WebhookEndpoints endpoints, String poisonKey) throws Exception {
        Thread.sleep(settings.gap().toMillis());
        long downAt = System.nanoTime();
        endpoints.takeDown();
        say("fault: the down-then-back webhook endpoint refuses connections for %d s", settings.endpointDown().toSeconds());
        Thread back = new Thread(() -> {
            try {
                Thread.sleep(settings.endpointDown().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            endpoints.bringBack();
            windows.add(new FaultWindow("webhook endpoint down " + settings.endpointDown().toSeconds() + " s",
                    downAt, System.nanoTime(), "recovered", false));
            say("the down-then-back webhook endpoint is back");
        }, "endpoint-back");
        back.setDaemon(true);
        back.start();

        Thread.sleep(settings.gap().toMillis());
        String poisonId = "poison-" + UUID.randomUUID();
        long poisonAt = System.nanoTime();
        publishPoison(broker.bootstrapServers(), poisonKey, poisonId);
        windows.add(new FaultWindow("poison record on trial-events", poisonAt, System.nanoTime(), "recovered", false));
        say("fault: poison record %s (not JSON) on trial-events", poisonId);

        fault("evidence database cut " + settings.databaseCut().toSeconds() + " s", () -> {
            evidenceDb.cut();
            Thread.sleep(settings.databaseCut().toMillis());
            evidenceDb.restore();
        });
        fault("PostgreSQL stopped (immediate) and restarted", () -> {
            postgres.stopImmediately();
            postgres.start();
            for (Service s : Service.values()) {
                system.awaitReady(s, READY_WITHIN);
            }
        });
        for (Service s : List.of(Service.NOTIFICATION, Service.EVIDENCE, Service.REGISTRY)) {
            fault("kill -9 " + s.module + ", restarted", () -> {
                system.kill(s);
                system.restart(s, READY_WITHIN);
            });
        }
        fault("kill -9 Kafka broker, restarted on its data", () -> {
            broker.kill();
            broker.start();
            for (Service s : Service.values()) {
                system.awaitReady(s, READY_WITHIN);
            }
        });
        back.join();
        Thread.sleep(settings.gap().toMillis());
        return poisonId;
    }

    private interface Injection {
        void run() throws Exception;
    }

    private void fault(String name, Injection injection) throws InterruptedException {
        Thread.sleep(settings.gap().toMillis());
        say("fault: %s", name);
        long start = System.nanoTime();
        String outcome = "recovered";
        try {
            injection.run();
        } catch (Exception e) {
            outcome = "did not recover: " + e.getMessage();
        }
        windows.add(new FaultWindow(name, start, System.nanoTime(), outcome, true));
        say("  %s after %.1f s", outcome, (System.nanoTime() - start) / 1e9);
    }

    /** A record with a valid CloudEvent envelope whose data is not JSON: every consumer must dead-letter it, and only it. */
    private static void publishPoison(String bootstrap, String key, String id) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.TRIAL_EVENTS, key,
                    "this is not JSON {".getBytes(StandardCharsets.UTF_8));
            record.headers().add(CloudEventHeaders.SPEC_VERSION, bytes(CloudEventHeaders.SPEC_VERSION_VALUE))
                    .add(CloudEventHeaders.ID, bytes(id))
                    .add(CloudEventHeaders.SOURCE, bytes("/fault-matrix"))
                    .add(CloudEventHeaders.TYPE, bytes(EventTypes.TRIAL_STATUS_CHANGED))
                    .add(CloudEventHeaders.SUBJECT, bytes(key))
                    .add(CloudEventHeaders.TIME, bytes(Instant.now().toString()))
                    .add(CloudEventHeaders.CONTENT_TYPE, bytes(CloudEventHeaders.JSON));
            producer.send(record).get();
        }
    }

    // ------------------------------------------------------------------------------------------------ observing

    private boolean settled(RunningSystem system, WebhookEndpoints endpoints, KafkaTopicReader trialEvents,
                            List<String> trials, Map<String, String> changes) {
        trialEvents.readFor(Duration.ofMillis(300)); // keeps the topic reader current
        for (Kind kind : settings.endpoints()) {
            if (kind.mustReceiveAll) {
                Set<String> delivered = endpoints.requests(kind).stream().map(FaultMatrix::received)
                        .filter(Received::answered2xx).map(Received::eventId).collect(Collectors.toSet());
                if (!delivered.containsAll(changes.keySet())) {
                    return false;
                }
            }
        }
        try {
            return registryStates(system, trials, trialEvents).equals(evidenceStates(system, trials));
        } catch (Exception notYet) {
            return false;
        }
    }

    private static Received received(WebhookReceiver.Received d) {
        String eventId;
        try {
            eventId = EventJson.mapper().readTree(d.body()).path("data").path("eventId").asText("unreadable");
        } catch (IOException e) {
            eventId = "unreadable";
        }
        return new Received(eventId, d.header("webhook-id"), d.receivedNanos(), d.status());
    }

    /** Each change the registry's history lists for the trials: event id -> NCT id. */
    private static Map<String, String> history(RunningSystem system, List<String> trials) throws Exception {
        Map<String, String> changes = new HashMap<>();
        for (String nctId : trials) {
            String cursor = null;
            do { // a page {items, next, limit} at a time
                JsonNode page = get(system.url(Service.REGISTRY) + "/api/trials/" + nctId + "/history?limit=200"
                        + (cursor == null ? "" : "&cursor=" + cursor));
                for (JsonNode change : page.path("items")) {
                    if (!change.path("eventId").isNull()) {
                        changes.put(change.path("eventId").asText(), nctId);
                    }
                }
                cursor = page.path("next").isTextual() ? page.path("next").asText() : null;
            } while (cursor != null);
        }
        return changes;
    }

    /**
     * The registry's view: status from its REST API; the last sequence from what it published on trial-events (its
     * REST API does not show the event sequence).
     */
    private static Map<String, TrialState> registryStates(RunningSystem system, List<String> trials,
                                                         KafkaTopicReader trialEvents) throws Exception {
        Map<String, Long> lastSequence = new HashMap<>();
        for (KafkaTopicReader.Received r : trialEvents.readFor(Duration.ofMillis(300))) {
            if (r.key() != null && trials.contains(r.key())) {
                try {
                    long sequence = EventJson.mapper().readTree(r.value()).path("sequence").asLong();
                    lastSequence.merge(r.key(), sequence, Math::max);
                } catch (IOException poison) {
                    // the poison record: no sequence
                }
            }
        }
        Map<String, TrialState> states = new HashMap<>();
        for (String nctId : trials) {
            JsonNode trial = get(system.url(Service.REGISTRY) + "/api/trials/" + nctId);
            states.put(nctId, new TrialState(trial.path("overallStatus").asText(null), lastSequence.get(nctId)));
        }
        return states;
    }

    /** A number that grows while the system works off its backlog: 2xx deliveries plus the evidence's sequences. */
    private long progress(RunningSystem system, WebhookEndpoints endpoints, List<String> trials) {
        long delivered = settings.endpoints().stream()
                .mapToLong(kind -> endpoints.requests(kind).stream().map(FaultMatrix::received)
                        .filter(Received::answered2xx).count())
                .sum();
        try {
            return delivered + evidenceStates(system, trials).values().stream()
                    .mapToLong(state -> state.lastSequence() == null ? 0 : state.lastSequence()).sum();
        } catch (Exception notYet) {
            return delivered;
        }
    }

    private static Map<String, TrialState> evidenceStates(RunningSystem system, List<String> trials) throws Exception {
        Map<String, TrialState> states = new HashMap<>();
        for (String nctId : trials) {
            JsonNode trial = get(system.url(Service.EVIDENCE) + "/api/trials/" + nctId + "/evidence");
            states.put(nctId, new TrialState(trial.path("status").asText(null),
                    trial.path("lastSequence").isNumber() ? trial.path("lastSequence").asLong() : null));
        }
        return states;
    }

    private static JsonNode get(String url) throws Exception {
        Exception last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return EventJson.mapper().readTree(r.body());
                }
                last = new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(500);
        }
        throw last;
    }

    private Thread progressReporter(CuratorDriver driver) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(15_000);
                } catch (InterruptedException e) {
                    return;
                }
                say("  %d accepted, %d requests, %d refused, %d failed", driver.acceptedCount(), driver.attempts(),
                        driver.refused(), driver.failed());
            }
        }, "matrix-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void say(String format, Object... args) {
        log.printf("[%6.1f s] %s%n", (System.nanoTime() - startNanos) / 1e9, String.format(format, args));
        log.flush();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
