package org.trialwatch.registry.domain;

import org.trialwatch.support.problem.FieldError;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.trialwatch.events.TrialStatus;

/**
 * Every rule a status change must follow (ADR 0004), in one place. Plain Java, no framework.
 *
 * <p>A trial whose status nobody has verified ({@code current == null}) may be given any status, except that
 * WITHDRAWN still needs proof that enrolment never started. A correction (an explicit fix of a wrong record, with a
 * reason) may leave a terminal status and may withdraw a trial from any status; it never skips the other rules.
 * The effective date may not be in the future.
 */
public final class StatusTransitionPolicy {

    /** The earliest time zone on Earth: a date that is today anywhere is not in the future. */
    static final ZoneOffset EARLIEST_ZONE = ZoneOffset.ofHours(14);

    /**
     * Checks a curator's change: first the request alone (400 naming the field), then, against the trial's status
     * as read under its lock, the transition (422 naming every broken rule).
     *
     * @throws InvalidInputException        when the effective date is in the future
     * @throws TransitionRejectedException  when the transition breaks one or more rules
     */
    public void requireAllowed(TrialStatus current, StatusChangeCommand change, Instant now) {
        requireValidRequest(change, now);
        List<TransitionRule> broken = violations(current, change.newStatus(), change.reason(), change.correction());
        if (!broken.isEmpty()) {
            throw new TransitionRejectedException(broken);
        }
    }

    /**
     * The rules about the request alone, which need no trial: checked before the trial is read, so a future date
     * is a 400 even for an unknown trial or a stale version.
     *
     * @throws InvalidInputException naming each broken field
     */
    public void requireValidRequest(StatusChangeCommand change, Instant now) {
        List<TransitionRule> broken = requestViolations(change.effectiveDate(), now);
        if (!broken.isEmpty()) {
            throw new InvalidInputException(broken.stream()
                    .map(rule -> new FieldError(rule.field(), rule.explanation())).toList());
        }
    }

    /** The rules about the request alone that it breaks; empty when none. */
    public List<TransitionRule> requestViolations(LocalDate effectiveDate, Instant now) {
        List<TransitionRule> broken = new ArrayList<>();
        if (effectiveDate != null && effectiveDate.isAfter(LocalDate.ofInstant(now, EARLIEST_ZONE))) {
            broken.add(TransitionRule.EFFECTIVE_DATE_IN_FUTURE);
        }
        return broken;
    }

    /** Every transition rule the requested change breaks; empty when it is allowed. */
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
        // WITHDRAWN is stopped too, but before anyone enrolled: ClinicalTrials.gov does not insist on a reason there
        if (requested != null && requested.isStopped() && requested != TrialStatus.WITHDRAWN && !hasReason) {
            broken.add(TransitionRule.STOP_NEEDS_REASON);
        }
        return broken;
    }

    /**
     * Whether the change's reason becomes the trial's {@code whyStopped}: for a stopped status (ClinicalTrials.gov's
     * whyStopped belongs to those); any other status leaves it as it was.
     */
    public boolean recordsWhyStopped(TrialStatus requested) {
        return requested != null && requested.isStopped();
    }
}
