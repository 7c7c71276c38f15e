package org.trialwatch.evidence.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Logit-scale pooling of proportions. Expected values were computed independently with python3 (math module only:
 * logit(events/non-events), variance 1/events + 1/non-events, DerSimonian–Laird τ², inverse logit of the pooled
 * estimate and its normal 95% limits) — the same procedure as R meta::metaprop(sm = "PLOGIT", method = "Inverse",
 * method.tau = "DL").
 */
class ProportionMetaTest {

    @Test
    void poolsTheReviewsTwoIpilimumabNivolumabResponseRatesInBtc() {
        // Terrero 2022: ORR 42% of 12 (text figure TF63, N from Table 5 row 1); Klein: ORR ~20% of 39 (TF65, Table 5 row 5)
        ProportionMeta.Result r = ProportionMeta.pool(List.of(
                new ProportionMeta.Proportion(0.42, 12), new ProportionMeta.Proportion(0.20, 39)));
        assertThat(r.estimate()).isCloseTo(0.2808961241891239, within(1e-9));
        assertThat(r.lower()).isCloseTo(0.1225290024720781, within(1e-9));
        assertThat(r.upper()).isCloseTo(0.5221490898038419, within(1e-9));
        assertThat(r.tau2()).isCloseTo(0.3143647908047708, within(1e-9));
        assertThat(r.q()).isCloseTo(2.2515835551856025, within(1e-9));
        assertThat(r.i2()).isCloseTo(0.5558681365846234, within(1e-9));
        assertThat(r.k()).isEqualTo(2);
    }

    @Test
    void poolsWholeCountsAsEventsOverPatients() {
        ProportionMeta.Result r = ProportionMeta.pool(List.of(new ProportionMeta.Proportion(10 / 40.0, 40),
                new ProportionMeta.Proportion(25 / 60.0, 60), new ProportionMeta.Proportion(5 / 50.0, 50)));
        assertThat(r.estimate()).isCloseTo(0.2401273076553673, within(1e-9));
        assertThat(r.lower()).isCloseTo(0.10283653984535357, within(1e-9));
        assertThat(r.upper()).isCloseTo(0.4655879845253093, within(1e-9));
        assertThat(r.i2()).isCloseTo(0.8396110108206445, within(1e-9));
    }

    @Test
    void addsHalfAnEventToAStudyWithNoResponsesInsteadOfAnInfiniteLogit() {
        ProportionMeta.Result r = ProportionMeta.pool(List.of(new ProportionMeta.Proportion(0, 20),
                new ProportionMeta.Proportion(6 / 30.0, 30)));
        assertThat(r.estimate()).isCloseTo(0.10390908965004252, within(1e-9));
        assertThat(r.lower()).isCloseTo(0.013393428566620007, within(1e-9));
        assertThat(r.upper()).isCloseTo(0.4976140644816927, within(1e-9));
    }

    @Test
    void pooledEstimateLiesBetweenTheStudies() {
        ProportionMeta.Result r = ProportionMeta.pool(List.of(new ProportionMeta.Proportion(0.1, 100),
                new ProportionMeta.Proportion(0.3, 100)));
        assertThat(r.estimate()).isBetween(0.1, 0.3);
        assertThat(r.lower()).isLessThan(r.estimate());
        assertThat(r.upper()).isGreaterThan(r.estimate());
    }
}
