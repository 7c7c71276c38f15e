package org.trialwatch.testbed;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The three packaged services ({@code target/quarkus-app/quarkus-run.jar}) started as separate processes in the prod
 * profile, configured by environment variables only, against the test broker and fresh databases — as an operator
 * would run them. Used by the system tests and the dashboard's browser tests; each service logs to
 * {@code <module>/target/service-logs/} of the module whose tests started it.
 */
public final class RunningSystem implements AutoCloseable {

    public enum Service {
        REGISTRY("trial-registry-service"), EVIDENCE("evidence-service"), NOTIFICATION("notification-service");

        final String module;

        Service(String module) {
            this.module = module;
        }
    }

    private final Map<Service, Integer> ports = new HashMap<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<PostgresDatabases.Database> databases = new ArrayList<>();
    private final Path logDir;

    private RunningSystem(Path logDir) {
        this.logDir = logDir;
    }

    /** Starts the services with their logs in {@code target/service-logs} of the calling module. */
    public static RunningSystem start(Map<Service, Map<String, String>> extraEnv) throws Exception {
        return start(Path.of("target/service-logs").toAbsolutePath(), extraEnv);
    }

    public static RunningSystem start(Path logDir, Map<Service, Map<String, String>> extraEnv) throws Exception {
        Path root = Path.of(System.getProperty("trialwatch.root", "..")).toAbsolutePath().normalize();
        Files.createDirectories(logDir);
        RunningSystem system = new RunningSystem(logDir);
        String bootstrap = KafkaTopicReader.testBootstrapServers();
        Path publicKey = root.resolve("test-support/src/main/resources/dev-keys/jwt-public.pem");
        try {
            for (Service s : Service.values()) {
                PostgresDatabases.Database db = PostgresDatabases.create("tw_sys_" + s.name().toLowerCase());
                system.databases.add(db);
                int port = freePort();
                system.ports.put(s, port);
                Path jar = root.resolve(s.module + "/target/quarkus-app/quarkus-run.jar");
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalStateException(jar + " is missing: package the services first (./mvnw package)");
                }
                ProcessBuilder pb = new ProcessBuilder(javaBin(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar",
                        jar.toString());
                Map<String, String> env = pb.environment();
                env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
                env.put("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl());
                env.put("QUARKUS_DATASOURCE_USERNAME", db.username());
                env.put("QUARKUS_DATASOURCE_PASSWORD", db.password());
                env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
                env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", publicKey.toString());
                env.put("MP_JWT_VERIFY_ISSUER", "https://trialwatch.local/dev");
                env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
                env.putAll(extraEnv.getOrDefault(s, Map.of()));
                File log = logDir.resolve(s.module + ".log").toFile();
                pb.redirectErrorStream(true).redirectOutput(log);
                system.processes.add(pb.start());
            }
            for (Service s : Service.values()) {
                system.awaitReady(s, Duration.ofSeconds(120));
            }
            return system;
        } catch (Exception e) {
            system.close();
            throw e;
        }
    }

    public String url(Service s) {
        return "http://127.0.0.1:" + ports.get(s);
    }

    private void awaitReady(Service s, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url(s) + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(s.module + " not ready after " + timeout + "; see " + logDir);
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        databases.forEach(PostgresDatabases::drop);
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
