package org.trialwatch.testbed;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The three packaged services ({@code target/quarkus-app/quarkus-run.jar}) started as separate processes in the prod
 * profile, configured by environment variables only, against the test broker and fresh databases — as an operator
 * would run them. Used by the system tests and the dashboard's browser tests; each service logs to
 * {@code <module>/target/service-logs/} of the module whose tests started it. A service can be killed
 * ({@code kill -9}) and started again on the same port, as the fault matrix does.
 */
public final class RunningSystem implements AutoCloseable {

    public enum Service {
        REGISTRY("trial-registry-service"), EVIDENCE("evidence-service"), NOTIFICATION("notification-service");

        public final String module;

        Service(String module) {
            this.module = module;
        }
    }

    /** Where a service's database is. */
    public record Database(String jdbcUrl, String username, String password) {
    }

    /**
     * How to run the system: the broker, each service's database, extra environment per service (an operator's
     * settings), and where the services' logs go (appended to across restarts).
     */
    public record Options(String bootstrapServers, Map<Service, Database> databases,
                          Map<Service, Map<String, String>> extraEnv, Path logDir) {
    }

    private static final HttpClient HEALTH = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Options options;
    private final Path root;
    private final Map<Service, Integer> ports = new EnumMap<>(Service.class);
    private final Map<Service, Process> processes = new EnumMap<>(Service.class);
    private final List<PostgresDatabases.Database> ownDatabases = new ArrayList<>();

    private final String webhookSecretKey = randomAesKey();

    private RunningSystem(Options options, Path root) {
        this.options = options;
        this.root = root;
    }

    /** Starts the services with their logs in {@code target/service-logs} of the calling module. */
    public static RunningSystem start(Map<Service, Map<String, String>> extraEnv) throws Exception {
        return start(Path.of("target/service-logs").toAbsolutePath(), extraEnv);
    }

    /** The services against the test broker, each with a fresh database on the test PostgreSQL (dropped at close). */
    public static RunningSystem start(Path logDir, Map<Service, Map<String, String>> extraEnv) throws Exception {
        Map<Service, Database> databases = new EnumMap<>(Service.class);
        List<PostgresDatabases.Database> created = new ArrayList<>();
        for (Service s : Service.values()) {
            PostgresDatabases.Database db = PostgresDatabases.create("tw_sys_" + s.name().toLowerCase());
            created.add(db);
            databases.put(s, new Database(db.jdbcUrl(), db.username(), db.password()));
        }
        RunningSystem system = new RunningSystem(
                new Options(KafkaTopicReader.testBootstrapServers(), databases, extraEnv, logDir), projectRoot());
        system.ownDatabases.addAll(created);
        return system.startAll();
    }

    /** The services as {@code options} say; the caller owns the broker and the databases. */
    public static RunningSystem start(Options options) throws Exception {
        return new RunningSystem(options, projectRoot()).startAll();
    }

    private RunningSystem startAll() throws Exception {
        try {
            Files.createDirectories(options.logDir());
            for (Service s : Service.values()) {
                ports.put(s, freePort());
                launch(s);
            }
            for (Service s : Service.values()) {
                awaitReady(s, Duration.ofSeconds(180));
            }
            return this;
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    private void launch(Service s) throws IOException {
        Path jar = root.resolve(s.module + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (./mvnw package)");
        }
        Database db = options.databases().get(s);
        ProcessBuilder pb = new ProcessBuilder(javaBin(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString());
        Map<String, String> env = pb.environment();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(ports.get(s)));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", db.username());
        env.put("QUARKUS_DATASOURCE_PASSWORD", db.password());
        env.put("KAFKA_BOOTSTRAP_SERVERS", options.bootstrapServers());
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", root.resolve("test-support/src/main/resources/dev-keys/jwt-public.pem").toString());
        env.put("MP_JWT_VERIFY_ISSUER", "https://trialwatch.local/dev");
        env.put("MP_JWT_VERIFY_AUDIENCES", "trialwatch");
        // the notification service seals webhook secrets with it; the same key across restarts, so it can unseal them
        env.put("TRIALWATCH_WEBHOOKS_SECRET_KEYS", "system-1:" + webhookSecretKey);
        // and signs e-mail confirmation links with this one (required in prod, like the key above)
        env.put("TRIALWATCH_MAIL_CONFIRMATION_KEY", webhookSecretKey);
        env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        env.putAll(options.extraEnv().getOrDefault(s, Map.of()));
        File log = options.logDir().resolve(s.module + ".log").toFile();
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        processes.put(s, pb.start());
    }

    private static String randomAesKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    public String url(Service s) {
        return "http://127.0.0.1:" + ports.get(s);
    }

    public Path logDir() {
        return options.logDir();
    }

    /** Kills the service as a crash would ({@code kill -9}: no shutdown hooks, nothing flushed). */
    public void kill(Service s) throws InterruptedException {
        Process p = processes.get(s);
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Starts a killed service again on the same port with the same settings, and waits until it is ready. */
    public void restart(Service s, Duration readyWithin) throws Exception {
        Process p = processes.get(s);
        if (p != null && p.isAlive()) {
            throw new IllegalStateException(s.module + " is still running");
        }
        launch(s);
        awaitReady(s, readyWithin);
    }

    public boolean isReady(Service s) {
        try {
            HttpResponse<Void> r = HEALTH.send(HttpRequest.newBuilder(URI.create(url(s) + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public void awaitReady(Service s, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (isReady(s)) {
                return;
            }
            Process p = processes.get(s);
            if (p != null && !p.isAlive()) {
                throw new IllegalStateException(s.module + " exited with " + p.exitValue() + "; see " + options.logDir());
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(s.module + " not ready after " + timeout + "; see " + options.logDir());
    }

    @Override
    public void close() {
        for (Process p : processes.values()) {
            p.destroy();
        }
        for (Process p : processes.values()) {
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ownDatabases.forEach(PostgresDatabases::drop);
    }

    /** The project's root directory: {@code -Dtrialwatch.root}, else the parent of the working directory. */
    public static Path projectRoot() {
        return Path.of(System.getProperty("trialwatch.root", "..")).toAbsolutePath().normalize();
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * A free port for a listener, chosen below the kernel's ephemeral range (Linux: 32768-60999 by default). A port the
     * kernel hands out for {@code bind(0)} comes from that range, and an outgoing connection of a service started
     * meanwhile (its broker or database client) could take it before the listener binds: seen in CI as "Port 39193
     * seems to be in use" and a service that exited. Outgoing connections never take a port below the range.
     */
    public static int freePort() throws IOException {
        int ephemeralLow = ephemeralPortsFrom();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; ephemeralLow > 20_000 && attempt < 100; attempt++) {
            int port = random.nextInt(15_000, ephemeralLow);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(port));
                return port;
            } catch (IOException taken) {
                // another listener has it: try another
            }
        }
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The first port of the kernel's ephemeral range, or 32768 (Linux's default) where it cannot be read. */
    private static int ephemeralPortsFrom() {
        try {
            // readAllLines, not readString: /proc files report size 0, and readString then returned only "3"
            return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim()
                    .split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
