package org.trialwatch.dashboard.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class ForestPlotTest {

    private static final ForestPlot.Study WITH_INTERVAL = new ForestPlot.Study("ref 205 (TF63)", 42.0, 19.56, 68.32, 12);
    private static final ForestPlot.Study WITHOUT_N = new ForestPlot.Study("ref 132 (TF35)", 26.1, null, null, null);

    @Test
    void eachStudyIsARowWithItsEstimateAndIntervalPlacedOnTheZeroToHundredAxis() {
        ForestPlot plot = ForestPlot.of(List.of(WITH_INTERVAL, WITHOUT_N), null);

        assertThat(plot.rows()).hasSize(2);
        ForestPlot.Row first = plot.rows().get(0);
        double perPercent = (plot.plotRight() - plot.plotLeft()) / 100.0;
        assertThat(first.x()).isCloseTo(plot.plotLeft() + 42 * perPercent, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(first.x1()).isCloseTo(plot.plotLeft() + 19.56 * perPercent, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(first.x2()).isCloseTo(plot.plotLeft() + 68.32 * perPercent, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(first.text()).isEqualTo("42 % [19.56, 68.32]");
        assertThat(plot.rows().get(1).hasInterval()).isFalse();
        assertThat(plot.rows().get(1).text()).contains("no interval");
        assertThat(plot.rows().get(1).y()).isGreaterThan(first.y());
    }

    @Test
    void thePooledDiamondHasItsTipsAtThePooledIntervalAndSitsBelowTheStudies() {
        ForestPlot plot = ForestPlot.of(List.of(WITH_INTERVAL, WITHOUT_N),
                new ForestPlot.Pooled(28.09, 12.25, 52.21, 2, 55.59, 0.3144));

        ForestPlot.Diamond d = plot.pooled();
        assertThat(d).isNotNull();
        assertThat(d.y()).isGreaterThan(plot.rows().get(1).y());
        assertThat(d.x1()).isLessThan(d.x()).isLessThan(d.x2());
        assertThat(d.points()).startsWith(Numbers.coordinate(d.x1()) + ",");
        assertThat(d.text()).isEqualTo("28.09 % [12.25, 52.21]");
        assertThat(d.k()).isEqualTo(2);
        assertThat(d.i2()).isEqualTo("55.59");
        assertThat(plot.axisY()).isGreaterThan((int) d.y());
    }

    @Test
    void noPooledEstimateMeansNoDiamond() {
        assertThat(ForestPlot.of(List.of(WITH_INTERVAL), null).pooled()).isNull();
    }

    @Test
    void anEstimateOutsideTheAxisIsClampedToItsEdgeSoItStaysVisible() {
        assertThat(ForestPlot.scale(120.0, 0, 100)).isEqualTo(100);
        assertThat(ForestPlot.scale(-3.0, 0, 100)).isEqualTo(0);
    }

    @Test
    void theMedianOsAxisEndsAtTheNextMultipleOfSixMonths() {
        DotPlot plot = DotPlot.of(List.of(new DotPlot.Value("a", 11.7), new DotPlot.Value("b", 19.0),
                new DotPlot.Value("no value", null)));

        assertThat(plot.axisMax()).isEqualTo(24);
        assertThat(plot.dots()).extracting(DotPlot.Dot::months).containsExactly("11.7", "19");
        assertThat(plot.dots().get(1).x()).isGreaterThan(plot.dots().get(0).x());
    }
}
