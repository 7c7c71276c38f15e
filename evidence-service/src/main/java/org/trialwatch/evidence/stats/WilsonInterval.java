package org.trialwatch.evidence.stats;

/**
 * The Wilson score interval for a binomial proportion (Wilson 1927; method 3 of Newcombe, Stat Med 1998;17:857–872),
 * without continuity correction. Unlike the Wald interval it stays inside [0, 1] and behaves at 0 and n events.
 */
public final class WilsonInterval {

    /** The 0.975 quantile of the standard normal distribution. */
    public static final double Z95 = 1.959963984540054;

    private WilsonInterval() {
    }

    public record Interval(double lower, double upper) {
    }

    /**
     * @param proportion observed proportion in [0, 1] (events / n; events need not be a whole number when only a
     *                   printed percentage is known)
     * @param n          number of patients, at least 1
     */
    public static Interval of(double proportion, int n) {
        return of(proportion, n, Z95);
    }

    public static Interval of(double proportion, int n, double z) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, was " + n);
        }
        if (proportion < 0 || proportion > 1 || Double.isNaN(proportion)) {
            throw new IllegalArgumentException("proportion must be in [0, 1], was " + proportion);
        }
        double z2 = z * z;
        double denominator = 1 + z2 / n;
        double centre = (proportion + z2 / (2.0 * n)) / denominator;
        double halfWidth = z * Math.sqrt(proportion * (1 - proportion) / n + z2 / (4.0 * n * n)) / denominator;
        return new Interval(Math.max(0, centre - halfWidth), Math.min(1, centre + halfWidth));
    }
}
