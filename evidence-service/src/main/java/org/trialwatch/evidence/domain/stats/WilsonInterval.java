package org.trialwatch.evidence.domain.stats;

import java.util.Optional;

/**
 * The Wilson score interval for a binomial proportion (Wilson 1927; method 3 of Newcombe, Stat Med 1998;17:857–872),
 * without continuity correction. Unlike the Wald interval it stays inside [0, 1] and behaves at 0 and n events.
 * A total function: any pair of integers gives an answer, empty where no proportion is defined.
 */
public final class WilsonInterval {

    /** The 0.975 quantile of the standard normal distribution. */
    public static final double Z95 = 1.959963984540054;

    private WilsonInterval() {
    }

    public record Interval(double lower, double upper) {
    }

    /**
     * @param events whole number of patients with the event (e.g. responders)
     * @param n      number of patients
     * @return the 95% interval of events/n, within [0, 1] and containing events/n; empty unless n ≥ 1 and 0 ≤ events ≤ n
     */
    public static Optional<Interval> of(int events, int n) {
        if (n < 1 || events < 0 || events > n) {
            return Optional.empty();
        }
        double proportion = (double) events / n;
        double z = Z95;
        double z2 = z * z;
        double denominator = 1 + z2 / n;
        double centre = (proportion + z2 / (2.0 * n)) / denominator;
        double halfWidth = z * Math.sqrt(proportion * (1 - proportion) / n + z2 / (4.0 * n * n)) / denominator;
        // Rounding can leave a limit a hair past the observed proportion at 0 or n events; the interval contains it.
        return Optional.of(new Interval(Math.max(0, Math.min(proportion, centre - halfWidth)),
                Math.min(1, Math.max(proportion, centre + halfWidth))));
    }
}
