package org.trialwatch.evidence.domain.trial;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceGuardTest {

    @Test
    void theNextSequenceIsApplied() {
        assertThat(SequenceGuard.decide(0, 1).verdict()).isEqualTo(SequenceGuard.Verdict.APPLY);
        assertThat(SequenceGuard.decide(4, 5).verdict()).isEqualTo(SequenceGuard.Verdict.APPLY);
    }

    @Test
    void aRepeatedOrOlderSequenceIsStale() {
        assertThat(SequenceGuard.decide(5, 5).verdict()).isEqualTo(SequenceGuard.Verdict.STALE);
        assertThat(SequenceGuard.decide(5, 2).verdict()).isEqualTo(SequenceGuard.Verdict.STALE);
    }

    @Test
    void aJumpIsAppliedAndReportsHowManyEventsAreMissing() {
        SequenceGuard.Decision d = SequenceGuard.decide(2, 6);
        assertThat(d.verdict()).isEqualTo(SequenceGuard.Verdict.APPLY_AFTER_GAP);
        assertThat(d.missing()).isEqualTo(3);
    }
}
