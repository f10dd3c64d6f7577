package io.tickgrad.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.train.TestCurves;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a reader would stumble on in the charts, checked on the drawn pixels: nothing clipped at the image's edges
 * (a legend wider than the chart), x tick labels that do not run together, and no line hidden under another.
 */
class ChartGeometryTest {
    private static final List<String> INFO = List.of("ticks: synthetic");

    /** The same rows with one constant score: a model that always says up (its accuracy is the up share). */
    static BacktestRun constant(BacktestRun run, float score) {
        BacktestRun out = new BacktestRun();
        for (int i = 0; i < run.size(); i++) {
            out.add(run.tickSequence(i), run.exchangeTimeNs(i), run.price(i), score, run.label(i),
                run.forwardReturn(i), run.latencyNs(i));
        }
        return out;
    }

    static List<ComparedRun> runs(String suffix) {
        BacktestRun informative = BacktestReportTest.syntheticRun(24_000, 7);
        BacktestOptions o = BacktestReportTest.options().withRollingWindow(2000);
        return List.of(
            new ComparedRun("frozen", "pretrained, frozen" + suffix, "always up", constant(informative, 0.6f), o,
                null, 0, "frozen/report.html"),
            new ComparedRun("online", "pretrained, fine-tuned online" + suffix, "head", informative, o,
                TestCurves.falling(1090, 1), 1090, "online/report.html"),
            new ComparedRun("scratch", "from scratch, online" + suffix, "all",
                ComparisonReportTest.withRandomScores(informative, 4), o, TestCurves.falling(1090, 2), 1090,
                "scratch/report.html"));
    }

    @Test
    void shouldKeepEveryChartInsideItsImage(@TempDir Path dir) throws IOException {
        List<ComparedRun> runs = runs("");
        ComparisonReport.write(dir, "t", INFO, runs);
        for (String f : ComparisonReport.FILES) {
            if (f.endsWith(".png")) {
                assertFalse(BacktestCharts.touchesEdge(read(dir.resolve(f))), f + " is clipped at an edge");
            }
        }
        for (ComparedRun r : runs) {
            BacktestReport.write(dir.resolve(r.id()), r.run(), r.options());
            for (String f : BacktestReport.FILES) {
                if (f.endsWith(".png")) {
                    BufferedImage img = read(dir.resolve(r.id()).resolve(f));
                    assertFalse(BacktestCharts.touchesEdge(img), r.id() + "/" + f + " is clipped at an edge");
                }
            }
        }
    }

    @Test
    void shouldLayTheLegendOutOneEntryALineWhenARowWouldBeClipped() {
        String longer = " with a much longer description of its set-up";
        Comparison c = Comparison.of("t", INFO, runs(longer));
        for (BufferedImage img : List.of(ComparisonCharts.rollingAccuracy(c), ComparisonCharts.rollingAuc(c),
            ComparisonCharts.equity(c), ComparisonCharts.trainingLoss(c))) {
            assertFalse(BacktestCharts.touchesEdge(img), "a long legend is clipped");
        }
    }

    @Test
    void shouldDetectAClippedChart() {
        BufferedImage img = new BufferedImage(100, 50, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 100, 50);
        assertFalse(BacktestCharts.touchesEdge(img));
        g.setColor(Color.BLACK);
        g.drawRect(-8, 30, 60, 15);   // a legend box that starts left of the image
        g.dispose();
        assertTrue(BacktestCharts.touchesEdge(img));
    }

    @Test
    void shouldNotRunTheTrainingLossTickLabelsTogether() {
        Comparison c = Comparison.of("t", INFO, runs(""));
        BufferedImage img = ComparisonCharts.trainingLoss(c);
        // the widest label the axis can have is about the largest x, "34,880" or a round "35,000"
        int labelWidth = textWidth("35,000");
        int run = longestXTickLabelRun(img);
        assertTrue(run > labelWidth / 3, "found no x tick labels (longest run " + run + " px)");
        assertTrue(run <= labelWidth * 5 / 4, "x tick labels run together: " + run + " px of ink in a row, one label"
            + " is about " + labelWidth + " px");
    }

    @Test
    void shouldShowAModelThatAlwaysSaysUpOverTheUpShare() {
        Comparison c = Comparison.of("t", INFO, runs(""));
        assertEquals(c.summaries().get(0).prediction().upRate(), c.summaries().get(0).prediction().accuracy(), 1e-12,
            "the constant model's accuracy is the up share: the two lines coincide");
        BufferedImage img = ComparisonCharts.rollingAccuracy(c);
        long blue = pixelsNear(img, ComparisonCharts.color(0));
        // the legend's sample line alone is well under 100 pixels; the line across the plot is thousands
        assertTrue(blue > 1_000, "the frozen model's line is hidden: " + blue + " pixels of its colour");
    }

    @Test
    void shouldShowTheNetEquityWhereItEqualsTheGross(@TempDir Path dir) throws IOException {
        BacktestRun run = BacktestReportTest.syntheticRun(6_000, 3);
        BacktestReport.write(dir, run, BacktestReportTest.options().withCostBps(0));   // net = gross
        BufferedImage img = read(dir.resolve(BacktestReport.EQUITY_PNG));
        assertTrue(pixelsNear(img, new Color(0x1f, 0x77, 0xb4)) > 1_000, "net hidden under gross");
        assertTrue(pixelsNear(img, BacktestCharts.HALO) > 1_000, "gross hidden under net");
    }

    // ------------------------------------------------------------------ pixel helpers

    static BufferedImage read(Path png) throws IOException {
        return ImageIO.read(png.toFile());
    }

    /** Width of a string in the charts' tick label font. */
    static int textWidth(String s) {
        BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            return g.getFontMetrics(new Font(Font.SANS_SERIF, Font.PLAIN, 11)).stringWidth(s);
        } finally {
            g.dispose();
        }
    }

    /** Pixels within 40 of a colour in each channel. */
    static long pixelsNear(BufferedImage img, Color c) {
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                if (Math.abs(((rgb >> 16) & 0xff) - c.getRed()) <= 40
                    && Math.abs(((rgb >> 8) & 0xff) - c.getGreen()) <= 40
                    && Math.abs((rgb & 0xff) - c.getBlue()) <= 40) {
                    n++;
                }
            }
        }
        return n;
    }

    private static boolean dark(int rgb) {
        return ((rgb >> 16) & 0xff) < 0x90 && ((rgb >> 8) & 0xff) < 0x90 && (rgb & 0xff) < 0x90;
    }

    /**
     * The longest run of columns with ink in the x tick label band (below the plot's bottom border), gaps under
     * 4 px bridged: one label's width when they stand apart, several labels' when they run together.
     */
    static int longestXTickLabelRun(BufferedImage img) {
        int w = img.getWidth();
        int border = -1;
        for (int y = img.getHeight() - 1; y > img.getHeight() / 2 && border < 0; y--) {
            int ink = 0;
            for (int x = 0; x < w; x++) {
                ink += dark(img.getRGB(x, y)) ? 1 : 0;
            }
            if (ink > 0.6 * w) {
                border = y;
            }
        }
        assertTrue(border > 0, "no plot border found");
        int best = 0;
        int start = -1;
        int lastInk = -100;
        for (int x = 0; x < w; x++) {
            boolean ink = false;
            for (int y = border + 6; y <= border + 20 && y < img.getHeight(); y++) {
                ink |= dark(img.getRGB(x, y));
            }
            if (ink) {
                if (x - lastInk >= 4) {
                    start = x;
                }
                lastInk = x;
                best = Math.max(best, x - start + 1);
            }
        }
        return best;
    }
}
