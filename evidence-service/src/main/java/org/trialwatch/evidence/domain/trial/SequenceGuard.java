package org.trialwatch.evidence.domain.trial;

/**
 * Decides what to do with a trial event from its per-trial {@code sequence} and the last one applied. Events of one
 * trial share a partition (key = NCT id), so they arrive in order; anything at or below the last applied sequence is a
 * redelivery or a stale replay, and a jump of more than one means events were lost upstream.
 */
public final class SequenceGuard {

    public enum Verdict { APPLY, APPLY_AFTER_GAP, STALE }

    public record Decision(Verdict verdict, long missing) {
    }

    private SequenceGuard() {
    }

    /** @param lastApplied 0 when nothing was applied for the trial yet */
    public static Decision decide(long lastApplied, long sequence) {
        if (sequence <= lastApplied) {
            return new Decision(Verdict.STALE, 0);
        }
        if (sequence == lastApplied + 1) {
            return new Decision(Verdict.APPLY, 0);
        }
        return new Decision(Verdict.APPLY_AFTER_GAP, sequence - lastApplied - 1);
    }
}
