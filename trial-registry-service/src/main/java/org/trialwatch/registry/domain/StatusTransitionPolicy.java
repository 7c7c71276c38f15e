package org.trialwatch.registry.domain;

import java.util.ArrayList;
import java.util.List;

import org.trialwatch.events.TrialStatus;

/**
 * Decides whether a trial may move from one overall status to another. Plain Java, no framework.
 *
 * <p>A trial whose status nobody has verified ({@code current == null}) may be given any status, except that
 * WITHDRAWN still needs proof that enrolment never started. A correction (an explicit fix of a wrong record, with a
 * reason) may leave a terminal status and may withdraw a trial from any status; it never skips the other rules.
 */
public final class StatusTransitionPolicy {

    /** Every rule the requested change breaks; empty when it is allowed. */
    public List<TransitionRule> violations(TrialStatus current, TrialStatus requested, String reason, boolean correction) {
        List<TransitionRule> broken = new ArrayList<>();
        boolean hasReason = reason != null && !reason.isBlank();
        if (requested == current) {
            broken.add(TransitionRule.SAME_STATUS);
            return broken;
        }
        if (correction && !hasReason) {
            broken.add(TransitionRule.CORRECTION_NEEDS_REASON);
        }
        if (current != null && current.isTerminal() && !correction) {
            broken.add(TransitionRule.TERMINAL_STATUS_NEEDS_CORRECTION);
        }
        if (requested == TrialStatus.WITHDRAWN && current != TrialStatus.NOT_YET_RECRUITING && !correction) {
            broken.add(TransitionRule.WITHDRAWN_ONLY_BEFORE_ENROLMENT);
        }
        if ((requested == TrialStatus.TERMINATED || requested == TrialStatus.SUSPENDED) && !hasReason) {
            broken.add(TransitionRule.STOP_NEEDS_REASON);
        }
        return broken;
    }
}
