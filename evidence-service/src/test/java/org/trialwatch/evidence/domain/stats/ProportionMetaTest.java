package org.trialwatch.evidence.domain.stats;

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
    void poolsTheReviewsTwoIpilimumabNivolumabResponseRatesInBtcAsWholeResponders() {
        // Terrero 2022: ORR 42% of 12 (text figure TF63, N from Table 5 row 1) = 5.04 → 5 responders;
        // Klein: ORR ~20% of 39 (TF65, Table 5 row 5) = 7.8 → 8 responders (ADR 0102, recomputed with python3)
        ProportionMeta.Result r = ProportionMeta.pool(List.of(
                new ProportionMeta.Count(5, 12), new ProportionMeta.Count(8, 39))).orElseThrow();
        assertThat(r.estimate()).isCloseTo(0.281575286447486, within(1e-9));
        assertThat(r.lower()).isCloseTo(0.1280592207997605, within(1e-9));
        assertThat(r.upper()).isCloseTo(0.5112247568558342, within(1e-9));
        assertThat(r.tau2()).isCloseTo(0.26817914686447736, within(1e-9));
        assertThat(r.q()).isCloseTo(2.072469474675726, within(1e-9));
        assertThat(r.i2()).isCloseTo(0.5174838460979179, within(1e-9));
        assertThat(r.k()).isEqualTo(2);
    }

    @Test
    void poolsWholeCountsAsEventsOverPatients() {
        ProportionMeta.Result r = ProportionMeta.pool(List.of(new ProportionMeta.Count(10, 40),
                new ProportionMeta.Count(25, 60), new ProportionMeta.Count(5, 50))).orElseThrow();
        assertThat(r.estimate()).isCloseTo(0.2401273076553673, within(1e-9));
        assertThat(r.lower()).isCloseTo(0.10283653984535357, within(1e-9));
        assertThat(r.upper()).isCloseTo(0.4655879845253093, within(1e-9));
        assertThat(r.i2()).isCloseTo(0.8396110108206445, within(1e-9));
    }

    @Test
    void addsHalfAnEventToAStudyWithNoResponsesInsteadOfAnInfiniteLogit() {
        ProportionMeta.Result r = ProportionMeta.pool(List.of(new ProportionMeta.Count(0, 20),
                new ProportionMeta.Count(6, 30))).orElseThrow();
        assertThat(r.estimate()).isCloseTo(0.10390908965004252, within(1e-9));
        assertThat(r.lower()).isCloseTo(0.013393428566620007, within(1e-9));
        assertThat(r.upper()).isCloseTo(0.4976140644816927, within(1e-9));
    }

    @Test
    void pooledEstimateLiesBetweenTheStudies() {
        ProportionMeta.Result r = ProportionMeta.pool(List.of(new ProportionMeta.Count(10, 100),
                new ProportionMeta.Count(30, 100))).orElseThrow();
        assertThat(r.estimate()).isBetween(0.1, 0.3);
        assertThat(r.lower()).isLessThan(r.estimate());
        assertThat(r.upper()).isGreaterThan(r.estimate());
    }

    @Test
    void answersNothingRatherThanThrowingForOneStudyOrAnImpossibleCount() {
        assertThat(ProportionMeta.pool(List.of(new ProportionMeta.Count(5, 12)))).isEmpty();
        assertThat(ProportionMeta.pool(List.of(new ProportionMeta.Count(5, 12), new ProportionMeta.Count(0, 0)))).isEmpty();
        assertThat(ProportionMeta.pool(List.of(new ProportionMeta.Count(5, 12), new ProportionMeta.Count(13, 12)))).isEmpty();
        assertThat(ProportionMeta.pool(List.of(new ProportionMeta.Count(-1, 12), new ProportionMeta.Count(3, 12)))).isEmpty();
    }
}
