package org.trialwatch.registry.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trialwatch.events.TrialStatus.ACTIVE_NOT_RECRUITING;
import static org.trialwatch.events.TrialStatus.COMPLETED;
import static org.trialwatch.events.TrialStatus.NOT_YET_RECRUITING;
import static org.trialwatch.events.TrialStatus.RECRUITING;
import static org.trialwatch.events.TrialStatus.SUSPENDED;
import static org.trialwatch.events.TrialStatus.TERMINATED;
import static org.trialwatch.events.TrialStatus.WITHDRAWN;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.trialwatch.events.TrialStatus;

class StatusTransitionPolicyTest {

    private final StatusTransitionPolicy policy = new StatusTransitionPolicy();

    @Test
    void recruitingTrialMayBecomeActiveNotRecruiting() {
        assertThat(policy.violations(RECRUITING, ACTIVE_NOT_RECRUITING, null, false)).isEmpty();
    }

    @Test
    void changeToTheSameStatusIsRejected() {
        assertThat(policy.violations(RECRUITING, RECRUITING, "again", false))
                .containsExactly(TransitionRule.SAME_STATUS);
    }

    @ParameterizedTest
    @EnumSource(value = TrialStatus.class, names = {"COMPLETED", "TERMINATED", "WITHDRAWN"})
    void terminatedCompletedOrWithdrawnTrialCannotStartRecruitingWithoutCorrection(TrialStatus terminal) {
        assertThat(policy.violations(terminal, RECRUITING, "reopened", false))
                .contains(TransitionRule.TERMINAL_STATUS_NEEDS_CORRECTION);
    }

    @Test
    void terminalStatusMayBeLeftByACorrectionWithAReason() {
        assertThat(policy.violations(TERMINATED, RECRUITING, "registry record was wrong", true)).isEmpty();
    }

    @Test
    void correctionWithoutReasonIsRejected() {
        assertThat(policy.violations(COMPLETED, RECRUITING, "  ", true))
                .containsExactly(TransitionRule.CORRECTION_NEEDS_REASON);
    }

    @Test
    void withdrawnOnlyBeforeEnrolmentStarted() {
        assertThat(policy.violations(NOT_YET_RECRUITING, WITHDRAWN, "no funding", false)).isEmpty();
        assertThat(policy.violations(RECRUITING, WITHDRAWN, "no funding", false))
                .containsExactly(TransitionRule.WITHDRAWN_ONLY_BEFORE_ENROLMENT);
    }

    @Test
    void trialWithUnverifiedStatusCannotBeWithdrawnWithoutCorrection() {
        assertThat(policy.violations(null, WITHDRAWN, "no funding", false))
                .containsExactly(TransitionRule.WITHDRAWN_ONLY_BEFORE_ENROLMENT);
    }

    @ParameterizedTest
    @EnumSource(value = TrialStatus.class, names = {"TERMINATED", "SUSPENDED"})
    void stoppingNeedsAReason(TrialStatus stop) {
        assertThat(policy.violations(RECRUITING, stop, null, false)).containsExactly(TransitionRule.STOP_NEEDS_REASON);
        assertThat(policy.violations(RECRUITING, stop, "", false)).containsExactly(TransitionRule.STOP_NEEDS_REASON);
        assertThat(policy.violations(RECRUITING, stop, "safety review", false)).isEmpty();
    }

    @Test
    void suspendedTrialMayResumeRecruiting() {
        assertThat(policy.violations(SUSPENDED, RECRUITING, null, false)).isEmpty();
    }

    @Test
    void unverifiedStatusMayBeSetToAnyNonWithdrawnStatus() {
        assertThat(policy.violations(null, RECRUITING, null, false)).isEmpty();
        assertThat(policy.violations(null, COMPLETED, null, false)).isEmpty();
    }

    @Test
    void everyBrokenRuleIsReportedAtOnce() {
        assertThat(policy.violations(COMPLETED, TERMINATED, null, false))
                .containsExactlyInAnyOrder(TransitionRule.TERMINAL_STATUS_NEEDS_CORRECTION, TransitionRule.STOP_NEEDS_REASON);
    }
}
