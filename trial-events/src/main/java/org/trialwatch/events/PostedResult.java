package org.trialwatch.events;

import java.math.BigDecimal;

/**
 * One efficacy endpoint as posted: OS, PFS, DOR in months; ORR, DCR in percent; HR as a ratio.
 *
 * @param armRole    whether {@code arm} is the experimental or the control arm; null when the poster did not say
 *                   (events written before the field existed, or a registry record that does not tell). Only an
 *                   experimental arm's result may stand for the trial's regimen, e.g. in a pooled response rate.
 * @param responders the whole number of responders behind an ORR or DCR, where it was posted; null otherwise
 */
public record PostedResult(Endpoint endpoint, String arm, BigDecimal value, String unit, ConfidenceInterval ci95,
                           Integer n, String source, ArmRole armRole, Integer responders) {

    public enum Endpoint { OS, PFS, ORR, DCR, DOR, HR }

    public enum ArmRole { EXPERIMENTAL, CONTROL }

    /** A result without an arm role or responder count (the shape before those optional fields were added). */
    public PostedResult(Endpoint endpoint, String arm, BigDecimal value, String unit, ConfidenceInterval ci95,
                        Integer n, String source) {
        this(endpoint, arm, value, unit, ci95, n, source, null, null);
    }

    public record ConfidenceInterval(BigDecimal lower, BigDecimal upper) {
    }
}
