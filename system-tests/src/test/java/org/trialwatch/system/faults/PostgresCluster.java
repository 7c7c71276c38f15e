package org.trialwatch.system.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway PostgreSQL cluster that the fault matrix owns, so that it may restart it: {@code initdb} into a
 * directory of its own, {@code pg_ctl} on a port of its own (never the shared server the other tests use). The
 * binaries are PostgreSQL's ({@code TRIALWATCH_PG_BIN}, default {@code /usr/lib/postgresql/15/bin}); PostgreSQL
 * refuses to run as root, so when we are root they run as the {@code postgres} user through {@code runuser}.
 */
final class PostgresCluster implements AutoCloseable {

    private final Path bin;
    private final Path dataDir;
    private final Path logFile;
    private final int port;

    private PostgresCluster(Path bin, Path dataDir, Path logFile, int port) {
        this.bin = bin;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.port = port;
    }

    /** Creates a fresh cluster in {@code dir} (deleted first) and starts it on {@code port}. */
    static PostgresCluster create(Path dir, int port) throws IOException, InterruptedException {
        String configured = System.getenv("TRIALWATCH_PG_BIN");
        Path bin = Path.of(configured == null || configured.isBlank() ? "/usr/lib/postgresql/15/bin" : configured);
        if (!Files.isExecutable(bin.resolve("initdb"))) {
            throw new IllegalStateException("PostgreSQL binaries not found in " + bin + " (set TRIALWATCH_PG_BIN)");
        }
        deleteRecursively(dir);
        Files.createDirectories(dir);
        Path dataDir = dir.resolve("data");
        PostgresCluster cluster = new PostgresCluster(bin, dataDir, dir.resolve("postgres.log"), port);
        if (isRoot()) {
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
        }
        cluster.pg(List.of(bin.resolve("initdb").toString(), "-D", dataDir.toString(), "-A", "trust", "-U", "postgres",
                "--no-sync", "-E", "UTF8"));
        cluster.start();
        return cluster;
    }

    int port() {
        return port;
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    void createDatabase(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
    }

    void start() throws IOException, InterruptedException {
        // fsync off: the matrix tests the services' handling of a restart, not PostgreSQL's durability on a crash
        pg(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-l", logFile.toString(), "-w",
                "-t", "120", "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories="
                        + dataDir + " -c max_connections=300 -c fsync=off", "start"));
    }

    /** Stops the server at once, as a crash would ({@code immediate}: no checkpoint, clients cut off). */
    void stopImmediately() throws IOException, InterruptedException {
        pg(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "immediate", "-w", "stop"));
    }

    @Override
    public void close() {
        try {
            pg(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast", "-w", "stop"));
        } catch (Exception e) {
            System.err.println("could not stop the matrix's PostgreSQL: " + e.getMessage());
        }
    }

    private void pg(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
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
