package org.trialwatch.system.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trialwatch.events.EventJson;
import org.trialwatch.testbed.TestTokens;

/**
 * The one benchmark of a running local system (deploy/local/run.sh), run by deploy/local/bench.sh: the machine's
 * limits (single-row INSERTs on the same PostgreSQL, Kafka's own ProducerPerformance), registry writes alone, end to
 * end at fixed offered rates as far as the CloudEvent, the signed webhook and the group summary, CPU per change, the
 * 10,000-subscription fan-out, dashboard-style reads, and each service's time to ready and idle RSS. Prints a table
 * and writes {@code bench/results/<date>-<cores>c.json}. Asserts nothing.
 *
 * <p>Settings are system properties (bench.sh sets them): {@code bench.registry}, {@code bench.evidence},
 * {@code bench.notification}, {@code bench.bootstrap}, {@code bench.state} (run.sh's .local), {@code bench.kafkaLibs},
 * {@code bench.rates} (50,100,200,500), {@code bench.seconds} (60 per rate), {@code bench.phaseSeconds} (10, for the
 * closed-loop phases), {@code bench.trials} (500), {@code bench.fanout} (10000; 0 skips), {@code bench.warmupSeconds} (20 s at the first
 * rate before the measured ones; 0 skips), {@code bench.out};
 * {@code bench.only=reads} runs only the reads phase and writes {@code <date>-<cores>c-reads.json}.
 */
public final class SystemBenchmark {

    /**
     * The open-loop sender's exchanges, each blocking one thread for its round trip: at most one change per trial is in
     * flight, so the threads are bounded by the trials; idle ones end after a minute.
     */
    private static final ExecutorService SENDERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "change-sender");
        t.setDaemon(true);
        return t;
    });
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(16)).build();
    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private final String registry = System.getProperty("bench.registry", "http://127.0.0.1:8081");
    private final String evidence = System.getProperty("bench.evidence", "http://127.0.0.1:8082");
    private final String notification = System.getProperty("bench.notification", "http://127.0.0.1:8083");
    private final String bootstrap = System.getProperty("bench.bootstrap", "127.0.0.1:9092");
    private final Path state = Path.of(System.getProperty("bench.state", ".local"));
    private final int phaseSeconds = Integer.getInteger("bench.phaseSeconds", 10);
    /** CPU of the measured processes at rest, measured once before any load; settle() waits to get back near it. */
    private double idleCpuMsPerSecond = 100;
    private final String curator = TestTokens.curator();
    private final ObjectNode out = EventJson.mapper().createObjectNode();
    private final List<String> table = new ArrayList<>();
    private final Map<String, Long> processes = new LinkedHashMap<>();
    private final List<String> trials = new ArrayList<>();
    private final Map<String, Long> versions = new ConcurrentHashMap<>();
    private final Map<String, Boolean> recruiting = new ConcurrentHashMap<>();

    private SystemBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        new SystemBenchmark().run();
        System.exit(0);
    }

    private void run() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        out.put("date", LocalDate.now(ZoneOffset.UTC).toString());
        out.put("startedAt", Instant.now().toString());
        ObjectNode machine = out.putObject("machine");
        machine.put("cores", cores);
        machine.put("memoryGiB", Math.round(memTotalKiB() / 1024.0 / 1024.0 * 10) / 10.0);
        machine.put("loadAverageAtStart", loadAverage());
        readProcesses();
        stopWhenTheSystemStops();
        startupAndFootprint();
        if ("reads".equals(System.getProperty("bench.only"))) {
            // just the dashboard-style reads against what the system holds now, e.g. before and after a change to a
            // read path; written beside a full run's file, not over it
            settle();
            reads();
            finish("-reads");
            return;
        }

        insertLimits();
        registerTrials(Integer.getInteger("bench.trials", 500));
        endToEnd(); // waits until every change arrived everywhere, so the phases after it start from no backlog
        int fanout = Integer.getInteger("bench.fanout", 10_000);
        if (fanout > 0) {
            settle();
            String load = loadAverage();
            // spread over enough teams for the notification service's anti-flood quotas (issue 11): a team holds at
            // most 100 subscriptions and may have 50 webhook endpoints verified an hour
            int teams = Math.max(20, (fanout + 49) / 50);
            double s = FanOutBenchmark.fanOut(notification, bootstrap, fanout, teams);
            out.put("fanout10kSeconds", Double.isNaN(s) ? null : round(s));
            out.put("fanoutSubscriptions", fanout);
            out.put("fanoutLoadAverage", load);
            table.add(String.format("fan-out to %d webhook subscriptions: %s s   [load %s]", fanout,
                    Double.isNaN(s) ? "NOT ALL DELIVERED" : String.format("%.2f", s), load));
        }
        settle();
        reads();
        // last: the consumers are not waited for after these, and their backlog would delay what comes next
        registryAlone();
        kafkaProducerLimit();
        finish("");
    }

    private void finish(String suffix) throws IOException {
        int cores = Runtime.getRuntime().availableProcessors();
        out.put("loadAverageAtEnd", loadAverage());
        out.put("finishedAt", Instant.now().toString());

        Path dir = Path.of(System.getProperty("bench.out", "bench/results"));
        Files.createDirectories(dir);
        Path file = dir.resolve(out.path("date").asText() + "-" + cores + "c" + suffix + ".json");
        Files.writeString(file, EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(out) + "\n");
        System.out.println();
        System.out.println("================================================================ results");
        table.forEach(System.out::println);
        System.out.println("written to " + file);
    }

    // ------------------------------------------------------------------------------------------ start-up, footprint

    private void readProcesses() throws IOException {
        Path pids = state.resolve("pids");
        if (Files.exists(pids)) {
            for (String line : Files.readAllLines(pids)) {
                String[] p = line.trim().split("\\s+");
                if (p.length == 2 && Files.exists(Path.of("/proc", p[1]))) {
                    processes.put(p[0], Long.parseLong(p[1]));
                }
            }
        }
        Path postmaster = state.resolve("postgres/postmaster.pid");
        if (Files.exists(postmaster)) {
            processes.put("postgres", Long.parseLong(Files.readAllLines(postmaster).get(0).trim()));
        }
        System.out.println("processes measured: " + processes
                + (processes.containsKey("postgres") ? "" : " (no embedded PostgreSQL: its CPU is not counted)"));
    }

    /**
     * Ends the benchmark, and the processes it started (ProducerPerformance, whose sends would wait minutes for a
     * broker that is gone), as soon as a process it measures exits: a benchmark left running after its system was
     * stopped went on for minutes and took the CPU from the next measurement.
     */
    private void stopWhenTheSystemStops() {
        Map<String, ProcessHandle> watched = new LinkedHashMap<>();
        processes.forEach((name, pid) -> ProcessHandle.of(pid).ifPresent(h -> watched.put(name, h)));
        Thread watcher = new Thread(() -> {
            while (true) {
                for (Map.Entry<String, ProcessHandle> p : watched.entrySet()) {
                    if (!p.getValue().isAlive()) {
                        System.out.println("the system stopped (" + p.getKey() + ", pid " + p.getValue().pid()
                                + ", exited): the benchmark stops, nothing written");
                        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
                        Runtime.getRuntime().halt(3);
                    }
                }
                LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
            }
        }, "system-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    private void startupAndFootprint() throws Exception {
        ObjectNode ready = out.putObject("readySeconds");
        Path readyFile = state.resolve("ready");
        if (Files.exists(readyFile)) {
            for (String line : Files.readAllLines(readyFile)) {
                String[] p = line.trim().split("\\s+");
                if (p.length == 2 && "system".equals(p[0])) {
                    // run.sh's launch of the first service to the dashboard's ready: what a user waits for
                    out.put("systemReadySeconds", Double.parseDouble(p[1]));
                } else if (p.length == 2) {
                    ready.put(p[0], Double.parseDouble(p[1]));
                }
            }
        }
        ObjectNode quarkusStarted = out.putObject("quarkusStartedInSeconds");
        Pattern started = Pattern.compile("started in ([0-9.]+)s");
        ObjectNode rss = out.putObject("idleRssMiB");
        // RSS counts the pages of mapped files too (a JVM's class-data archive: clean, shared, dropped and read again
        // by the kernel as it needs); the private part (RssAnon: heap, metaspace, stacks, code) is what each JVM takes
        ObjectNode privateMemory = out.putObject("idlePrivateMiB");
        for (Map.Entry<String, Long> p : processes.entrySet()) {
            Path log = state.resolve("logs/" + p.getKey() + ".log");
            if (Files.exists(log)) {
                Matcher m = started.matcher(Files.readString(log));
                if (m.find()) {
                    quarkusStarted.put(p.getKey(), Double.parseDouble(m.group(1)));
                }
            }
            if (!"postgres-bed".equals(p.getKey())) {
                rss.put(p.getKey(), statusKiB(p.getValue(), "VmRSS:") / 1024);
                privateMemory.put(p.getKey(), statusKiB(p.getValue(), "RssAnon:") / 1024);
            }
        }
        table.add(String.format("%-24s %10s %12s %16s", "process", "ready s", "idle RSS MiB", "of it private"));
        rss.fieldNames().forEachRemaining(n -> table.add(String.format("%-24s %10s %12d %16d", n,
                ready.has(n) ? String.format("%.2f", ready.path(n).asDouble()) : "-", rss.path(n).asLong(),
                privateMemory.path(n).asLong())));
        if (out.has("systemReadySeconds")) {
            table.add(String.format("the whole system ready %.2f s after run.sh launched the first service",
                    out.path("systemReadySeconds").asDouble()));
        }
        out.put("idleLoadAverage", loadAverage());
        idleCpuMsPerSecond = cpuRate(Duration.ofSeconds(4));
        out.put("idleCpuMsPerSecond", Math.round(idleCpuMsPerSecond));
        table.add(String.format("idle: %.0f ms of CPU per second across the measured processes", idleCpuMsPerSecond));
    }

    /** The measured processes' CPU, in ms per second, over {@code window}. */
    private double cpuRate(Duration window) throws Exception {
        long before = cpuMillis().values().stream().mapToLong(Long::longValue).sum();
        Thread.sleep(window.toMillis());
        long after = cpuMillis().values().stream().mapToLong(Long::longValue).sum();
        return (after - before) * 1000.0 / window.toMillis();
    }

    /**
     * Microseconds that some task on this machine waited for a CPU so far (Linux PSI, /proc/pressure/cpu "some"
     * total), or -1 where the kernel does not report it. Over a phase, the share of its time in which something was
     * runnable but not running: near 100 % means the figures are the machine's limit, not the code's.
     */
    private static long cpuPressureMicros() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/pressure/cpu"))) {
                if (line.startsWith("some")) {
                    Matcher m = Pattern.compile("total=([0-9]+)").matcher(line);
                    if (m.find()) {
                        return Long.parseLong(m.group(1));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or PSI off: the figure is left out
        }
        return -1;
    }

    // ------------------------------------------------------------------------------------------ machine limits

    private void insertLimits() throws Exception {
        String[] db = database("trialwatch_registry");
        String load = loadAverage();
        try (Connection c = DriverManager.getConnection(db[0], db[1], db[2]); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS bench_insert_limit (id bigserial PRIMARY KEY, "
                    + "at timestamptz NOT NULL DEFAULT now(), payload text NOT NULL)");
        }
        double one = insertTps(db, 1);
        double eight = insertTps(db, 8);
        try (Connection c = DriverManager.getConnection(db[0], db[1], db[2]); Statement s = c.createStatement()) {
            s.execute("DROP TABLE bench_insert_limit");
        }
        ObjectNode limits = out.putObject("limits");
        limits.put("pgInsertTps1", Math.round(one));
        limits.put("pgInsertTps8", Math.round(eight));
        limits.put("loadAverage", load);
        table.add(String.format("PostgreSQL single-row INSERT, one commit each: %.0f tps (1 client), %.0f tps (8)   [load %s]",
                one, eight, load));
    }

    private double insertTps(String[] db, int clients) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(phaseSeconds / 2 + 1).toNanos();
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            futures.add(pool.submit(() -> {
                try (Connection c = DriverManager.getConnection(db[0], db[1], db[2]);
                     PreparedStatement ps = c.prepareStatement("INSERT INTO bench_insert_limit (payload) VALUES (?)")) {
                    c.setAutoCommit(true);
                    while (System.nanoTime() < end) {
                        ps.setString(1, "status change " + done.get());
                        ps.executeUpdate();
                        done.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    /** The JDBC URL, user and password run.sh's PostgreSQL bed printed for a database. */
    private String[] database(String name) throws IOException {
        for (String line : Files.readAllLines(state.resolve("logs/postgres.log"))) {
            String[] p = line.trim().split("\\s+");
            if (p.length == 5 && p[0].equals("DB") && p[1].equals(name)) {
                return new String[] {p[2], p[3], "-".equals(p[4]) ? "" : p[4]};
            }
        }
        throw new IllegalStateException("no database " + name + " in " + state.resolve("logs/postgres.log"));
    }

    private void kafkaProducerLimit() throws Exception {
        int size = Math.max(100, out.path("trialEventsRecordBytes").asInt(700));
        String libs = System.getProperty("bench.kafkaLibs", "kafka-launcher/target/lib");
        String load = loadAverage();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", libs + "/*", "org.apache.kafka.tools.ProducerPerformance", "--topic", "trialwatch-bench-producer",
                "--num-records", Integer.toString(Integer.getInteger("bench.producerRecords", 300_000)),
                "--record-size", Integer.toString(size), "--throughput", "-1",
                "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all", "enable.idempotence=true")
                .redirectErrorStream(true).start();
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.contains("records/sec")) {
                    last = line;
                }
            }
        }
        p.waitFor();
        Matcher m = last == null ? null : Pattern.compile("([0-9.]+) records/sec").matcher(last);
        double rps = m != null && m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        ObjectNode limits = (ObjectNode) out.path("limits");
        limits.put("kafkaProducerRps", Double.isNaN(rps) ? null : Math.round(rps));
        limits.put("kafkaProducerRecordBytes", size);
        limits.put("kafkaProducerSummary", last);
        limits.put("kafkaProducerLoadAverage", load);
        table.add(String.format("Kafka ProducerPerformance acks=all, %d B records: %.0f records/s   [load %s]", size, rps,
                load));
    }

    // ------------------------------------------------------------------------------------------ registry alone

    private void registerTrials(int count) throws Exception {
        long runId = (System.currentTimeMillis() / 1000) % 100;
        System.out.printf("registering %d benchmark trials (NCT98%02dxxxx)...%n", count, runId);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String nctId = String.format("NCT98%02d%04d", runId, i);
            trials.add(nctId);
            futures.add(pool.submit(() -> {
                HttpResponse<String> r = HTTP.send(post(registry + "/api/trials", null,
                        "{\"nctId\":\"" + nctId + "\",\"tumourTypes\":[\"PC\"],\"overallStatus\":\"RECRUITING\"}"),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 201 && r.statusCode() != 409) {
                    throw new IllegalStateException("register " + nctId + ": " + r.statusCode() + " " + r.body());
                }
                JsonNode trial = EventJson.mapper().readTree(HTTP.send(HttpRequest.newBuilder(
                        URI.create(registry + "/api/trials/" + nctId)).build(), HttpResponse.BodyHandlers.ofString()).body());
                versions.put(nctId, trial.path("version").asLong());
                recruiting.put(nctId, "RECRUITING".equals(trial.path("overallStatus").asText()));
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        settle();
    }

    /** Closed loop: each client changes its own trials one after another, as fast as the registry answers. */
    private void registryAlone() throws Exception {
        ArrayNode levels = out.putArray("registryByConcurrency");
        double best = 0;
        Percentiles bestLatency = null;
        double insertLimit = Math.max(out.path("limits").path("pgInsertTps1").asDouble(),
                out.path("limits").path("pgInsertTps8").asDouble());
        for (int clients : new int[] {1, 8, 32}) {
            settle();
            String load = loadAverage();
            List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger failed = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            long start = System.nanoTime();
            long end = start + Duration.ofSeconds(phaseSeconds).toNanos();
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < clients; w++) {
                // each client has trials of its own, so no two clients race for one trial's version
                List<String> own = new ArrayList<>();
                for (int i = w; i < trials.size(); i += clients) {
                    own.add(trials.get(i));
                }
                futures.add(pool.submit(() -> {
                    for (int i = 0; System.nanoTime() < end; i++) {
                        String nctId = own.get(i % own.size());
                        long sent = System.nanoTime();
                        HttpResponse<String> r = change(nctId);
                        latencies.add((System.nanoTime() - sent) / 1e6);
                        if (r.statusCode() != 201) {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            double seconds = (System.nanoTime() - start) / 1e9;
            double rps = (latencies.size() - failed.get()) / seconds;
            Percentiles p = Percentiles.of(latencies.stream().mapToDouble(d -> d).toArray());
            ObjectNode level = levels.addObject();
            level.put("clients", clients);
            level.put("rps", Math.round(rps));
            level.put("p50Ms", round(p.p50()));
            level.put("p95Ms", round(p.p95()));
            level.put("p99Ms", round(p.p99()));
            level.put("failed", failed.get());
            level.put("loadAverage", load);
            table.add(String.format("registry writes alone, %2d clients: %5.0f/s  p50 %.1f  p95 %.1f  p99 %.1f ms  "
                    + "failed %d  (%.1f%% of the INSERT limit)   [load %s]", clients, rps, p.p50(), p.p95(), p.p99(),
                    failed.get(), 100 * rps / insertLimit, load));
            if (rps > best) {
                best = rps;
                bestLatency = p;
            }
        }
        ObjectNode reg = out.putObject("registry");
        reg.put("rps", Math.round(best));
        reg.put("p50Ms", bestLatency == null ? null : round(bestLatency.p50()));
        reg.put("p95Ms", bestLatency == null ? null : round(bestLatency.p95()));
        reg.put("p99Ms", bestLatency == null ? null : round(bestLatency.p99()));
        reg.put("ratioToInsertLimit", insertLimit == 0 ? null : round3(best / insertLimit));
    }

    /** One status change, flipping between RECRUITING and ACTIVE_NOT_RECRUITING, with the trial's version. */
    private HttpResponse<String> change(String nctId) throws IOException, InterruptedException {
        boolean toRecruiting = !recruiting.get(nctId);
        HttpResponse<String> r = sendChange(nctId, toRecruiting);
        noteChange(nctId, toRecruiting, r);
        return r;
    }

    /** One status change, through {@link PlainHttp} (the lighter client: the benchmark shares the cores it measures). */
    private HttpResponse<String> sendChange(String nctId, boolean toRecruiting) throws IOException {
        return PlainHttp.post(registry + "/api/trials/" + nctId + "/status-changes",
                Map.of("Authorization", "Bearer " + curator, "Content-Type", "application/json",
                        "If-Match", "\"" + versions.get(nctId) + "\""),
                "{\"newStatus\":\"" + (toRecruiting ? "RECRUITING" : "ACTIVE_NOT_RECRUITING") + "\",\"effectiveDate\":\""
                        + LocalDate.now() + "\"}");
    }

    private void noteChange(String nctId, boolean toRecruiting, HttpResponse<String> r) {
        if (r.statusCode() == 201) {
            r.headers().firstValue("ETag").ifPresent(e -> versions.put(nctId, Long.parseLong(e.replace("\"", ""))));
            recruiting.put(nctId, toRecruiting);
        } else if (r.statusCode() == 412 || r.statusCode() == 409) {
            try { // someone else's change: read the trial again
                JsonNode t = EventJson.mapper().readTree(HTTP.send(HttpRequest.newBuilder(
                        URI.create(registry + "/api/trials/" + nctId)).build(), HttpResponse.BodyHandlers.ofString()).body());
                versions.put(nctId, t.path("version").asLong());
                recruiting.put(nctId, "RECRUITING".equals(t.path("overallStatus").asText()));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ end to end

    private void endToEnd() throws Exception {
        FanOutBenchmark.Receiver receiver = FanOutBenchmark.Receiver.start();
        // A filter names at most 200 trials: one subscription per slice, so each change makes exactly one delivery.
        int slices = (trials.size() + 199) / 200;
        List<FanOutBenchmark.Created> subscription = FanOutBenchmark.createSubscriptions(notification, slices, 1,
                i -> "{\"name\":\"end-to-end benchmark " + i + "\",\"channel\":\"webhook\",\"url\":\"http://127.0.0.1:"
                        + receiver.port() + "/hook/e2e-" + i + "\",\"filter\":{\"nctIds\":[\""
                        + String.join("\",\"", trials.subList(i * 200, Math.min(trials.size(), (i + 1) * 200))) + "\"]}}");
        Map<String, Long> onTopic = new ConcurrentHashMap<>();
        Map<String, Long> summaries = new ConcurrentHashMap<>();
        EventArrivals topic = new EventArrivals(bootstrap, onTopic);
        EventArrivals summaryTopic = EventArrivals.summaryCauses(bootstrap, summaries);
        topic.startAndAwaitAssignment();
        summaryTopic.startAndAwaitAssignment();
        String[] rates = System.getProperty("bench.rates", "50,100,200,500").split(",");
        int warmUpSeconds = Integer.getInteger("bench.warmupSeconds", 20);
        if (warmUpSeconds > 0) {
            // Freshly started JVMs compile the hot paths during their first minute of traffic (C2 took a fifth of the
            // CPU of the first phase): an unmeasured run at the first rate goes first, so the phases below compare the
            // code rather than the JIT's warm-up. Its figures are kept apart as "warmUp".
            settle();
            table.add("warm-up (not counted below):");
            offer(Integer.parseInt(rates[0].trim()), warmUpSeconds, receiver, onTopic, summaries, topic, summaryTopic,
                    out.putObject("warmUp"));
        }
        // what the system burns doing nothing (relay and dispatcher polls, metrics, GC), which every window below includes
        settle();
        Map<String, Long> idleBefore = cpuMillis();
        long idleStart = System.nanoTime();
        Thread.sleep(5000);
        Map<String, Long> idleAfter = cpuMillis();
        long idleMs = idleAfter.entrySet().stream().mapToLong(e -> e.getValue() - idleBefore.getOrDefault(e.getKey(), 0L)).sum();
        out.put("idleCpuMsPerSecond", round(idleMs / ((System.nanoTime() - idleStart) / 1e9)));
        ArrayNode rows = out.putArray("endToEnd");
        long totalChanges = 0;
        double totalCpuMs = 0;
        try {
            for (String rateText : rates) {
                settle();
                int rate = Integer.parseInt(rateText.trim());
                int seconds = Integer.getInteger("bench.seconds", 60);
                ObjectNode row = rows.addObject();
                long[] cpuMsAndChanges = offer(rate, seconds, receiver, onTopic, summaries, topic, summaryTopic, row);
                totalCpuMs += cpuMsAndChanges[0];
                totalChanges += cpuMsAndChanges[1];
            }
        } finally {
            topic.stop();
            summaryTopic.stop();
            receiver.stop();
            FanOutBenchmark.cleanUp(notification, subscription);
        }
        out.put("trialEventsRecordBytes", topic.meanRecordBytes());
        out.put("cpuMsPerChange", totalChanges == 0 ? null : round(totalCpuMs / totalChanges));
        table.add(String.format("CPU per change over all end-to-end runs: %.2f ms (%d changes; processes: %s; "
                        + "idle, the system burns %.0f ms/s)", totalChanges == 0 ? Double.NaN : totalCpuMs / totalChanges,
                totalChanges, processes.keySet(), out.path("idleCpuMsPerSecond").asDouble()));
    }

    private long[] offer(int rate, int seconds, FanOutBenchmark.Receiver receiver, Map<String, Long> onTopic,
                         Map<String, Long> summaries, EventArrivals topic, EventArrivals summaryTopic, ObjectNode row)
            throws Exception {
        String load = loadAverage();
        Map<String, Long> cpuBefore = cpuMillis();
        int topicDupsBefore = topic.duplicates();
        int summaryDupsBefore = summaryTopic.duplicates();
        int webhookDupsBefore = receiver.duplicates();
        Map<String, Long> sentByEvent = new ConcurrentHashMap<>();
        List<Double> rest = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger rejected = new AtomicInteger();
        Map<String, Semaphore> inFlight = new ConcurrentHashMap<>();
        trials.forEach(t -> inFlight.put(t, new Semaphore(1)));
        int total = rate * seconds;
        CountDownLatch done = new CountDownLatch(total);
        long interval = 1_000_000_000L / rate;
        System.out.printf("end to end: %d status changes at %d/s over %d trials...%n", total, rate, trials.size());
        long start = System.nanoTime();
        long pressureBefore = cpuPressureMicros();
        // Past saturation the sender falls behind (one change per trial in flight): it stops at the run's end instead
        // of stretching it, and what it could not send counts as not offered.
        long stopSending = start + Duration.ofSeconds(seconds).toNanos() + interval;
        int sent = 0;
        for (int i = 0; i < total; i++, sent++) {
            if (System.nanoTime() > stopSending) {
                for (int j = i; j < total; j++) {
                    done.countDown();
                }
                break;
            }
            long wait = start + i * interval - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            String nctId = trials.get(i % trials.size());
            Semaphore slot = inFlight.get(nctId);
            slot.acquireUninterruptibly(); // one change per trial in flight: its next one needs the new version
            boolean toRecruiting = !recruiting.get(nctId);
            long sentAt = System.nanoTime();
            CompletableFuture.supplyAsync(() -> {
                        try {
                            return sendChange(nctId, toRecruiting);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }, SENDERS)
                    .whenComplete((r, err) -> {
                        try {
                            rest.add((System.nanoTime() - sentAt) / 1e6);
                            if (err == null && r.statusCode() == 201) {
                                sentByEvent.put(EventJson.mapper().readTree(r.body()).path("eventId").asText(), sentAt);
                            } else {
                                rejected.incrementAndGet();
                            }
                            if (err == null) {
                                noteChange(nctId, toRecruiting, r);
                            }
                        } catch (Exception e) {
                            rejected.incrementAndGet();
                        } finally {
                            slot.release();
                            done.countDown();
                        }
                    });
        }
        done.await();
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        long pressureAfter = cpuPressureMicros();
        Double cpuPressurePct = pressureBefore < 0 || pressureAfter < 0 ? null
                : round(Math.min(100, (pressureAfter - pressureBefore) / 1e4 / sendSeconds));
        // A backlog is late, not lost: wait while anything still arrives; give up after bench.quietSeconds (30) without
        // a new arrival, or bench.drainSeconds (600) in all. What has not arrived then counts as lost.
        long drainStart = System.nanoTime();
        long deadline = drainStart + Duration.ofSeconds(Long.getLong("bench.drainSeconds", 600)).toNanos();
        long quietNanos = Duration.ofSeconds(Long.getLong("bench.quietSeconds", 30)).toNanos();
        long lastProgress = System.nanoTime();
        long seen = -1;
        while (System.nanoTime() < deadline && System.nanoTime() - lastProgress < quietNanos) {
            long topicSeen = sentByEvent.keySet().stream().filter(onTopic::containsKey).count();
            long webhookSeen = sentByEvent.keySet().stream().filter(receiver.byEvent()::containsKey).count();
            long summarySeen = sentByEvent.keySet().stream().filter(summaries::containsKey).count();
            if (topicSeen + webhookSeen + summarySeen == 3L * sentByEvent.size()) {
                break;
            }
            if (topicSeen + webhookSeen + summarySeen != seen) {
                seen = topicSeen + webhookSeen + summarySeen;
                lastProgress = System.nanoTime();
            }
            Thread.sleep(500);
        }
        row.put("drainedSeconds", round((System.nanoTime() - drainStart) / 1e9));
        Thread.sleep(1000); // late duplicates
        Map<String, Long> cpuAfter = cpuMillis();
        long cpuMs = 0;
        ObjectNode cpuByProcess = row.putObject("cpuMsByProcess");
        for (Map.Entry<String, Long> e : cpuAfter.entrySet()) {
            long ms = e.getValue() - cpuBefore.getOrDefault(e.getKey(), 0L);
            cpuByProcess.put(e.getKey(), ms);
            cpuMs += ms;
        }
        int accepted = sentByEvent.size();
        List<Double> toTopic = new ArrayList<>();
        List<Double> toWebhook = new ArrayList<>();
        List<Double> toSummary = new ArrayList<>();
        int lostTopic = 0;
        int lostWebhook = 0;
        int lostSummary = 0;
        for (Map.Entry<String, Long> e : sentByEvent.entrySet()) {
            Long t = onTopic.get(e.getKey());
            FanOutBenchmark.EventArrival w = receiver.byEvent().get(e.getKey());
            Long s = summaries.get(e.getKey());
            if (t == null) { lostTopic++; } else { toTopic.add((t - e.getValue()) / 1e6); }
            if (w == null) { lostWebhook++; } else { toWebhook.add((w.last.get() - e.getValue()) / 1e6); }
            if (s == null) { lostSummary++; } else { toSummary.add((s - e.getValue()) / 1e6); }
        }
        Percentiles r = Percentiles.of(rest.stream().mapToDouble(d -> d).toArray());
        Percentiles pt = Percentiles.of(toTopic.stream().mapToDouble(d -> d).toArray());
        Percentiles pw = Percentiles.of(toWebhook.stream().mapToDouble(d -> d).toArray());
        Percentiles ps = Percentiles.of(toSummary.stream().mapToDouble(d -> d).toArray());
        int dupTopic = topic.duplicates() - topicDupsBefore;
        int dupWebhook = receiver.duplicates() - webhookDupsBefore;
        int dupSummary = summaryTopic.duplicates() - summaryDupsBefore;
        double achieved = accepted / sendSeconds;
        row.put("offeredRps", rate);
        row.put("seconds", seconds);
        row.put("achievedRps", Math.round(achieved));
        row.put("sent", sent);
        row.put("notOffered", total - sent);
        row.put("accepted", accepted);
        row.put("notAccepted", rejected.get());
        row.put("restP50Ms", round(r.p50()));
        row.put("restP99Ms", round(r.p99()));
        put(row, "topic", pt);
        put(row, "webhook", pw);
        put(row, "summary", ps);
        row.put("lost", Math.max(lostTopic, Math.max(lostWebhook, lostSummary)));
        row.put("lostTopic", lostTopic);
        row.put("lostWebhook", lostWebhook);
        row.put("lostSummary", lostSummary);
        row.put("duplicated", dupTopic + dupWebhook + dupSummary);
        row.put("duplicatedTopic", dupTopic);
        row.put("duplicatedWebhook", dupWebhook);
        row.put("duplicatedSummary", dupSummary);
        row.put("unsignedWebhooks", receiver.unsigned());
        row.put("cpuMsPerChange", accepted == 0 ? null : round((double) cpuMs / accepted));
        row.put("loadAverage", load);
        row.put("cpuPressureSomePct", cpuPressurePct);
        table.add(String.format("end to end %4d/s offered, %4.0f/s achieved (%d accepted, %d not, %d not sent): "
                        + "REST p99 %.0f ms | "
                        + "topic p50/p95/p99/max %.0f/%.0f/%.0f/%.0f | webhook %.0f/%.0f/%.0f/%.0f | "
                        + "summary %.0f/%.0f/%.0f/%.0f ms | lost %d/%d/%d dup %d/%d/%d | CPU %.2f ms/change, some task waiting for a CPU %s %% of the time   [load %s]",
                rate, achieved, accepted, rejected.get(), total - sent, r.p99(), pt.p50(), pt.p95(), pt.p99(), pt.max(), pw.p50(),
                pw.p95(), pw.p99(), pw.max(), ps.p50(), ps.p95(), ps.p99(), ps.max(), lostTopic, lostWebhook,
                lostSummary, dupTopic, dupWebhook, dupSummary, accepted == 0 ? Double.NaN : (double) cpuMs / accepted,
                cpuPressurePct == null ? "?" : String.format("%.0f", cpuPressurePct), load));
        System.out.println(table.get(table.size() - 1));
        return new long[] {cpuMs, accepted};
    }

    private static void put(ObjectNode row, String name, Percentiles p) {
        row.put(name + "P50Ms", round(p.p50()));
        row.put(name + "P95Ms", round(p.p95()));
        row.put(name + "P99Ms", round(p.p99()));
        row.put(name + "MaxMs", round(p.max()));
    }

    // ------------------------------------------------------------------------------------------ reads

    private void reads() throws Exception {
        ArrayNode reads = out.putArray("reads");
        String[][] plan = {
                {registry + "/q/health/live", null},
                {registry + "/api/trials?limit=50", registry + "/q/health/live"},
                {evidence + "/q/health/live", null},
                {evidence + "/api/summaries", evidence + "/q/health/live"},
        };
        Map<String, Double> rates = new LinkedHashMap<>();
        for (String[] p : plan) {
            String load = loadAverage();
            double[] figures = closedLoopGets(p[0], 8);
            rates.put(p[0], figures[0]);
            ObjectNode read = reads.addObject();
            String path = URI.create(p[0]).getRawPath() + (URI.create(p[0]).getRawQuery() == null ? ""
                    : "?" + URI.create(p[0]).getRawQuery());
            read.put("path", path);
            read.put("service", p[0].substring(0, p[0].indexOf('/', 8)));
            read.put("rps", Math.round(figures[0]));
            read.put("p50Ms", round(figures[1]));
            read.put("p99Ms", round(figures[2]));
            read.put("failed", (long) figures[3]);
            Double baseline = p[1] == null ? null : rates.get(p[1]);
            read.put("ratioToBaseline", baseline == null ? 1.0 : round3(figures[0] / baseline));
            read.put("loadAverage", load);
            table.add(String.format("read %-45s %6.0f/s  p50 %.1f  p99 %.1f ms  ratio to /q/health/live %.2f  "
                    + "failed %d   [load %s]", p[0], figures[0], figures[1], figures[2],
                    baseline == null ? 1.0 : figures[0] / baseline, (long) figures[3], load));
        }
    }

    /** {rps, p50, p99, failed} of GETs from {@code clients} loops for the phase's seconds. */
    private double[] closedLoopGets(String url, int clients) throws Exception {
        for (int i = 0; i < 20; i++) { // warm-up
            HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding());
        }
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(phaseSeconds).toNanos();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                HttpRequest get = HttpRequest.newBuilder(URI.create(url)).build();
                while (System.nanoTime() < end) {
                    long sent = System.nanoTime();
                    HttpResponse<byte[]> r = HTTP.send(get, HttpResponse.BodyHandlers.ofByteArray());
                    latencies.add((System.nanoTime() - sent) / 1e6);
                    if (r.statusCode() != 200) {
                        failed.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        Percentiles p = Percentiles.of(latencies.stream().mapToDouble(d -> d).toArray());
        return new double[] {(latencies.size() - failed.get()) / seconds, p.p50(), p.p99(), failed.get()};
    }

    // ------------------------------------------------------------------------------------------ /proc

    /** CPU time (user + system) of each measured process; PostgreSQL's includes its backends, live and ended. */
    private Map<String, Long> cpuMillis() throws IOException {
        Map<String, Long> cpu = new LinkedHashMap<>();
        for (Map.Entry<String, Long> p : processes.entrySet()) {
            String[] stat = stat(p.getValue());
            if (stat == null) {
                continue;
            }
            long ticks = Long.parseLong(stat[13]) + Long.parseLong(stat[14]);
            if ("postgres".equals(p.getKey())) {
                // ended backends are in the postmaster's cutime/cstime; live ones are read one by one
                ticks += Long.parseLong(stat[15]) + Long.parseLong(stat[16]);
                try (var children = Files.list(Path.of("/proc"))) {
                    for (Path d : (Iterable<Path>) children::iterator) {
                        String n = d.getFileName().toString();
                        if (!n.chars().allMatch(Character::isDigit)) {
                            continue;
                        }
                        String[] c = stat(Long.parseLong(n));
                        if (c != null && Long.parseLong(c[3]) == p.getValue()) {
                            ticks += Long.parseLong(c[13]) + Long.parseLong(c[14]);
                        }
                    }
                }
            }
            cpu.put(p.getKey(), ticks * 1000 / CLOCK_TICKS_PER_SECOND);
        }
        return cpu;
    }

    /** Fields of /proc/pid/stat, numbered from 0 (pid) with the command name removed as one field. */
    private static String[] stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String afterName = s.substring(s.lastIndexOf(')') + 2);
            String[] rest = afterName.trim().split(" ");
            String[] fields = new String[rest.length + 2];
            fields[0] = Long.toString(pid);
            fields[1] = "comm";
            System.arraycopy(rest, 0, fields, 2, rest.length);
            return fields;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A kB figure of /proc/<pid>/status ({@code VmRSS:}, {@code RssAnon:}); -1 if the process is gone. */
    private static long statusKiB(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    private static long memTotalKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    private static String loadAverage() {
        try {
            String[] p = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return p[0] + " " + p[1] + " " + p[2];
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * Waits (at most 60 s) until the measured processes are back near their idle CPU (measured before any load, plus a
     * twentieth of a core): the last phase's backlog is gone. A fixed threshold (a tenth of a core) sat below what this
     * system uses at rest (broker, databases and three services: about 100-150 ms/s), so every settle took its 60 s.
     */
    private void settle() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        double quiet = idleCpuMsPerSecond + 50;
        while (System.nanoTime() < deadline) {
            if (cpuRate(Duration.ofSeconds(2)) < quiet) {
                return;
            }
        }
    }

    private HttpRequest post(String url, String ifMatch, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + curator).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (ifMatch != null) {
            b.header("If-Match", ifMatch);
        }
        return b.build();
    }

    private static Double round(double v) {
        return Double.isNaN(v) ? null : Math.round(v * 10) / 10.0;
    }

    private static Double round3(double v) {
        return Double.isNaN(v) ? null : Math.round(v * 1000) / 1000.0;
    }
}
