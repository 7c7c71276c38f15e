package org.trialwatch.system.faults;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.trialwatch.system.bench.Percentiles;
import org.trialwatch.system.faults.WebhookEndpoints.Kind;

/**
 * The exact accounting of a fault-matrix run, from what was observed (plain data, no I/O): which changes the
 * registry accepted, what is on the topics, what each endpoint received, what the services say. {@link #violations()}
 * names every invariant the run broke; {@link #print} writes the figures.
 */
record MatrixReport(Observed observed) {

    /** A trial's status and the sequence of its last event, as one service sees it. */
    record TrialState(String status, Long lastSequence) {
    }

    /** One request an endpoint received: the event it carried, its webhook-id, when, and the answer it got. */
    record Received(String eventId, String webhookId, long receivedNanos, int status) {
        boolean answered2xx() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * @param changes        every change the run made, as the registry's history lists it: event id -> NCT id
     * @param acknowledged   the changes answered 201: event id -> when the answer came
     * @param onTrialEvents  event ids ({@code ce_id}) read from {@code trial-events}
     * @param received       per endpoint the run subscribed, every request it received
     * @param deadLettered   per dead-letter topic, the {@code ce_id} of each record on it
     * @param poisonId       the {@code ce_id} of the poison record the run published
     * @param startNanos     when the run started ({@link System#nanoTime()}), to print times relative to it
     */
    record Observed(int attempts, int refused, int failed, Map<String, String> changes, Map<String, Long> acknowledged,
                    Set<String> onTrialEvents, Map<String, TrialState> registry, Map<String, TrialState> evidence,
                    Map<Kind, List<Received>> received, Map<String, List<String>> deadLettered, String poisonId,
                    boolean goneSubscriptionEnabled, int badSignatures, List<FaultWindow> windows,
                    long startNanos, double runSeconds) {
    }

    /** Per endpoint: changes that never got a 2xx answer, extra 2xx deliveries, and whether each repeat kept its webhook-id. */
    record EndpointFigures(int requests, int delivered, int missing, int duplicates, boolean duplicatesSameWebhookId) {
    }

    Map<Kind, EndpointFigures> endpoints() {
        Map<Kind, EndpointFigures> figures = new EnumMap<>(Kind.class);
        for (Kind kind : observed.received().keySet()) {
            List<Received> all = observed.received().get(kind);
            Map<String, List<Received>> byEvent = all.stream().filter(Received::answered2xx)
                    .collect(Collectors.groupingBy(Received::eventId));
            int missing = (int) observed.changes().keySet().stream().filter(id -> !byEvent.containsKey(id)).count();
            int duplicates = byEvent.values().stream().mapToInt(l -> l.size() - 1).sum();
            boolean sameId = byEvent.values().stream()
                    .allMatch(l -> l.stream().map(Received::webhookId).distinct().count() == 1);
            figures.put(kind, new EndpointFigures(all.size(), byEvent.size(), missing, duplicates, sameId));
        }
        return figures;
    }

    /** Changes lost: accepted but not in the registry's history, not on trial-events, or not delivered to an endpoint that recovered. */
    Set<String> lost() {
        Set<String> lost = new HashSet<>();
        observed.acknowledged().keySet().stream().filter(id -> !observed.changes().containsKey(id)).forEach(lost::add);
        observed.changes().keySet().stream().filter(id -> !observed.onTrialEvents().contains(id)).forEach(lost::add);
        for (Kind kind : observed.received().keySet()) {
            if (kind.mustReceiveAll) {
                Set<String> delivered = observed.received().get(kind).stream()
                        .filter(Received::answered2xx).map(Received::eventId).collect(Collectors.toSet());
                observed.changes().keySet().stream().filter(id -> !delivered.contains(id)).forEach(lost::add);
            }
        }
        return lost;
    }

    /** Trials on which the evidence service disagrees with the registry (status or last sequence). */
    Map<String, String> stale() {
        Map<String, String> stale = new TreeMap<>();
        observed.registry().forEach((nctId, registry) -> {
            TrialState evidence = observed.evidence().get(nctId);
            if (!registry.equals(evidence)) {
                stale.put(nctId, "registry " + registry + ", evidence " + evidence);
            }
        });
        return stale;
    }

    Map<String, Integer> validDeadLettered() {
        Map<String, Integer> valid = new LinkedHashMap<>();
        observed.deadLettered().forEach((topic, ids) ->
                valid.put(topic, (int) ids.stream().filter(id -> !observed.poisonId().equals(id)).count()));
        return valid;
    }

    Map<String, Boolean> poisonDeadLettered() {
        Map<String, Boolean> poison = new LinkedHashMap<>();
        observed.deadLettered().forEach((topic, ids) -> poison.put(topic, ids.contains(observed.poisonId())));
        return poison;
    }

    /** Delivery latency to the healthy endpoint (201 answer -> first 2xx delivery), split by the fault windows. */
    Percentiles[] healthyLatency() {
        double[][] split = healthyLatencySamples();
        return new Percentiles[] {Percentiles.of(split[0]), Percentiles.of(split[1])};
    }

    /** Milliseconds per change, outside and inside the system's fault windows. */
    private double[][] healthyLatencySamples() {
        Map<String, Long> firstArrival = firstHealthyArrivals();
        List<Double> outside = new ArrayList<>();
        List<Double> inside = new ArrayList<>();
        observed.acknowledged().forEach((id, ack) -> {
            Long arrived = firstArrival.get(id);
            if (arrived != null) {
                boolean during = observed.windows().stream().anyMatch(w -> w.ofTheSystem() && w.contains(ack));
                (during ? inside : outside).add(Math.max(0, arrived - ack) / 1e6);
            }
        });
        return new double[][] {
                outside.stream().mapToDouble(d -> d).toArray(), inside.stream().mapToDouble(d -> d).toArray()};
    }

    /** Latency to the healthy endpoint per 10 s slice of the run in which the change was accepted. */
    Map<Long, Percentiles> healthyLatencyBySlice() {
        Map<String, Long> firstArrival = firstHealthyArrivals();
        Map<Long, List<Double>> slices = new TreeMap<>();
        observed.acknowledged().forEach((id, ack) -> {
            Long arrived = firstArrival.get(id);
            if (arrived != null) {
                slices.computeIfAbsent((ack - observed.startNanos()) / 10_000_000_000L * 10, k -> new ArrayList<>())
                        .add(Math.max(0, arrived - ack) / 1e6);
            }
        });
        Map<Long, Percentiles> figures = new LinkedHashMap<>();
        slices.forEach((slice, ms) -> figures.put(slice, Percentiles.of(ms.stream().mapToDouble(d -> d).toArray())));
        return figures;
    }

    private Map<String, Long> firstHealthyArrivals() {
        Map<String, Long> firstArrival = new java.util.HashMap<>();
        for (Received r : observed.received().getOrDefault(Kind.HEALTHY, List.of())) {
            if (r.answered2xx()) {
                firstArrival.merge(r.eventId(), r.receivedNanos(), Math::min);
            }
        }
        return firstArrival;
    }

    Percentiles healthyLatencyOverall() {
        double[][] split = healthyLatencySamples();
        return Percentiles.of(java.util.stream.DoubleStream.concat(java.util.Arrays.stream(split[0]),
                java.util.Arrays.stream(split[1])).toArray());
    }

    /** Every invariant the run broke, in words; empty when it held them all. */
    List<String> violations() {
        List<String> v = new ArrayList<>();
        if (observed.changes().isEmpty()) {
            v.add("no change was accepted");
        }
        long notInHistory = observed.acknowledged().keySet().stream().filter(id -> !observed.changes().containsKey(id)).count();
        if (notInHistory > 0) {
            v.add(notInHistory + " changes answered 201 are not in the registry's history");
        }
        long notOnTopic = observed.changes().keySet().stream().filter(id -> !observed.onTrialEvents().contains(id)).count();
        if (notOnTopic > 0) {
            v.add(notOnTopic + " accepted changes are not on trial-events");
        }
        endpoints().forEach((kind, f) -> {
            if (kind.mustReceiveAll && f.missing() > 0) {
                v.add(f.missing() + " of " + observed.changes().size() + " changes never reached the " + kind
                        + " endpoint");
            }
            if (!f.duplicatesSameWebhookId()) {
                v.add("a repeated delivery to the " + kind + " endpoint carried another webhook-id");
            }
        });
        if (!stale().isEmpty()) {
            v.add("the evidence service disagrees with the registry on " + stale().size() + " trials: " + stale());
        }
        validDeadLettered().forEach((topic, n) -> {
            if (n > 0) {
                v.add(n + " valid records on " + topic);
            }
        });
        poisonDeadLettered().forEach((topic, there) -> {
            if (!there) {
                v.add("the poison record is not on " + topic);
            }
        });
        if (observed.goneSubscriptionEnabled()) {
            v.add("the subscription whose endpoint answers 410 is still enabled");
        }
        if (observed.badSignatures() > 0) {
            v.add(observed.badSignatures() + " deliveries failed signature verification");
        }
        observed.windows().stream().filter(w -> !"recovered".equals(w.outcome()))
                .forEach(w -> v.add(w.fault() + ": " + w.outcome()));
        return v;
    }

    void print(PrintStream out) {
        Map<Kind, EndpointFigures> endpoints = endpoints();
        Percentiles[] latency = healthyLatency();
        out.println();
        out.println("== fault matrix");
        out.printf("run                        %.0f s; %d status-change requests, %d refused (412/422), %d failed (5xx or no answer)%n",
                observed.runSeconds(), observed.attempts(), observed.refused(), observed.failed());
        out.println("faults (injected -> recovered):");
        for (FaultWindow w : observed.windows()) {
            out.printf("  %-44s at %6.1f s for %5.1f s  %s%n", w.fault(), (w.startNanos() - observed.startNanos()) / 1e9,
                    w.seconds(), w.outcome());
        }
        out.printf("changes accepted           %d (in the registry's history; %d answered 201, the rest had their answer lost to a fault)%n",
                observed.changes().size(), observed.acknowledged().size());
        out.printf("lost                       %d%n", lost().size());
        out.printf("  not on trial-events      %d%n",
                observed.changes().keySet().stream().filter(id -> !observed.onTrialEvents().contains(id)).count());
        out.printf("stale                      %d trials (evidence vs registry: status and last sequence, %d trials)%n",
                stale().size(), observed.registry().size());
        out.printf("valid dead-lettered        %d %s%n", validDeadLettered().values().stream().mapToInt(i -> i).sum(),
                validDeadLettered());
        out.printf("poison dead-lettered       %s%n", poisonDeadLettered());
        out.printf("410 subscription disabled  %s%n", !observed.goneSubscriptionEnabled());
        out.printf("bad signatures             %d%n", observed.badSignatures());
        out.println("endpoints (requests, changes delivered with 2xx, missing, duplicate 2xx deliveries, duplicates same webhook-id):");
        endpoints.forEach((kind, f) -> out.printf("  %-16s requests %5d  delivered %5d  missing %5d  duplicates %4d  same-id %s%s%n",
                kind, f.requests(), f.delivered(), f.missing(), f.duplicates(), f.duplicatesSameWebhookId(),
                kind.mustReceiveAll ? "" : "   (not expected to receive)"));
        out.printf("healthy delivery latency   outside fault windows: %s%n", latency[0]);
        out.printf("                           inside fault windows:  %s%n", latency[1]);
        out.println("healthy delivery latency by when the change was accepted (10 s slices):");
        healthyLatencyBySlice().forEach((slice, p) -> out.printf("  %5d s  %s%n", slice, p));
        double p99 = healthyLatencyOverall().p99();
        out.printf("healthy delivery p99       %.1f s over the whole run (issue 8's target: under 15 s; a figure, not an invariant)%n",
                p99 / 1000);
        List<String> violations = violations();
        out.println(violations.isEmpty() ? "INVARIANTS HOLD" : "INVARIANTS BROKEN:");
        violations.forEach(v -> out.println("  - " + v));
    }
}
