package org.trialwatch.evidence.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.trialwatch.evidence.stats.ProportionMeta.Count;
import org.trialwatch.evidence.stats.RandomEffectsMeta.Study;

/**
 * The statistics are total functions: over random valid inputs they never throw and keep every proportion and interval
 * within 0–100 %, with the estimate inside its interval; over any integers they answer (possibly empty), never throw.
 */
class StatisticsPropertiesTest {

    @Property
    void wilsonIntervalOfAnyValidCountLiesInZeroToOneAndContainsTheProportion(@ForAll("counts") ProportionMeta.Count c) {
        WilsonInterval.Interval ci = WilsonInterval.of(c.events(), c.n()).orElseThrow();
        double p = (double) c.events() / c.n();
        assertThat(ci.lower()).isBetween(0.0, 1.0);
        assertThat(ci.upper()).isBetween(0.0, 1.0);
        assertThat(ci.lower()).isLessThanOrEqualTo(p);
        assertThat(ci.upper()).isGreaterThanOrEqualTo(p);
    }

    @Property
    void wilsonIntervalAnswersEveryPairOfIntegersWithoutThrowing(@ForAll int events, @ForAll int n) {
        Optional<WilsonInterval.Interval> ci = WilsonInterval.of(events, n);
        assertThat(ci.isPresent()).isEqualTo(n >= 1 && events >= 0 && events <= n);
    }

    @Property
    void pooledProportionOfTwoOrMoreValidStudiesLiesInZeroToOneInsideItsInterval(
            @ForAll @Size(min = 2, max = 12) List<@From("counts") Count> studies) {
        ProportionMeta.Result r = ProportionMeta.pool(studies).orElseThrow();
        assertThat(r.lower()).isBetween(0.0, 1.0);
        assertThat(r.upper()).isBetween(0.0, 1.0);
        assertThat(r.estimate()).isBetween(r.lower(), r.upper());
        assertThat(r.i2()).isBetween(0.0, 1.0);
        assertThat(r.tau2()).isGreaterThanOrEqualTo(0.0);
        assertThat(r.k()).isEqualTo(studies.size());
    }

    @Property
    void poolingAnyCountsNeverThrows(
            @ForAll @Size(max = 6) List<@From("anyCounts") Count> studies) {
        Optional<ProportionMeta.Result> r = ProportionMeta.pool(studies);
        assertThat(r.isPresent()).isEqualTo(studies.size() >= 2 && studies.stream().allMatch(ProportionMeta.Count::valid));
    }

    @Property
    void randomEffectsPoolingOfAnyStudiesNeverThrows(
            @ForAll @Size(max = 6) List<@From("anyStudies") Study> studies) {
        Optional<RandomEffectsMeta.Result> r = RandomEffectsMeta.pool(studies);
        r.ifPresent(result -> assertThat(result.estimate()).isBetween(result.lower(), result.upper()));
    }

    @Property
    void wholeRespondersFromAValidPercentageNeverExceedN(@ForAll @IntRange(min = 0, max = 10000) int basisPoints,
                                                          @ForAll @IntRange(min = 1, max = 100000) int n) {
        double percent = basisPoints / 100.0;
        int responders = org.trialwatch.evidence.summary.SummaryCalculatorAccess.responders(percent, n);
        assertThat(responders).isBetween(0, n);
        assertThat(Math.abs(responders - percent * n / 100)).isLessThanOrEqualTo(0.5 + 1e-9);
    }

    @Provide
    Arbitrary<ProportionMeta.Count> counts() {
        return Arbitraries.integers().between(1, 100_000)
                .flatMap(n -> Arbitraries.integers().between(0, n).map(e -> new ProportionMeta.Count(e, n)));
    }

    @Provide
    Arbitrary<ProportionMeta.Count> anyCounts() {
        return Combinators.combine(Arbitraries.integers(), Arbitraries.integers()).as(ProportionMeta.Count::new);
    }

    @Provide
    Arbitrary<RandomEffectsMeta.Study> anyStudies() {
        Arbitrary<Double> effects = Arbitraries.oneOf(Arbitraries.doubles().between(-50, 50),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY));
        Arbitrary<Double> variances = Arbitraries.oneOf(Arbitraries.doubles().between(1e-6, 100).ofScale(8),
                Arbitraries.of(0.0, -1.0, Double.NaN));
        return Combinators.combine(effects, variances).as(RandomEffectsMeta.Study::new);
    }
}
