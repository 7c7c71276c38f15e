package org.trialwatch.registry.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.trialwatch.events.PostedResult.Endpoint;
import org.trialwatch.events.PostedResult;

/**
 * What a posted efficacy result must satisfy before anyone may read it as evidence: patients behind it, whole
 * responders within them, percentages that are percentages, durations that are durations, an interval around its
 * value, and which arm it is, since only an experimental arm's result may stand for the trial's regimen (ADR 0104).
 * Plain Java; the resource answers 422 with every broken rule, field by field.
 */
public final class PostedResultRules {

    static final Set<Endpoint> PERCENTAGES = EnumSet.of(Endpoint.ORR, Endpoint.DCR);
    static final Set<Endpoint> DURATIONS = EnumSet.of(Endpoint.OS, Endpoint.PFS, Endpoint.DOR);
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    /** How far a posted percentage may sit from responders/N × 100: one percentage point covers printed rounding. */
    static final BigDecimal PERCENT_TOLERANCE = BigDecimal.ONE;

    private PostedResultRules() {
    }

    /** Every broken rule, as {@code results[i].field} and why; empty when all results may be stored. */
    public static List<FieldError> check(List<PostedResult> results) {
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            check(results.get(i), "results[" + i + "].", errors);
        }
        return errors;
    }

    private static void check(PostedResult r, String at, List<FieldError> errors) {
        Endpoint endpoint = r.endpoint();
        BigDecimal value = r.value();
        if (r.n() != null && r.n() < 1) {
            errors.add(new FieldError(at + "n", "must be at least 1: the number of patients behind the result (was "
                    + r.n() + ")"));
        }
        if (endpoint != Endpoint.HR && r.armRole() == null) {
            errors.add(new FieldError(at + "armRole", "must be EXPERIMENTAL or CONTROL: only an experimental arm's "
                    + endpoint + " may be pooled as the trial's regimen"));
        }
        if (PERCENTAGES.contains(endpoint) && (value.signum() < 0 || value.compareTo(HUNDRED) > 0)) {
            errors.add(new FieldError(at + "value", endpoint + " is a percentage and must lie within 0–100 (was "
                    + value.toPlainString() + ")"));
        }
        if (DURATIONS.contains(endpoint) && value.signum() < 0) {
            errors.add(new FieldError(at + "value", "median " + endpoint + " is a duration and cannot be negative (was "
                    + value.toPlainString() + ")"));
        }
        if (endpoint == Endpoint.HR && value.signum() <= 0) {
            errors.add(new FieldError(at + "value", "a hazard ratio must be above 0 (was " + value.toPlainString() + ")"));
        }
        PostedResult.ConfidenceInterval ci = r.ci95();
        if (ci != null && ci.lower() != null && ci.upper() != null) {
            if (ci.lower().compareTo(ci.upper()) > 0) {
                errors.add(new FieldError(at + "ci95", "lower " + ci.lower().toPlainString() + " exceeds upper "
                        + ci.upper().toPlainString()));
            } else if (value.compareTo(ci.lower()) < 0 || value.compareTo(ci.upper()) > 0) {
                errors.add(new FieldError(at + "ci95", "the interval " + ci.lower().toPlainString() + "–"
                        + ci.upper().toPlainString() + " does not contain its value " + value.toPlainString()));
            }
            if (PERCENTAGES.contains(endpoint) && (ci.lower().signum() < 0 || ci.upper().compareTo(HUNDRED) > 0)) {
                errors.add(new FieldError(at + "ci95", "the interval of a percentage must lie within 0–100"));
            }
        }
        Integer responders = r.responders();
        if (responders != null) {
            if (!PERCENTAGES.contains(endpoint)) {
                errors.add(new FieldError(at + "responders", "only an ORR or DCR has responders"));
            } else if (r.n() == null) {
                errors.add(new FieldError(at + "responders", "needs n, the patients the responders are counted from"));
            } else if (responders < 0 || responders > r.n()) {
                errors.add(new FieldError(at + "responders", "must lie within 0–n (" + responders + " of " + r.n() + ")"));
            } else if (r.n() >= 1 && BigDecimal.valueOf(responders).multiply(HUNDRED)
                    .divide(BigDecimal.valueOf(r.n()), 4, java.math.RoundingMode.HALF_UP)
                    .subtract(value).abs().compareTo(PERCENT_TOLERANCE) > 0) {
                errors.add(new FieldError(at + "responders", responders + " of " + r.n() + " is not the posted "
                        + value.toPlainString() + "% (within one percentage point)"));
            }
        }
    }
}
