package org.trialwatch.system.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.trialwatch.system.faults.MatrixReport.Received;
import org.trialwatch.system.faults.MatrixReport.TrialState;
import org.trialwatch.system.faults.WebhookEndpoints.Kind;

class MatrixReportTest {

    private static final Map<String, String> CHANGES = Map.of("e1", "NCT99000001", "e2", "NCT99000001", "e3", "NCT99000002");
    private static final Map<String, TrialState> AGREED = Map.of(
            "NCT99000001", new TrialState("RECRUITING", 3L), "NCT99000002", new TrialState("ACTIVE_NOT_RECRUITING", 2L));

    private static Map<Kind, List<Received>> everyEndpointGotEverything() {
        Map<Kind, List<Received>> received = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            received.put(kind, CHANGES.keySet().stream().map(id -> new Received(id, "w-" + id, 10, 204)).toList());
        }
        return received;
    }

    private static MatrixReport report(Map<Kind, List<Received>> received, Map<String, TrialState> evidence,
                                       Map<String, List<String>> deadLettered, boolean goneEnabled) {
        return new MatrixReport(new MatrixReport.Observed(10, 0, 0, CHANGES, Map.of("e1", 1L, "e2", 2L, "e3", 3L),
                Set.of("e1", "e2", "e3"), AGREED, evidence, received, deadLettered, "poison-1", goneEnabled, 0,
                List.of(new FaultWindow("cut", 2, 5, "recovered", true)), 0, 60));
    }

    @Test
    void aRunThatLostNothingBreaksNoInvariant() {
        MatrixReport report = report(everyEndpointGotEverything(), AGREED,
                Map.of("trial-events.evidence-dlq", List.of("poison-1"), "trial-events.notification-dlq", List.of("poison-1")),
                false);

        assertThat(report.lost()).isEmpty();
        assertThat(report.stale()).isEmpty();
        assertThat(report.violations()).isEmpty();
    }

    @Test
    void aChangeMissingAtARecoveredEndpointIsLostButNotAtTheStalledOne() {
        Map<Kind, List<Received>> received = everyEndpointGotEverything();
        received.put(Kind.STALLED, List.of(new Received("e1", "w-e1", 10, -1)));
        received.put(Kind.FAILS_ONCE, List.of(new Received("e1", "w-e1", 10, 500), new Received("e1", "w-e1", 11, 200),
                new Received("e2", "w-e2", 10, 200), new Received("e3", "w-e3", 10, 500)));

        MatrixReport report = report(received, AGREED,
                Map.of("trial-events.evidence-dlq", List.of("poison-1"), "trial-events.notification-dlq", List.of("poison-1")),
                false);

        assertThat(report.lost()).containsExactly("e3");
        assertThat(report.endpoints().get(Kind.FAILS_ONCE).missing()).isEqualTo(1);
        assertThat(report.endpoints().get(Kind.FAILS_ONCE).duplicates()).isZero();
        assertThat(report.violations()).containsExactly("1 of 3 changes never reached the FAILS_ONCE endpoint");
    }

    @Test
    void repeatsAreCountedAndARepeatWithAnotherWebhookIdIsAViolation() {
        Map<Kind, List<Received>> received = everyEndpointGotEverything();
        received.put(Kind.HEALTHY, List.of(new Received("e1", "w-e1", 10, 204), new Received("e1", "w-e1", 20, 204),
                new Received("e2", "w-e2", 10, 204), new Received("e2", "other", 30, 204), new Received("e3", "w-e3", 10, 204)));

        MatrixReport report = report(received, AGREED,
                Map.of("trial-events.evidence-dlq", List.of("poison-1"), "trial-events.notification-dlq", List.of("poison-1")),
                false);

        assertThat(report.endpoints().get(Kind.HEALTHY).duplicates()).isEqualTo(2);
        assertThat(report.endpoints().get(Kind.HEALTHY).duplicatesSameWebhookId()).isFalse();
        assertThat(report.violations()).containsExactly("a repeated delivery to the HEALTHY endpoint carried another webhook-id");
    }

    @Test
    void staleEvidenceValidDeadLettersMissingPoisonAndAnEnabledGoneSubscriptionAreEachNamed() {
        Map<String, TrialState> behind = Map.of(
                "NCT99000001", new TrialState("RECRUITING", 2L), "NCT99000002", new TrialState("ACTIVE_NOT_RECRUITING", 2L));

        MatrixReport report = report(everyEndpointGotEverything(), behind,
                Map.of("trial-events.evidence-dlq", List.of("poison-1", "e2"), "trial-events.notification-dlq", List.of()),
                true);

        assertThat(report.stale()).containsOnlyKeys("NCT99000001");
        assertThat(report.validDeadLettered()).containsEntry("trial-events.evidence-dlq", 1)
                .containsEntry("trial-events.notification-dlq", 0);
        assertThat(report.poisonDeadLettered()).containsEntry("trial-events.notification-dlq", false);
        assertThat(report.violations()).hasSize(4)
                .anySatisfy(v -> assertThat(v).startsWith("the evidence service disagrees with the registry on 1 trials"))
                .contains("1 valid records on trial-events.evidence-dlq",
                        "the poison record is not on trial-events.notification-dlq",
                        "the subscription whose endpoint answers 410 is still enabled");
    }

    @Test
    void latencyIsSplitByWhetherTheChangeWasAcceptedInsideAFaultWindow() {
        Map<Kind, List<Received>> received = everyEndpointGotEverything();
        received.put(Kind.HEALTHY, List.of(new Received("e1", "w-e1", 1_000_001, 204),
                new Received("e2", "w-e2", 4_000_002, 204), new Received("e3", "w-e3", 9_000_003, 204)));

        MatrixReport report = report(received, AGREED, Map.of(), false);

        // acknowledged at 1, 2, 3 ns; the fault window is [2, 5]: e2 and e3 inside, e1 outside
        assertThat(report.healthyLatency()[0].count()).isEqualTo(1);
        assertThat(report.healthyLatency()[0].max()).isEqualTo(1.0);
        assertThat(report.healthyLatency()[1].count()).isEqualTo(2);
        assertThat(report.healthyLatency()[1].max()).isEqualTo(9.0);
    }
}
