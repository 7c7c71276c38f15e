package org.trialwatch.evidence.domain.stats;

import java.util.List;
import java.util.Optional;

/**
 * Inverse-variance random-effects meta-analysis with the DerSimonian–Laird moment estimator of the between-study
 * variance τ² (DerSimonian &amp; Laird, Control Clin Trials 1986;7:177–188), and Higgins' I² (BMJ 2003;327:557).
 * Works on any effect with a known within-study variance; {@link ProportionMeta} feeds it logits. A total function: it
 * never throws, and answers empty where there is nothing to pool.
 */
public final class RandomEffectsMeta {

    private RandomEffectsMeta() {
    }

    /** One study's effect and its within-study variance. Valid when the effect is finite and the variance positive. */
    public record Study(double effect, double variance) {
        public boolean valid() {
            return Double.isFinite(effect) && variance > 0 && Double.isFinite(variance);
        }
    }

    /**
     * @param estimate random-effects pooled effect
     * @param se       its standard error
     * @param lower    lower bound of its 95% confidence interval (normal approximation)
     * @param upper    upper bound
     * @param tau2     DerSimonian–Laird between-study variance
     * @param q        Cochran's Q
     * @param i2       I² as a fraction in [0, 1]
     * @param k        number of studies
     * @param fixedEstimate the fixed-effect (inverse-variance) estimate, for comparison
     */
    public record Result(double estimate, double se, double lower, double upper, double tau2, double q, double i2,
                         int k, double fixedEstimate) {
    }

    /** Empty unless at least two studies are given and every one is valid. */
    public static Optional<Result> pool(List<Study> studies) {
        if (studies == null || studies.size() < 2 || !studies.stream().allMatch(s -> s != null && s.valid())) {
            return Optional.empty();
        }
        int k = studies.size();
        double sumW = 0;
        double sumW2 = 0;
        double sumWY = 0;
        for (Study s : studies) {
            double w = 1 / s.variance();
            sumW += w;
            sumW2 += w * w;
            sumWY += w * s.effect();
        }
        double fixed = sumWY / sumW;
        double q = 0;
        for (Study s : studies) {
            double d = s.effect() - fixed;
            q += d * d / s.variance();
        }
        double df = k - 1;
        double c = sumW - sumW2 / sumW;
        double tau2 = Math.max(0, (q - df) / c);
        double i2 = q > df ? (q - df) / q : 0;

        double sumWr = 0;
        double sumWrY = 0;
        for (Study s : studies) {
            double w = 1 / (s.variance() + tau2);
            sumWr += w;
            sumWrY += w * s.effect();
        }
        double estimate = sumWrY / sumWr;
        double se = Math.sqrt(1 / sumWr);
        return Optional.of(new Result(estimate, se, estimate - WilsonInterval.Z95 * se,
                estimate + WilsonInterval.Z95 * se, tau2, q, i2, k, fixed));
    }
}
