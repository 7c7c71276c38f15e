package org.trialwatch.evidence.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * Random-effects pooling of single-arm proportions (e.g. objective response rates) on the logit scale: each study's
 * logit(p) with variance 1/(n·p) + 1/(n·(1−p)) (the usual 1/events + 1/non-events), DerSimonian–Laird τ², and the pooled
 * logit and its 95% limits transformed back to proportions. A study with 0 or n events gets 0.5 added to both counts,
 * as R's meta::metaprop does by default (incr = 0.5), because its logit would otherwise be infinite.
 */
public final class ProportionMeta {

    private ProportionMeta() {
    }

    /** A study's proportion in [0, 1] and its number of patients. */
    public record Proportion(double proportion, int n) {
        public Proportion {
            if (n < 1 || proportion < 0 || proportion > 1) {
                throw new IllegalArgumentException("need 0 ≤ p ≤ 1 and n ≥ 1");
            }
        }
    }

    /** Pooled proportion with its 95% CI (as proportions), τ² on the logit scale, I² as a fraction, and k. */
    public record Result(double estimate, double lower, double upper, double tau2, double i2, double q, int k) {
    }

    public static Result pool(List<Proportion> studies) {
        List<RandomEffectsMeta.Study> logits = new ArrayList<>();
        for (Proportion s : studies) {
            double events = s.proportion() * s.n();
            double nonEvents = s.n() - events;
            if (events == 0 || nonEvents == 0) {
                events += 0.5;
                nonEvents += 0.5;
            }
            double logit = Math.log(events / nonEvents);
            logits.add(new RandomEffectsMeta.Study(logit, 1 / events + 1 / nonEvents));
        }
        RandomEffectsMeta.Result r = RandomEffectsMeta.pool(logits);
        return new Result(expit(r.estimate()), expit(r.lower()), expit(r.upper()), r.tau2(), r.i2(), r.q(), r.k());
    }

    static double expit(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
