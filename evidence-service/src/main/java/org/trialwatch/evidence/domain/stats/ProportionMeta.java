package org.trialwatch.evidence.domain.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Random-effects pooling of single-arm proportions (e.g. objective response rates) on the logit scale, over whole event
 * counts as meta-analysis software takes them: each study's logit(events/non-events) with variance
 * 1/events + 1/non-events, DerSimonian–Laird τ², and the pooled logit and its 95% limits transformed back to
 * proportions. A study with 0 or n events gets 0.5 added to both counts, as R's meta::metaprop does by default
 * (incr = 0.5), because its logit would otherwise be infinite. A total function: it never throws.
 */
public final class ProportionMeta {

    private ProportionMeta() {
    }

    /** A study's whole number of events (e.g. responders) out of its patients. Valid when n ≥ 1 and 0 ≤ events ≤ n. */
    public record Count(int events, int n) {
        public boolean valid() {
            return n >= 1 && events >= 0 && events <= n;
        }
    }

    /** Pooled proportion with its 95% CI (as proportions), τ² on the logit scale, I² as a fraction, and k. */
    public record Result(double estimate, double lower, double upper, double tau2, double i2, double q, int k) {
    }

    /** Empty unless at least two studies are given and every one is valid. */
    public static Optional<Result> pool(List<Count> studies) {
        if (studies == null || studies.size() < 2 || !studies.stream().allMatch(c -> c != null && c.valid())) {
            return Optional.empty();
        }
        List<RandomEffectsMeta.Study> logits = new ArrayList<>();
        for (Count s : studies) {
            double events = s.events();
            double nonEvents = s.n() - s.events();
            if (events == 0 || nonEvents == 0) {
                events += 0.5;
                nonEvents += 0.5;
            }
            logits.add(new RandomEffectsMeta.Study(Math.log(events / nonEvents), 1 / events + 1 / nonEvents));
        }
        return RandomEffectsMeta.pool(logits).map(r ->
                new Result(expit(r.estimate()), expit(r.lower()), expit(r.upper()), r.tau2(), r.i2(), r.q(), r.k()));
    }

    static double expit(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
