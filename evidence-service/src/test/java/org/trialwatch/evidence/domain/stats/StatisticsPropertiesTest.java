package org.trialwatch.evidence.domain.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

import org.junit.jupiter.api.Test;
import org.trialwatch.evidence.domain.stats.ProportionMeta.Count;
import org.trialwatch.evidence.domain.stats.RandomEffectsMeta.Study;

/**
 * The statistics are total functions: over random valid inputs they never throw and keep every proportion and interval
 * within 0–100 %, with the estimate inside its interval; over any integers they answer (possibly empty), never throw.
 *
 * <p>Property-based by hand: each property runs over {@value #TRIES} inputs drawn from a fixed seed per try (so a
 * failure names the seed that reproduces it), plus the edge values a generator tends to miss.
 */
class StatisticsPropertiesTest {

    private static final int TRIES = 1000;
    private static final int[] EDGE_INTS = {Integer.MIN_VALUE, -1, 0, 1, 2, Integer.MAX_VALUE};

    /** Runs {@code property} over {@value #TRIES} seeds; a failure names the seed that reproduces it. */
    private static void forAll(LongConsumer property) {
        for (long seed = 0x7157_0000L; seed < 0x7157_0000L + TRIES; seed++) {
            try {
                property.accept(seed);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("property fails for seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    @Test
    void wilsonIntervalOfAnyValidCountLiesInZeroToOneAndContainsTheProportion() {
        forAll(StatisticsPropertiesTest::wilsonIntervalOfAnyValidCountLiesInZeroToOneAndContainsTheProportionAt);
    }

    private static void wilsonIntervalOfAnyValidCountLiesInZeroToOneAndContainsTheProportionAt(long seed) {
        Count c = validCount(new SplittableRandom(seed));
        WilsonInterval.Interval ci = WilsonInterval.of(c.events(), c.n()).orElseThrow();
        double p = (double) c.events() / c.n();
        assertThat(ci.lower()).isBetween(0.0, 1.0);
        assertThat(ci.upper()).isBetween(0.0, 1.0);
        assertThat(ci.lower()).isLessThanOrEqualTo(p);
        assertThat(ci.upper()).isGreaterThanOrEqualTo(p);
    }

    @Test
    void wilsonIntervalAnswersEveryPairOfIntegersWithoutThrowing() {
        forAll(StatisticsPropertiesTest::wilsonIntervalAnswersEveryPairOfIntegersWithoutThrowingAt);
    }

    private static void wilsonIntervalAnswersEveryPairOfIntegersWithoutThrowingAt(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int events = anyInt(random);
        int n = anyInt(random);
        Optional<WilsonInterval.Interval> ci = WilsonInterval.of(events, n);
        assertThat(ci.isPresent()).isEqualTo(n >= 1 && events >= 0 && events <= n);
    }

    @Test
    void pooledProportionOfTwoOrMoreValidStudiesLiesInZeroToOneInsideItsInterval() {
        forAll(StatisticsPropertiesTest::pooledProportionOfTwoOrMoreValidStudiesLiesInZeroToOneInsideItsIntervalAt);
    }

    private static void pooledProportionOfTwoOrMoreValidStudiesLiesInZeroToOneInsideItsIntervalAt(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Count> studies = new ArrayList<>();
        for (int i = 0, k = random.nextInt(2, 13); i < k; i++) {
            studies.add(validCount(random));
        }
        ProportionMeta.Result r = ProportionMeta.pool(studies).orElseThrow();
        assertThat(r.lower()).isBetween(0.0, 1.0);
        assertThat(r.upper()).isBetween(0.0, 1.0);
        assertThat(r.estimate()).isBetween(r.lower(), r.upper());
        assertThat(r.i2()).isBetween(0.0, 1.0);
        assertThat(r.tau2()).isGreaterThanOrEqualTo(0.0);
        assertThat(r.k()).isEqualTo(studies.size());
    }

    @Test
    void poolingAnyCountsNeverThrows() {
        forAll(StatisticsPropertiesTest::poolingAnyCountsNeverThrowsAt);
    }

    private static void poolingAnyCountsNeverThrowsAt(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Count> studies = new ArrayList<>();
        for (int i = 0, k = random.nextInt(0, 7); i < k; i++) {
            studies.add(random.nextInt(4) == 0 ? new Count(anyInt(random), anyInt(random)) : validCount(random));
        }
        Optional<ProportionMeta.Result> r = ProportionMeta.pool(studies);
        assertThat(r.isPresent()).isEqualTo(studies.size() >= 2 && studies.stream().allMatch(Count::valid));
    }

    @Test
    void randomEffectsPoolingOfAnyStudiesNeverThrows() {
        forAll(StatisticsPropertiesTest::randomEffectsPoolingOfAnyStudiesNeverThrowsAt);
    }

    private static void randomEffectsPoolingOfAnyStudiesNeverThrowsAt(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Study> studies = new ArrayList<>();
        for (int i = 0, k = random.nextInt(0, 7); i < k; i++) {
            double effect = random.nextInt(8) == 0
                    ? pick(random, Double.NaN, Double.POSITIVE_INFINITY) : random.nextDouble(-50, 50);
            double variance = random.nextInt(8) == 0
                    ? pick(random, 0.0, -1.0, Double.NaN) : random.nextDouble(1e-6, 100);
            studies.add(new Study(effect, variance));
        }
        Optional<RandomEffectsMeta.Result> r = RandomEffectsMeta.pool(studies);
        r.ifPresent(result -> assertThat(result.estimate()).isBetween(result.lower(), result.upper()));
    }

    @Test
    void wholeRespondersFromAValidPercentageNeverExceedN() {
        forAll(StatisticsPropertiesTest::wholeRespondersFromAValidPercentageNeverExceedNAt);
    }

    private static void wholeRespondersFromAValidPercentageNeverExceedNAt(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double percent = random.nextInt(0, 10_001) / 100.0;
        int n = random.nextInt(1, 100_001);
        int responders = org.trialwatch.evidence.domain.summary.SummaryCalculatorAccess.responders(percent, n);
        assertThat(responders).isBetween(0, n);
        assertThat(Math.abs(responders - percent * n / 100)).isLessThanOrEqualTo(0.5 + 1e-9);
    }

    private static Count validCount(SplittableRandom random) {
        int n = random.nextInt(5) == 0 ? pickInt(random, 1, 2, 100_000) : random.nextInt(1, 100_001);
        int events = random.nextInt(4) == 0 ? pickInt(random, 0, n) : random.nextInt(0, n + 1);
        return new Count(events, n);
    }

    private static int anyInt(SplittableRandom random) {
        return random.nextInt(4) == 0 ? EDGE_INTS[random.nextInt(EDGE_INTS.length)] : random.nextInt();
    }

    private static int pickInt(SplittableRandom random, int... values) {
        return values[random.nextInt(values.length)];
    }

    private static double pick(SplittableRandom random, double... values) {
        return values[random.nextInt(values.length)];
    }
}
