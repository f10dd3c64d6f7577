package io.tickgrad.ta4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.market.ChartWindow;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.ta4j.core.BarSeries;
import org.ta4j.core.num.Num;

class TickgradIndicatorTest {
    private static final Path CHART = Path.of("models/chart-patterns/chart-patterns.safetensors");

    @Test
    void appleBarsAreAllThere() {
        BarSeries bars = BundledBars.appleDaily();
        assertEquals(252, bars.getBarCount());
        assertEquals(549.03, bars.getBar(0).getClosePrice().doubleValue(), 1e-9);
    }

    @Test
    void eachBarScoresWhatTheNetworkGivesForItsOwnWindow() {
        BarSeries bars = BundledBars.appleDaily();
        int window = 30;
        try (NativeCpuBackend backend = NativeCpuBackend.create();
             Network net = Checkpoint.load(CHART, backend, 1)) {
            TickgradIndicator trendUp = new TickgradIndicator(bars, net, new ChartFeatures(window), 1);
            TickgradIndicator trendDown = new TickgradIndicator(bars, net, new ChartFeatures(window), 4);
            assertEquals(window - 1, trendUp.getUnstableBars());
            for (int i = 0; i < window - 1; i++) {
                assertTrue(trendUp.getValue(i).isNaN(), "bar " + i + " has too little history");
            }
            float[] y = new float[6];
            int differing = 0;
            for (int i = bars.getEndIndex(); i >= window - 1; i -= 7) {       // out of order: the cache is per bar
                double[] closes = new double[window];
                for (int k = 0; k < window; k++) {
                    closes[k] = bars.getBar(i - window + 1 + k).getClosePrice().doubleValue();
                }
                net.predict(ChartWindow.upstreamWindow(closes), y);
                Num up = trendUp.getValue(i);
                Num down = trendDown.getValue(i);
                assertEquals(y[1], up.doubleValue(), 1e-6, "TU at bar " + i);
                assertEquals(y[4], down.doubleValue(), 1e-6, "TD at bar " + i);
                differing += Math.abs(y[1] - y[4]) > 1e-3 ? 1 : 0;
            }
            assertTrue(differing > 0, "the two outputs never differ: the indicator would not be telling anything");
        }
    }

    @Test
    void aNetworkOfAnotherInputWidthIsRefused() {
        try (NativeCpuBackend backend = NativeCpuBackend.create();
             Network net = Network.builder(32).dense(1).build(backend, 1, 7)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TickgradIndicator(BundledBars.appleDaily(), net, new ChartFeatures(10), 0));
            assertTrue(e.getMessage().contains("takes 32 inputs but the bar features give 400"), e.getMessage());
        }
    }

    @Test
    void theExampleReportsItsBacktest() {
        PrintStream console = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ChartPatternBacktest.main(new String[0]);
        } finally {
            System.setOut(console);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        console.print(out);
        Matcher positions = Pattern.compile("positions: +(\\d+)").matcher(out);
        assertTrue(positions.find(), out);
        assertTrue(Integer.parseInt(positions.group(1)) >= 1, "the strategy never traded: " + out);
        Matcher gross = Pattern.compile("gross return: +([0-9.]+)").matcher(out);
        assertTrue(gross.find(), out);
        double r = Double.parseDouble(gross.group(1));
        assertTrue(r > 0.5 && r < 2 && r != 1.0, "gross return " + r + " (a ratio; 1 is flat)");
        assertTrue(out.contains("buy and hold:"), out);
    }
}
