package org.trialwatch.events;

import java.math.BigDecimal;

/** One efficacy endpoint as posted: OS, PFS, DOR in months; ORR, DCR in percent; HR as a ratio. */
public record PostedResult(Endpoint endpoint, String arm, BigDecimal value, String unit, ConfidenceInterval ci95,
                           Integer n, String source) {

    public enum Endpoint { OS, PFS, ORR, DCR, DOR, HR }

    public record ConfidenceInterval(BigDecimal lower, BigDecimal upper) {
    }
}
