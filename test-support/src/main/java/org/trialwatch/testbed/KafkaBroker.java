package org.trialwatch.testbed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-node KRaft Kafka broker running in its own JVM from {@code kafka-launcher/target/kafka-launcher.jar}.
 *
 * <p>One broker serves every test class of a test JVM (starting one costs 2–4 s). It can be stopped and started again
 * on the same port with the same data, which the outbox tests use to show that nothing is lost while Kafka is down.
 * When {@code KAFKA_BOOTSTRAP_SERVERS} names an external broker, that one is used and never stopped.
 */
public final class KafkaBroker {

    private static KafkaBroker shared;

    private final int port;
    private final Path dataDir;
    private Process process;

    private KafkaBroker(int port, Path dataDir) {
        this.port = port;
        this.dataDir = dataDir;
    }

    /** The bootstrap servers of an external broker, or null when the tests run their own. */
    public static String externalBootstrapServers() {
        String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        return external == null || external.isBlank() ? null : external.trim();
    }

    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            try {
                KafkaBroker broker = new KafkaBroker(freePortPair(), Files.createTempDirectory("trialwatch-kafka-"));
                broker.start();
                Runtime.getRuntime().addShutdownHook(new Thread(broker::stopAndDelete, "kafka-broker-cleanup"));
                shared = broker;
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the test Kafka broker", e);
            }
        }
        return shared;
    }

    /**
     * A broker of the caller's own (not the shared one) on a free port pair, keeping its log in {@code dataDir}; not
     * started yet. Fault runs use it to kill the broker and start it again on the same data.
     */
    public static KafkaBroker onFreePort(Path dataDir) {
        try {
            return new KafkaBroker(freePortPair(), dataDir);
        } catch (IOException e) {
            throw new IllegalStateException("no free port pair for a Kafka broker", e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        Path jar = LauncherJar.locate();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-jar", jar.toString(),
                Integer.toString(port), dataDir.toString()))
                .redirectErrorStream(true);
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot launch " + jar, e);
        }
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> pumpOutput(process, ready), "kafka-broker-output");
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("Kafka broker did not become ready within 90 s", e);
        }
    }

    /** Stops the broker cleanly (SIGTERM), keeping its data so that {@link #start()} brings the same log back. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Kills the broker as a crash would ({@code kill -9}), keeping its data so that {@link #start()} recovers it. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private void stopAndDelete() {
        stop();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }

    private static void pumpOutput(Process p, CompletableFuture<Void> ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("KAFKA_READY")) {
                    ready.complete(null);
                } else if (line.contains("ERROR") || line.contains("Exception")) {
                    System.err.println("[kafka] " + line);
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
        ready.completeExceptionally(new IllegalStateException("Kafka broker exited before it was ready"));
    }

    /** A port whose successor is free too: the launcher puts the KRaft controller on port + 1. */
    static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket first = new ServerSocket(0)) {
                int candidate = first.getLocalPort();
                if (candidate < 65535) {
                    try (ServerSocket second = new ServerSocket(candidate + 1)) {
                        return candidate;
                    } catch (IOException taken) {
                        // try another pair
                    }
                }
            }
        }
        throw new IOException("no free port pair found");
    }
}
