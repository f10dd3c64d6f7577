package io.tickgrad.backtest;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The four PNG charts of the report, drawn with XChart off screen. Headless: the property is set before any AWT
 * class is touched.
 */
final class BacktestCharts {
    static final int WIDTH = 900;
    static final int HEIGHT = 480;
    /** Above this many points a line is thinned to the min and max of each of MAX_POINTS / 2 buckets. */
    static final int MAX_POINTS = 4000;

    private static final Color NET = new Color(0x1f, 0x77, 0xb4);
    /** A reference drawn under the other lines as a wide light band, so that a line on top of it stays visible. */
    static final Color HALO = new Color(0xbf, 0xbf, 0xbf);
    static final float HALO_WIDTH = 6f;
    /** Space between x tick labels: wide enough for "33,408" and its neighbour at the tick label font. */
    static final int X_TICK_SPACING_HINT = 100;
    static final Color REFERENCE = new Color(0x80, 0x80, 0x80);
    private static final Color ACCENT = new Color(0xd6, 0x27, 0x28);
    private static final Color BARS = new Color(0x9e, 0xcf, 0x9e);

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private BacktestCharts() {
    }

    /** Sets java.awt.headless before AWT loads (a no-op once the class is initialised). */
    static void init() {
        System.setProperty("java.awt.headless", "true");
    }

    // ------------------------------------------------------------------ equity curve

    static BufferedImage equity(BacktestAnalysis a) {
        String title = "Equity curve: cumulative PnL after costs";
        if (a.equityTimeNs.length == 0) {
            return placeholder(title, "no strategy periods (no row with a known forward return)");
        }
        TimeAxis axis = TimeAxis.of(a.summary().rows().firstExchangeTimeNs(),
            a.equityTimeNs[a.equityTimeNs.length - 1]);
        double[] x = new double[a.equityTimeNs.length + 1];
        double[] net = new double[x.length];
        double[] gross = new double[x.length];
        x[0] = axis.x(a.equityTimeNs[0]);   // start from 0 at the first position
        for (int j = 0; j < a.equityTimeNs.length; j++) {
            x[j + 1] = axis.x(a.equityTimeNs[j]);
            net[j + 1] = a.equityBps[j];
            gross[j + 1] = a.grossEquityBps[j];
        }
        XYChart chart = xyChart(title, axis.title(), "cumulative PnL (bps)");
        chart.getStyler().setYAxisDecimalPattern("#,##0.##");
        double[][] g = thin(x, gross);
        XYSeries sg = chart.addSeries("gross (before costs)", g[0], g[1]);
        sg.setMarker(SeriesMarkers.NONE);
        sg.setLineColor(HALO);
        sg.setLineWidth(HALO_WIDTH);   // a wide light band under net: where costs are small, both stay visible
        double[][] nt = thin(x, net);
        XYSeries sn = chart.addSeries("net after costs", nt[0], nt[1]);
        sn.setMarker(SeriesMarkers.NONE);
        sn.setLineColor(NET);
        sn.setLineWidth(1.6f);
        return render(chart);
    }

    // ------------------------------------------------------------------ rolling accuracy

    static BufferedImage rollingAccuracy(BacktestAnalysis a) {
        BacktestSummary.Prediction p = a.summary().prediction();
        String title = "Rolling accuracy over " + a.rollingWindow + " labelled predictions";
        if (a.rollingTimeNs.length == 0) {
            return placeholder("Rolling accuracy", "no labelled predictions");
        }
        TimeAxis axis = TimeAxis.of(a.summary().rows().firstExchangeTimeNs(),
            a.rollingTimeNs[a.rollingTimeNs.length - 1]);
        double[] x = new double[a.rollingTimeNs.length];
        for (int j = 0; j < x.length; j++) {
            x[j] = axis.x(a.rollingTimeNs[j]);
        }
        XYChart chart = xyChart(title, axis.title(), "accuracy");
        double x0 = x[0];
        double x1 = x[x.length - 1];
        double majority = Math.max(p.upRate(), 1 - p.upRate());
        // the reference first, as a wide light band: the lines drawn over it stay visible where they coincide
        XYSeries m = horizontal(chart, "always the majority class " + BacktestFormat.number(majority, 4), x0, x1,
            majority, HALO, SeriesLines.SOLID);
        if (m != null) {
            m.setLineWidth(HALO_WIDTH);
        }
        double[][] r = thin(x, a.rollingAccuracy);
        XYSeries s = chart.addSeries("rolling accuracy", r[0], r[1]);
        s.setMarker(x.length == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        s.setLineColor(NET);
        s.setMarkerColor(NET);
        s.setLineWidth(1.3f);
        horizontal(chart, "overall " + BacktestFormat.number(p.accuracy(), 4), x0, x1, p.accuracy(), ACCENT,
            SeriesLines.DASH_DASH);
        return render(chart);
    }

    // ------------------------------------------------------------------ calibration

    static BufferedImage calibration(BacktestAnalysis a) {
        String title = "Calibration: observed up-rate by predicted probability (10 bins)";
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (BacktestSummary.CalibrationBin b : a.summary().calibration()) {
            if (b.count() > 0) {
                xs.add(b.meanScore());
                ys.add(b.upRate());
            }
        }
        if (xs.isEmpty()) {
            return placeholder("Calibration", "no labelled predictions");
        }
        XYChart chart = xyChart(title, "mean predicted probability of an up move", "observed up-rate");
        AxesChartStyler st = chart.getStyler();
        st.setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        st.setXAxisDecimalPattern("0.0").setYAxisDecimalPattern("0.0");
        XYSeries diagonal = chart.addSeries("perfectly calibrated", new double[] {0, 1}, new double[] {0, 1});
        diagonal.setMarker(SeriesMarkers.NONE);
        diagonal.setLineColor(REFERENCE);
        diagonal.setLineStyle(SeriesLines.DASH_DASH);
        XYSeries model = chart.addSeries("model (bins with rows)", xs, ys);
        model.setMarker(SeriesMarkers.CIRCLE);
        model.setMarkerColor(NET);
        model.setLineColor(NET);
        return render(chart);
    }

    // ------------------------------------------------------------------ latency histogram

    /**
     * Bucket edges 1, 2, 5, 10, 20, 50, ... ns (near-equal widths on a log scale, round labels): from the largest
     * edge at or below the smallest latency to the first edge above the largest one.
     */
    static long[] latencyEdges(long min, long max) {
        List<Long> edges = new ArrayList<>();
        long first = 1;
        for (long e = 1; e > 0 && e <= min; e = nextEdge(e)) {
            first = e;
        }
        edges.add(first);
        for (long e = first; e <= max && e > 0; ) {
            e = nextEdge(e);
            edges.add(e);
        }
        long[] out = new long[edges.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = edges.get(i);
        }
        return out;
    }

    /** The 1-2-5 step after e. */
    private static long nextEdge(long e) {
        long decade = 1;
        while (decade <= e / 10) {
            decade *= 10;
        }
        long mantissa = e / decade;
        return mantissa == 1 ? 2 * decade : mantissa == 2 ? 5 * decade : 10 * decade;
    }

    static BufferedImage latency(BacktestAnalysis a) {
        String title = "Latency histogram (tick to prediction)";
        long[] v = a.latenciesNs;
        if (v.length == 0) {
            return placeholder("Latency histogram", "no measured latencies");
        }
        long min = Long.MAX_VALUE;
        long max = 0;
        for (long x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        long[] edges = latencyEdges(min, max);
        long[] counts = new long[edges.length - 1];
        for (long x : v) {
            int b = bucket(edges, x);
            counts[b]++;
        }
        List<String> labels = new ArrayList<>();
        List<Long> ys = new ArrayList<>();
        for (int b = 0; b < counts.length; b++) {
            labels.add(shortDuration(edges[b]) + "-" + shortDuration(edges[b + 1]));
            ys.add(counts[b]);
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
            .xAxisTitle("latency bucket (log-spaced 1-2-5 edges; p50 " + BacktestFormat.duration(
                a.summary().latency().p50Ns()) + ", p99 " + BacktestFormat.duration(a.summary().latency().p99Ns())
                + ")").yAxisTitle("predictions").build();
        style(chart.getStyler());
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setAvailableSpaceFill(0.9);
        chart.getStyler().setYAxisDecimalPattern("#,###");
        chart.getStyler().setLabelsVisible(true);   // counts on the bars: the tail buckets are too small to see
        chart.getStyler().setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        chart.getStyler().setLabelsPosition(1.0);
        chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
        chart.getStyler().setLabelsFontColor(Color.DARK_GRAY);
        if (labels.size() > 8) {
            chart.getStyler().setXAxisLabelRotation(45);
        }
        chart.addSeries("predictions", labels, ys).setFillColor(BARS);
        return render(chart);
    }

    private static int bucket(long[] edges, long x) {
        for (int b = 0; b < edges.length - 1; b++) {
            if (x < edges[b + 1]) {
                return b;
            }
        }
        return edges.length - 2;
    }

    static String shortDuration(long ns) {
        if (ns < 1_000) {
            return ns + "ns";
        }
        if (ns < 1_000_000) {
            return trim(ns / 1e3) + "µs";
        }
        if (ns < 1_000_000_000) {
            return trim(ns / 1e6) + "ms";
        }
        return trim(ns / 1e9) + "s";
    }

    private static String trim(double x) {
        return x == Math.rint(x) ? Long.toString((long) x) : String.format(Locale.ROOT, "%.1f", x);
    }

    // ------------------------------------------------------------------ helpers

    /** Writes an image as PNG. */
    static void writePng(BufferedImage image, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer for " + file);
            }
        }
    }

    /**
     * An XY chart in the report's style, its legend below the plot (where it hides no line), laid out in one row, or
     * one entry a line when the row would not fit ({@link #render}).
     */
    static XYChart xyChart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
            .yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setXAxisTickMarkSpacingHint(X_TICK_SPACING_HINT);
        return chart;
    }

    /**
     * Draws a chart. When something reaches the image's left, right or bottom edge (a one-row legend wider than the
     * chart, clipped), the legend is laid out one entry a line and the chart drawn again.
     */
    static BufferedImage render(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) {
        BufferedImage image = BitmapEncoder.getBufferedImage(chart);
        Styler st = chart.getStyler();
        if (touchesEdge(image) && st.getLegendLayout() == Styler.LegendLayout.Horizontal
            && st.getLegendPosition() == Styler.LegendPosition.OutsideS) {
            st.setLegendLayout(Styler.LegendLayout.Vertical);
            image = BitmapEncoder.getBufferedImage(chart);
        }
        return image;
    }

    /** Whether any pixel of the outer two columns on either side or of the two bottom rows is not white. */
    static boolean touchesEdge(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        for (int y = 0; y < h; y++) {
            for (int x : new int[] {0, 1, w - 2, w - 1}) {
                if ((image.getRGB(x, y) & 0xffffff) != 0xffffff) {
                    return true;
                }
            }
        }
        for (int x = 0; x < w; x++) {
            if ((image.getRGB(x, h - 1) & 0xffffff) != 0xffffff || (image.getRGB(x, h - 2) & 0xffffff) != 0xffffff) {
                return true;
            }
        }
        return false;
    }

    private static void style(AxesChartStyler st) {
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderVisible(true);
        st.setPlotGridLinesColor(new Color(0xe0, 0xe0, 0xe0));
        st.setLegendPosition(Styler.LegendPosition.OutsideS);
        st.setLegendBorderColor(new Color(0xc0, 0xc0, 0xc0));
        st.setAntiAlias(true);
        st.setChartTitleBoxVisible(false);
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        st.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        st.setLegendPadding(8);
        st.setLegendSeriesLineLength(20);
        st.setMarkerSize(7);
    }

    /** A horizontal reference line from x0 to x1 (a marker when they are equal); null when y is not finite. */
    static XYSeries horizontal(XYChart chart, String name, double x0, double x1, double y, Color color,
                               BasicStroke stroke) {
        if (!Double.isFinite(y)) {
            return null;
        }
        double[] xs = x0 == x1 ? new double[] {x0} : new double[] {x0, x1};
        double[] ys = x0 == x1 ? new double[] {y} : new double[] {y, y};
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setMarker(x0 == x1 ? SeriesMarkers.DIAMOND : SeriesMarkers.NONE);
        s.setMarkerColor(color);
        s.setLineColor(color);
        s.setLineStyle(stroke);
        return s;
    }

    /** Keeps the min and max of each bucket, in order, when a line has more than MAX_POINTS points. */
    static double[][] thin(double[] x, double[] y) {
        int n = x.length;
        if (n <= MAX_POINTS) {
            return new double[][] {x, y};
        }
        int buckets = MAX_POINTS / 2;
        double[] ox = new double[2 * buckets + 1];
        double[] oy = new double[ox.length];
        int k = 0;
        for (int b = 0; b < buckets; b++) {
            int from = (int) ((long) b * n / buckets);
            int to = (int) ((long) (b + 1) * n / buckets);
            int lo = from;
            int hi = from;
            for (int i = from; i < to; i++) {
                if (y[i] < y[lo]) {
                    lo = i;
                }
                if (y[i] > y[hi]) {
                    hi = i;
                }
            }
            int first = Math.min(lo, hi);
            int second = Math.max(lo, hi);
            ox[k] = x[first];
            oy[k++] = y[first];
            if (second != first) {
                ox[k] = x[second];
                oy[k++] = y[second];
            }
        }
        if (ox[k - 1] != x[n - 1] || oy[k - 1] != y[n - 1]) {   // always end on the last point
            ox[k] = x[n - 1];
            oy[k++] = y[n - 1];
        }
        return new double[][] {java.util.Arrays.copyOf(ox, k), java.util.Arrays.copyOf(oy, k)};
    }

    /** An image that says there is nothing to draw, so the report never links a missing file. */
    static BufferedImage placeholder(String title, String message) {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(new Color(0xc0, 0xc0, 0xc0));
            g.drawRect(10, 10, WIDTH - 21, HEIGHT - 21);
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(title, 30, 45);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            int w = g.getFontMetrics().stringWidth(message);
            g.drawString(message, (WIDTH - w) / 2, HEIGHT / 2);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Exchange time as elapsed minutes, hours or days since the first point, whichever reads best. */
    record TimeAxis(long originNs, double unitNs, String unit) {
        static TimeAxis of(long firstNs, long lastNs) {
            double span = Math.abs((double) lastNs - firstNs);
            if (span < 2 * 3600e9) {
                return new TimeAxis(firstNs, 60e9, "minutes");
            }
            if (span < 3 * 86_400e9) {
                return new TimeAxis(firstNs, 3600e9, "hours");
            }
            return new TimeAxis(firstNs, 86_400e9, "days");
        }

        double x(long timeNs) {
            return (timeNs - originNs) / unitNs;
        }

        String title() {
            return "exchange time, " + unit + " since " + BacktestSummary.isoTime(originNs);
        }
    }
}
