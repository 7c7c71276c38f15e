package org.trialwatch.evidence.domain.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Worked example: the nine inter-laboratory results of Kacker RN, "Combining information from interlaboratory
 * evaluations using a random effects model", Metrologia 2004;41:132–136, analysed with R metafor
 * {@code rma(y, v, method = "DL")}; the metafor output is kept in statsmodels'
 * {@code statsmodels/stats/tests/results/results_meta.py} ({@code exk1_dl}): b = 62.3901386044504,
 * se = 0.245749668040304, ci = 61.9084781058787 – 62.8717991030221, tau2 = 0.288049246973751, QE = 24.801897741835,
 * I2 = 67.744403741711 %. An independent python3 implementation of the same formulas gives the same figures to 1e-9.
 */
class RandomEffectsMetaTest {

    private static final double[] Y = {61.0, 61.4, 62.21, 62.3, 62.34, 62.6, 62.7, 62.84, 65.9};
    private static final double[] V = {0.2025, 1.21, 0.09, 0.2025, 0.3844, 0.5625, 0.0676, 0.0225, 1.8225};

    @Test
    void reproducesMetaforDerSimonianLairdOnKackersNineLaboratories() {
        RandomEffectsMeta.Result r = RandomEffectsMeta.pool(kacker()).orElseThrow();
        assertThat(r.estimate()).isCloseTo(62.3901386044504, within(1e-9));
        assertThat(r.se()).isCloseTo(0.245749668040304, within(1e-9));
        assertThat(r.lower()).isCloseTo(61.9084781058787, within(1e-9));
        assertThat(r.upper()).isCloseTo(62.8717991030221, within(1e-9));
        assertThat(r.tau2()).isCloseTo(0.288049246973751, within(1e-9));
        assertThat(r.q()).isCloseTo(24.801897741835, within(1e-8));
        assertThat(r.i2() * 100).isCloseTo(67.744403741711, within(1e-7));
        assertThat(r.k()).isEqualTo(9);
    }

    @Test
    void fixedEffectEstimateMatchesMetaforFixedModel() {
        // exk1_fe.b in the same results file
        assertThat(RandomEffectsMeta.pool(kacker()).orElseThrow().fixedEstimate()).isCloseTo(62.5833970939982, within(1e-9));
    }

    @Test
    void identicalStudiesHaveNoHeterogeneity() {
        RandomEffectsMeta.Result r = RandomEffectsMeta.pool(List.of(
                new RandomEffectsMeta.Study(0.4, 0.1), new RandomEffectsMeta.Study(0.4, 0.2))).orElseThrow();
        assertThat(r.tau2()).isZero();
        assertThat(r.i2()).isZero();
        assertThat(r.estimate()).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void oneStudyIsNotAMetaAnalysisAndAnInvalidStudyPoolsNothing() {
        assertThat(RandomEffectsMeta.pool(List.of(new RandomEffectsMeta.Study(1, 1)))).isEmpty();
        assertThat(RandomEffectsMeta.pool(List.of(new RandomEffectsMeta.Study(1, 1),
                new RandomEffectsMeta.Study(2, 0)))).isEmpty();
        assertThat(RandomEffectsMeta.pool(List.of(new RandomEffectsMeta.Study(Double.NaN, 1),
                new RandomEffectsMeta.Study(2, 1)))).isEmpty();
    }

    private static List<RandomEffectsMeta.Study> kacker() {
        List<RandomEffectsMeta.Study> studies = new ArrayList<>();
        for (int i = 0; i < Y.length; i++) {
            studies.add(new RandomEffectsMeta.Study(Y[i], V[i]));
        }
        return studies;
    }
}
