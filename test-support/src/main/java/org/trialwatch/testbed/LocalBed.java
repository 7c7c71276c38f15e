package org.trialwatch.testbed;

import java.nio.file.Path;

/**
 * The local run's infrastructure in one process: an embedded PostgreSQL with one database per service, and prints
 * a curator token. Usage: {@code LocalBed <pg-port> <pg-data-dir> <db>...}. Prints {@code PG_READY <jdbc-url-base>}
 * and {@code CURATOR_TOKEN <jwt>}, then waits until killed.
 */
public final class LocalBed {

    private LocalBed() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        PostgresDatabases.embeddedServer(port, Path.of(args[1]).toAbsolutePath());
        for (int i = 2; i < args.length; i++) {
            PostgresDatabases.createNamed(args[i]);
        }
        System.out.println("PG_READY jdbc:postgresql://127.0.0.1:" + port + "/");
        System.out.println("CURATOR_TOKEN " + TestTokens.curator());
        System.out.flush();
        Thread.currentThread().join();
    }
}
