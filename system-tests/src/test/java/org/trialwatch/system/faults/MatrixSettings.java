package org.trialwatch.system.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.trialwatch.system.faults.WebhookEndpoints.Kind;

/**
 * How big a fault-matrix run is and how long its faults last.
 *
 * @param changes        accepted curator status changes to drive at least (the run goes on until every fault was
 *                       injected too)
 * @param trials         trials the changes are spread over (each has at most one change in flight: If-Match)
 * @param ratePerSecond  status-change requests per second over all trials
 * @param gap            quiet time before each fault and after the last one
 * @param databaseCut    how long the evidence service's database connection is cut
 * @param endpointDown   how long the "down" webhook endpoint refuses connections
 * @param settleTimeout  after the last change, how long to wait for every delivery and for the evidence service to
 *                       catch up before accounting
 * @param retrySchedule  the notification service's delivery retry schedule for the run
 *                       ({@code TRIALWATCH_DELIVERY_RETRY_SCHEDULE}): short, so that the "down" endpoint recovers
 *                       within the run (production's 5s,5m,... would wait 5 minutes)
 * @param workDir        where the run keeps its PostgreSQL cluster, broker data and service logs (emptied first)
 * @param endpoints      the webhook endpoints subscribed (all of them, unless one is left out to see what the others
 *                       show without it)
 */
public record MatrixSettings(int changes, int trials, int ratePerSecond, Duration gap, Duration databaseCut,
                             Duration endpointDown, Duration settleTimeout, String retrySchedule, Path workDir,
                             Set<Kind> endpoints) {

    static final String SHORT_RETRY_SCHEDULE = "1s,2s,5s,10s,10s,10s,10s,10s,10s,10s,10s,10s,10s,10s,10s";

    /** The full matrix: at least 2,000 changes over a dozen trials. */
    public static MatrixSettings full(Path workDir) {
        return new MatrixSettings(2000, 12, 10, Duration.ofSeconds(15), Duration.ofSeconds(8), Duration.ofSeconds(60),
                Duration.ofSeconds(180), SHORT_RETRY_SCHEDULE, workDir, EnumSet.allOf(Kind.class));
    }

    /** The same faults on a few hundred changes, for the test suite. */
    public static MatrixSettings small(Path workDir) {
        return new MatrixSettings(300, 12, 6, Duration.ofSeconds(3), Duration.ofSeconds(8), Duration.ofSeconds(20),
                Duration.ofSeconds(90), SHORT_RETRY_SCHEDULE, workDir, EnumSet.allOf(Kind.class));
    }

    /**
     * These settings with any of {@code --changes= --trials= --rate= --gap= --db-cut= --endpoint-down= --settle=}
     * (durations in seconds) {@code --retry-schedule= --work-dir= --without=stalled,gone} applied.
     */
    public MatrixSettings with(String[] args) {
        Map<String, String> given = new HashMap<>();
        for (String a : args) {
            if (!a.startsWith("--") || !a.contains("=")) {
                throw new IllegalArgumentException("arguments look like --changes=2000, not " + a);
            }
            given.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        MatrixSettings s = new MatrixSettings(
                Integer.parseInt(given.getOrDefault("changes", String.valueOf(changes))),
                Integer.parseInt(given.getOrDefault("trials", String.valueOf(trials))),
                Integer.parseInt(given.getOrDefault("rate", String.valueOf(ratePerSecond))),
                seconds(given, "gap", gap), seconds(given, "db-cut", databaseCut),
                seconds(given, "endpoint-down", endpointDown), seconds(given, "settle", settleTimeout),
                given.getOrDefault("retry-schedule", retrySchedule),
                Path.of(given.getOrDefault("work-dir", workDir.toString())), without(endpoints, given.get("without")));
        given.keySet().removeAll(java.util.Set.of("changes", "trials", "rate", "gap", "db-cut", "endpoint-down",
                "settle", "retry-schedule", "work-dir", "without"));
        if (!given.isEmpty()) {
            throw new IllegalArgumentException("unknown arguments " + given.keySet());
        }
        return s;
    }

    private static Set<Kind> without(Set<Kind> endpoints, String leftOut) {
        Set<Kind> kept = EnumSet.copyOf(endpoints);
        if (leftOut != null && !leftOut.isBlank()) {
            for (String name : leftOut.split(",")) {
                kept.remove(Kind.valueOf(name.trim().toUpperCase().replace('-', '_')));
            }
        }
        return kept;
    }

    private static Duration seconds(Map<String, String> given, String key, Duration fallback) {
        return given.containsKey(key) ? Duration.ofSeconds(Long.parseLong(given.get(key))) : fallback;
    }
}
