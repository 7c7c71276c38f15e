package org.trialwatch.dashboard.plot;

import java.util.ArrayList;
import java.util.List;

/**
 * The geometry of a forest plot of response rates, in SVG user units: one row per study (a square at the estimate, a
 * line for the 95 % interval) and, where the evidence service pooled them, a diamond whose tips are the pooled
 * interval, with a dotted reference line at the pooled estimate. It only places the service's numbers on a 0–100 %
 * axis; it computes no statistic.
 */
public record ForestPlot(int width, int height, int plotLeft, int plotRight, int axisY, List<Row> rows,
                         Diamond pooled, List<Tick> ticks) {

    public static final int WIDTH = 760;
    static final int LABEL_WIDTH = 250;
    static final int PLOT_WIDTH = 320;
    static final int ROW_HEIGHT = 30;
    static final int TOP = 36;

    /** One study as the evidence service reports it; interval bounds null when it gave none (N unknown). */
    public record Study(String label, Double percent, Double lower, Double upper, Integer n) {
    }

    public record Pooled(Double percent, Double lower, Double upper, int k, Double i2Percent, Double tau2) {
    }

    public record Row(String label, String text, double y, double x, Double x1, Double x2, boolean clippedLow,
                      boolean clippedHigh, String estimate, String lower, String upper, Integer n) {

        public boolean hasInterval() {
            return x1 != null && x2 != null;
        }

        public double textY() {
            return y + 4;
        }

        public double squareX() {
            return x - 5;
        }

        public double squareY() {
            return y - 5;
        }
    }

    public record Diamond(double y, double x, double x1, double x2, String points, String text, String estimate,
                          String lower, String upper, int k, String i2, String tau2) {

        public double textY() {
            return y + 4;
        }
    }

    public record Tick(double x, String label) {
    }

    public int top() {
        return TOP + ROW_HEIGHT / 2;
    }

    public int tickY() {
        return axisY + 6;
    }

    public int tickLabelY() {
        return axisY + 20;
    }

    public int footerY() {
        return axisY + 44;
    }

    public int valuesX() {
        return plotRight + 16;
    }

    public static ForestPlot of(List<Study> studies, Pooled pooled) {
        int plotLeft = LABEL_WIDTH;
        int plotRight = LABEL_WIDTH + PLOT_WIDTH;
        List<Row> rows = new ArrayList<>();
        double y = TOP;
        for (Study s : studies) {
            y += ROW_HEIGHT;
            double x = scale(s.percent(), plotLeft, plotRight);
            Double x1 = null;
            Double x2 = null;
            if (s.lower() != null && s.upper() != null) {
                x1 = scale(s.lower(), plotLeft, plotRight);
                x2 = scale(s.upper(), plotLeft, plotRight);
            }
            String text = Numbers.plain(s.percent()) + " %" + (x1 == null ? " (no interval: N unknown)"
                    : " [" + Numbers.plain(s.lower()) + ", " + Numbers.plain(s.upper()) + "]");
            rows.add(new Row(s.label(), text, y, x, x1, x2, s.lower() != null && s.lower() < 0,
                    s.upper() != null && s.upper() > 100, Numbers.plain(s.percent()), Numbers.plain(s.lower()),
                    Numbers.plain(s.upper()), s.n()));
        }
        Diamond diamond = null;
        if (pooled != null && pooled.percent() != null && pooled.lower() != null && pooled.upper() != null) {
            y += ROW_HEIGHT * 1.5;
            double x = scale(pooled.percent(), plotLeft, plotRight);
            double x1 = scale(pooled.lower(), plotLeft, plotRight);
            double x2 = scale(pooled.upper(), plotLeft, plotRight);
            double half = ROW_HEIGHT / 3.0;
            String points = fmt(x1) + "," + fmt(y) + " " + fmt(x) + "," + fmt(y - half) + " " + fmt(x2) + "," + fmt(y)
                    + " " + fmt(x) + "," + fmt(y + half);
            diamond = new Diamond(y, x, x1, x2, points, Numbers.plain(pooled.percent()) + " % ["
                    + Numbers.plain(pooled.lower()) + ", " + Numbers.plain(pooled.upper()) + "]",
                    Numbers.plain(pooled.percent()), Numbers.plain(pooled.lower()), Numbers.plain(pooled.upper()),
                    pooled.k(), Numbers.plain(pooled.i2Percent()), Numbers.plain(pooled.tau2()));
        }
        int axisY = (int) Math.round(y + ROW_HEIGHT);
        List<Tick> ticks = new ArrayList<>();
        for (int p = 0; p <= 100; p += 20) {
            ticks.add(new Tick(scale((double) p, plotLeft, plotRight), p + " %"));
        }
        return new ForestPlot(WIDTH, axisY + 56, plotLeft, plotRight, axisY, rows, diamond, ticks);
    }

    /** Places a percentage on the axis, clamped to 0–100 % so that every estimate stays visible. */
    static double scale(Double percent, int left, int right) {
        double p = Math.max(0, Math.min(100, percent == null ? 0 : percent));
        return left + p / 100.0 * (right - left);
    }

    private static String fmt(double v) {
        return Numbers.coordinate(v);
    }
}
