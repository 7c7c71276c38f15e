package org.trialwatch.evidence.domain.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Worked examples: Newcombe RG. Two-sided confidence intervals for the single proportion: comparison of seven methods.
 * Stat Med 1998;17:857–872, Table I, method 3 (Wilson score interval without continuity correction):
 * 81/263 → 0.2553–0.3662; 15/148 → 0.0624–0.1605; 0/20 → 0.0000–0.1611; 1/29 → 0.0061–0.1718.
 * The same four were recomputed independently with python3 (closed-form Wilson formula, z = 1.959963984540054).
 */
class WilsonIntervalTest {

    @Test
    void reproducesNewcombesWorkedExamplesToFourDecimals() {
        assertInterval(81, 263, 0.2553, 0.3662);
        assertInterval(15, 148, 0.0624, 0.1605);
        assertInterval(0, 20, 0.0000, 0.1611);
        assertInterval(1, 29, 0.0061, 0.1718);
    }

    @Test
    void staysInsideZeroAndOneWhenEveryPatientResponds() {
        WilsonInterval.Interval ci = WilsonInterval.of(5, 5).orElseThrow();
        assertThat(ci.upper()).isEqualTo(1.0);
        assertThat(ci.lower()).isGreaterThan(0.5).isLessThan(0.6);
    }

    @Test
    void narrowsAsTheNumberOfPatientsGrows() {
        WilsonInterval.Interval small = WilsonInterval.of(6, 20).orElseThrow();
        WilsonInterval.Interval large = WilsonInterval.of(600, 2000).orElseThrow();
        assertThat(large.upper() - large.lower()).isLessThan((small.upper() - small.lower()) / 5);
    }

    @Test
    void answersNothingForMoreEventsThanPatientsOrNoPatients() {
        assertThat(WilsonInterval.of(12, 10)).isEmpty();
        assertThat(WilsonInterval.of(0, 0)).isEmpty();
        assertThat(WilsonInterval.of(-1, 10)).isEmpty();
    }

    private static void assertInterval(int events, int n, double lower, double upper) {
        WilsonInterval.Interval ci = WilsonInterval.of(events, n).orElseThrow();
        assertThat(ci.lower()).as("lower %d/%d", events, n).isCloseTo(lower, within(0.00005));
        assertThat(ci.upper()).as("upper %d/%d", events, n).isCloseTo(upper, within(0.00005));
    }
}
