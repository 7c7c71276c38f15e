package org.trialwatch.evidence.domain.summary;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One efficacy endpoint a tracked trial posted (from {@code trial.results-posted}), kept with the event that brought it.
 * {@code armRole}: EXPERIMENTAL, CONTROL, or null when the event did not say; {@code responders}: the whole count
 * posted with an ORR, or null.
 */
public record PostedReadout(String nctId, String eventId, String endpoint, String arm, BigDecimal value, String unit,
                            BigDecimal ciLower, BigDecimal ciUpper, Integer n, String source, Instant postedAt,
                            String armRole, Integer responders) {

    public static final String EXPERIMENTAL = "EXPERIMENTAL";

    public boolean experimental() {
        return EXPERIMENTAL.equals(armRole);
    }
}
