package org.trialwatch.registry.domain;

import org.trialwatch.support.problem.FieldError;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.trialwatch.events.TrialStatus.ACTIVE_NOT_RECRUITING;
import static org.trialwatch.events.TrialStatus.COMPLETED;
import static org.trialwatch.events.TrialStatus.NOT_YET_RECRUITING;
import static org.trialwatch.events.TrialStatus.RECRUITING;
import static org.trialwatch.events.TrialStatus.SUSPENDED;
import static org.trialwatch.events.TrialStatus.TERMINATED;
import static org.trialwatch.events.TrialStatus.WITHDRAWN;

import java.time.Instant;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.trialwatch.events.ChangeOrigin;
import org.trialwatch.events.TrialStatus;

class StatusTransitionPolicyTest {

    /** 2026-12-01 11:00 UTC: already 2026-12-02 in UTC+14 (Kiritimati), still 2026-11-30 in UTC-12. */
    private static final Instant NOW = Instant.parse("2026-12-01T11:00:00Z");

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

    @Test
    void effectiveDateThatIsTodaySomewhereOnEarthIsNotInTheFuture() {
        assertThat(policy.requestViolations(LocalDate.parse("2026-12-02"), NOW)).isEmpty();
        assertThat(policy.requestViolations(LocalDate.parse("2026-12-01"), NOW)).isEmpty();
        assertThat(policy.requestViolations(LocalDate.parse("2019-05-01"), NOW)).isEmpty();
    }

    @Test
    void effectiveDateInTheFutureIsRefusedNamingTheField() {
        assertThat(policy.requestViolations(LocalDate.parse("2026-12-03"), NOW))
                .containsExactly(TransitionRule.EFFECTIVE_DATE_IN_FUTURE);
        assertThatThrownBy(() -> policy.requireAllowed(RECRUITING, change(ACTIVE_NOT_RECRUITING, "2026-12-03", null), NOW))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field, FieldError::reason)
                        .containsExactly(tuple("effectiveDate", "must not be in the future")));
    }

    @Test
    void futureDateIsReportedBeforeTheTransitionRules() {
        assertThatThrownBy(() -> policy.requireAllowed(COMPLETED, change(TERMINATED, "2027-01-01", null), NOW))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void brokenTransitionIsRefusedWithEveryRule() {
        assertThatThrownBy(() -> policy.requireAllowed(COMPLETED, change(TERMINATED, "2026-11-30", null), NOW))
                .isInstanceOfSatisfying(TransitionRejectedException.class, e -> assertThat(e.rules())
                        .containsExactlyInAnyOrder(TransitionRule.TERMINAL_STATUS_NEEDS_CORRECTION,
                                TransitionRule.STOP_NEEDS_REASON));
    }

    @Test
    void allowedChangePassesEveryRule() {
        policy.requireAllowed(RECRUITING, change(SUSPENDED, "2026-11-30", "safety review"), NOW);
    }

    @Test
    void withdrawnNeedsNoReason() {
        assertThat(policy.violations(NOT_YET_RECRUITING, WITHDRAWN, null, false)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = TrialStatus.class, names = {"TERMINATED", "SUSPENDED", "WITHDRAWN"})
    void stoppedTrialRecordsTheReasonAsWhyStopped(TrialStatus stopped) {
        assertThat(policy.recordsWhyStopped(stopped)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = TrialStatus.class, names = {"RECRUITING", "ACTIVE_NOT_RECRUITING", "COMPLETED"})
    void trialThatIsNotStoppedKeepsItsWhyStopped(TrialStatus running) {
        assertThat(policy.recordsWhyStopped(running)).isFalse();
    }

    @Test
    void everyRuleHasASentenceForTheCurator() {
        for (TransitionRule rule : TransitionRule.values()) {
            assertThat(rule.explanation()).as(rule.name()).isNotBlank();
        }
    }

    private static StatusChangeCommand change(TrialStatus to, String effective, String reason) {
        return new StatusChangeCommand("NCT05379985", 1, to, LocalDate.parse(effective), reason, false,
                ChangeOrigin.CURATOR, "curator");
    }
}
