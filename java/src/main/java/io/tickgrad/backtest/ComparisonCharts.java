package io.tickgrad.backtest;

import io.tickgrad.train.LearningCurve;
import java.awt.Color;
import java.awt.image.BufferedImage;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The charts of a {@link Comparison}, one line per model on each: rolling accuracy, rolling ROC AUC, the equity
 * curve after costs and the online training loss. Drawn with the report's chart style ({@link BacktestCharts}).
 */
final class ComparisonCharts {
    /** Rounds per point of the smoothed training loss. */
    static final int LOSS_SMOOTHING_ROUNDS = 25;

    private static final Color[] PALETTE = {
        new Color(0x1f, 0x77, 0xb4), new Color(0xff, 0x7f, 0x0e), new Color(0x2c, 0xa0, 0x2c),
        new Color(0xd6, 0x27, 0x28), new Color(0x94, 0x67, 0xbd), new Color(0x8c, 0x56, 0x4b)};

    private ComparisonCharts() {
    }

    static Color color(int i) {
        return PALETTE[i % PALETTE.length];
    }

    static BufferedImage rollingAccuracy(Comparison c) {
        return rolling(c, true);
    }

    static BufferedImage rollingAuc(Comparison c) {
        return rolling(c, false);
    }

    private static BufferedImage rolling(Comparison c, boolean accuracy) {
        String what = accuracy ? "accuracy" : "ROC AUC";
        Comparison.Rolling first = c.rolling.get(0);
        BacktestCharts.TimeAxis axis = timeAxis(c);
        if (axis == null || first.timeNs().length == 0) {
            return BacktestCharts.placeholder("Rolling " + what, "fewer labelled predictions than one window");
        }
        XYChart chart = chart("Rolling " + what + " over " + first.window()
            + " labelled predictions", axis.title(), what);
        double x0 = Double.MAX_VALUE;
        double x1 = -Double.MAX_VALUE;
        for (Comparison.Rolling r : c.rolling) {
            if (r.timeNs().length > 0) {
                x0 = Math.min(x0, axis.x(r.timeNs()[0]));
                x1 = Math.max(x1, axis.x(r.timeNs()[r.timeNs().length - 1]));
            }
        }
        // the up share first, as a wide light band under the models' lines: a model that always says up runs inside it
        if (accuracy) {
            XYSeries up = chart.addSeries("up share (= always saying up)", x(axis, first.timeNs()),
                first.upRate());
            up.setMarker(SeriesMarkers.NONE);
            up.setLineColor(BacktestCharts.HALO);
            up.setLineWidth(BacktestCharts.HALO_WIDTH);
        }
        for (int i = 0; i < c.runs.size(); i++) {
            Comparison.Rolling r = c.rolling.get(i);
            if (r.timeNs().length > 0) {
                line(chart, c.runs.get(i).name(), x(axis, r.timeNs()), accuracy ? r.accuracy() : r.auc(), i);
            }
        }
        if (!accuracy) {   // thin dotted references over the models' lines: a line under them shows between the dots
            int w = first.window();
            double band = StandardErrors.chanceBand(
                StandardErrors.aucNull(w / 2, w - w / 2, ComparedMetric.horizon(c.analyses.get(0))));
            BacktestCharts.horizontal(chart, "chance 0.5", x0, x1, 0.5, BacktestCharts.REFERENCE, SeriesLines.DOT_DOT);
            BacktestCharts.horizontal(chart, "window chance band ± " + BacktestFormat.number(band, 3), x0, x1,
                0.5 + band, BacktestCharts.REFERENCE, SeriesLines.DASH_DASH);
            XYSeries lower = BacktestCharts.horizontal(chart, "chance band, lower edge", x0, x1, 0.5 - band,
                BacktestCharts.REFERENCE, SeriesLines.DASH_DASH);
            if (lower != null) {
                lower.setShowInLegend(false);
            }
        }
        return BacktestCharts.render(chart);
    }

    static BufferedImage equity(Comparison c) {
        BacktestCharts.TimeAxis axis = timeAxis(c);
        if (axis == null) {
            return BacktestCharts.placeholder("Equity curves", "no strategy periods");
        }
        XYChart chart = chart("Equity curves: cumulative PnL after costs", axis.title(),
            "cumulative net PnL (bps)");
        chart.getStyler().setYAxisDecimalPattern("#,##0.##");
        for (int i = 0; i < c.runs.size(); i++) {
            BacktestAnalysis a = c.analyses.get(i);
            if (a.equityTimeNs.length > 0) {
                double[] x = x(axis, a.equityTimeNs);
                double[][] t = BacktestCharts.thin(x, a.equityBps);
                line(chart, c.runs.get(i).name(), t[0], t[1], i);
            }
        }
        return BacktestCharts.render(chart);
    }

    static BufferedImage trainingLoss(Comparison c) {
        String title = "Online training loss (mean batch loss, running mean over " + LOSS_SMOOTHING_ROUNDS
            + " accepted rounds)";
        XYChart chart = chart(title, "matured samples seen by the learner", "binary cross-entropy");
        int lines = 0;
        double xMax = 0;
        for (int i = 0; i < c.runs.size(); i++) {
            LearningCurve curve = c.runs.get(i).curve();
            if (curve == null || curve.size() == 0) {
                continue;
            }
            double[] x = new double[curve.size()];
            double[] y = new double[curve.size()];
            double sum = 0;
            double samples = 0;
            for (int j = 0; j < x.length; j++) {
                boolean full = j >= LOSS_SMOOTHING_ROUNDS;
                sum += curve.loss(j) - (full ? curve.loss(j - LOSS_SMOOTHING_ROUNDS) : 0);
                samples += curve.samples(j) - (full ? curve.samples(j - LOSS_SMOOTHING_ROUNDS) : 0);
                int rounds = Math.min(j + 1, LOSS_SMOOTHING_ROUNDS);
                // the running mean at the middle of its rounds: no lag, and x is not an equally spaced grid, on
                // which XChart would place one tick label per few points and run them together
                x[j] = samples / rounds;
                y[j] = sum / rounds;
            }
            xMax = Math.max(xMax, curve.samples(x.length - 1));
            line(chart, c.runs.get(i).name(), x, y, i);
            lines++;
        }
        if (lines == 0) {
            return BacktestCharts.placeholder("Online training loss", "no model learned online");
        }
        BacktestCharts.horizontal(chart, "ln 2 = 0.693 (a constant score of 0.5)", 0, xMax, Math.log(2),
            BacktestCharts.REFERENCE, SeriesLines.DASH_DASH);
        return BacktestCharts.render(chart);
    }

    /** A time axis over every run's predictions, or null when no run has any. */
    private static BacktestCharts.TimeAxis timeAxis(Comparison c) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (BacktestAnalysis a : c.analyses) {
            BacktestSummary.Rows rows = a.summary().rows();
            if (rows.total() > 0) {
                first = Math.min(first, rows.firstExchangeTimeNs());
                last = Math.max(last, rows.lastExchangeTimeNs());
            }
        }
        return first == Long.MAX_VALUE ? null : BacktestCharts.TimeAxis.of(first, last);
    }

    private static double[] x(BacktestCharts.TimeAxis axis, long[] timeNs) {
        double[] x = new double[timeNs.length];
        for (int j = 0; j < x.length; j++) {
            x[j] = axis.x(timeNs[j]);
        }
        return x;
    }

    /** The report's chart (legend below the plot, where it hides no line). */
    private static XYChart chart(String title, String xTitle, String yTitle) {
        return BacktestCharts.xyChart(title, xTitle, yTitle);
    }

    /**
     * Line width of model i: the first drawn widest, each later one narrower, so that where two models' lines
     * coincide the later one runs inside the earlier and both stay visible.
     */
    static float width(int i) {
        return Math.max(1.2f, 3.0f - 0.9f * i);
    }

    private static void line(XYChart chart, String name, double[] x, double[] y, int i) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(x.length == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        s.setMarkerColor(color(i));
        s.setLineColor(color(i));
        s.setLineWidth(width(i));
    }
}
