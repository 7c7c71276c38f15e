package org.trialwatch.system.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.trialwatch.testbed.RunningSystem;
import org.trialwatch.system.faults.WebhookEndpoints.Kind;

/**
 * The fault matrix on a few hundred changes, with every fault kind (see {@link FaultMatrix}): nothing accepted is
 * lost, the evidence service ends in agreement with the registry, only the poison record is dead-lettered, the 410
 * endpoint's subscription is disabled, and every endpoint that recovers gets every change. The full run is
 * {@code deploy/local/faults.sh}.
 *
 * <p>On the code before the fixes of issue 8 (36a3e80) this test failed, as it should: the stalled endpoint held
 * every webhook sender of the notification service, so 626 of 653 changes never reached the healthy, down-then-back
 * and fails-once endpoints. With the deliveries that cannot be jammed (and the shared outbox) merged it passes.
 */
class FaultMatrixIT {

    @Test
    void nothingAcceptedIsLostOrLeftStaleUnderTheFaultMatrix() throws Exception {
        MatrixReport report = FaultMatrix.run(
                MatrixSettings.small(RunningSystem.projectRoot().resolve("system-tests/target/fault-matrix-test")),
                System.out);
        report.print(System.out);

        // every broken invariant in words first, so that a failure says what broke rather than listing event ids
        assertThat(report.violations()).as("broken invariants").isEmpty();
        assertThat(report.observed().changes()).hasSizeGreaterThanOrEqualTo(300);
        assertThat(report.observed().windows()).allSatisfy(w -> assertThat(w.outcome()).isEqualTo("recovered"));
        assertThat(report.lost()).as("changes lost").isEmpty();
        assertThat(report.stale()).as("trials on which the evidence service disagrees with the registry").isEmpty();
        assertThat(report.validDeadLettered()).as("valid records dead-lettered, per topic")
                .containsOnlyKeys(report.poisonDeadLettered().keySet()).allSatisfy((topic, n) -> assertThat(n).isZero());
        assertThat(report.poisonDeadLettered()).as("poison record dead-lettered, per topic")
                .allSatisfy((topic, there) -> assertThat(there).isTrue());
        assertThat(report.observed().goneSubscriptionEnabled()).as("410 subscription still enabled").isFalse();
        assertThat(report.observed().badSignatures()).isZero();
        Map<Kind, MatrixReport.EndpointFigures> endpoints = report.endpoints();
        for (Kind kind : endpoints.keySet()) {
            if (kind.mustReceiveAll) {
                assertThat(endpoints.get(kind).missing()).as("changes that never reached the %s endpoint", kind).isZero();
            }
            assertThat(endpoints.get(kind).duplicatesSameWebhookId()).as("repeats to %s keep their webhook-id", kind)
                    .isTrue();
        }
    }
}
