package org.trialwatch.testbed;

import java.nio.file.Path;

/**
 * The local run's PostgreSQL: creates one database per service on the server named by {@code TRIALWATCH_TEST_JDBC_URL},
 * or else on an embedded PostgreSQL (zonky's packaged binaries) kept in {@code <data-dir>} on {@code <port>}.
 * Usage: {@code LocalBed <port> <data-dir> <db>...}. Prints {@code DB <name> <jdbc-url> <user> <password>} per
 * database and then {@code BED_READY}, and keeps the embedded server up until killed.
 */
public final class LocalBed {

    private LocalBed() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 3) {
            System.err.println("usage: LocalBed <port> <data-dir> <database>...");
            System.exit(2);
        }
        String external = System.getenv("TRIALWATCH_TEST_JDBC_URL");
        if (external == null || external.isBlank()) {
            PostgresDatabases.embeddedServer(Integer.parseInt(args[0]), Path.of(args[1]).toAbsolutePath());
        }
        for (int i = 2; i < args.length; i++) {
            PostgresDatabases.Database db = PostgresDatabases.createNamed(args[i]);
            System.out.println("DB " + db.name() + " " + db.jdbcUrl() + " " + db.username() + " "
                    + (db.password().isEmpty() ? "-" : db.password()));
        }
        System.out.println("BED_READY");
        System.out.flush();
        Thread.currentThread().join();
    }
}
