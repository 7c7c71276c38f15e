package org.trialwatch.dashboard.plot;

import java.util.ArrayList;
import java.util.List;

/**
 * The geometry of a dot plot of median overall survival in months: one row per value the evidence service lists, on
 * an axis from 0 to the next multiple of 6 months above the largest value.
 */
public record DotPlot(int width, int height, int plotLeft, int plotRight, int axisY, List<Dot> dots, List<Tick> ticks,
                      int axisMax) {

    public record Value(String label, Double months) {
    }

    public record Dot(String label, double x, double y, String months) {

        public double textY() {
            return y + 4;
        }
    }

    public int top() {
        return 36 + 15;
    }

    public int tickY() {
        return axisY + 6;
    }

    public int tickLabelY() {
        return axisY + 20;
    }

    public int axisLabelY() {
        return axisY + 38;
    }

    public int valuesX() {
        return plotRight + 16;
    }

    public record Tick(double x, String label) {
    }

    public static DotPlot of(List<Value> values) {
        int left = ForestPlot.LABEL_WIDTH;
        int right = ForestPlot.LABEL_WIDTH + ForestPlot.PLOT_WIDTH;
        double max = values.stream().filter(v -> v.months() != null).mapToDouble(Value::months).max().orElse(0);
        int axisMax = Math.max(12, (int) Math.ceil(max / 6.0) * 6);
        List<Dot> dots = new ArrayList<>();
        double y = ForestPlot.TOP;
        for (Value v : values) {
            if (v.months() == null) {
                continue;
            }
            y += ForestPlot.ROW_HEIGHT;
            dots.add(new Dot(v.label(), left + v.months() / axisMax * (right - left), y, Numbers.plain(v.months())));
        }
        List<Tick> ticks = new ArrayList<>();
        int step = axisMax <= 24 ? 6 : 12;
        for (int m = 0; m <= axisMax; m += step) {
            ticks.add(new Tick(left + (double) m / axisMax * (right - left), String.valueOf(m)));
        }
        int axisY = (int) Math.round(y + ForestPlot.ROW_HEIGHT);
        return new DotPlot(ForestPlot.WIDTH, axisY + 44, left, right, axisY, dots, ticks, axisMax);
    }
}
