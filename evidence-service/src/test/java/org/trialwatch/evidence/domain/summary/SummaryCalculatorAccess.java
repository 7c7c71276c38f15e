package org.trialwatch.evidence.domain.summary;

/** Lets the statistics' property tests reach the calculator's package-private rounding of responders. */
public final class SummaryCalculatorAccess {

    private SummaryCalculatorAccess() {
    }

    public static int responders(double percent, int n) {
        return SummaryCalculator.responders(percent, n);
    }
}
