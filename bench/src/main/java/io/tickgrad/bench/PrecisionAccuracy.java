package io.tickgrad.bench;

import io.tickgrad.model.Checkpoint;
import io.tickgrad.market.ChartWindow;
import io.tickgrad.market.Trades;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.Precision;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The accuracy cost of bf16 and int8 weights on a shipped network: every chart window of the bundled Bitstamp
 * trades (400 trades resampled to the network's input width and L2-normalised, as the chart-pattern network was
 * trained; a stride of 50 trades) predicted at fp32, bf16 and int8; prints the largest and mean absolute difference
 * of any output probability from fp32's, and how often the arg-max class changes (for more than one output).
 *
 * <p>Usage: {@code PrecisionAccuracy MODEL.safetensors [MODEL...]}. Not a JMH benchmark; the AUC change on the
 * demo's replay comes from {@code tickgrad replay --precision}.
 */
public final class PrecisionAccuracy {
    private PrecisionAccuracy() {
    }

    public static void main(String[] args) {
        Trades trades = Trades.bundledBitstamp();
        double[] prices = trades.prices();
        int window = ChartWindow.UPSTREAM_POINTS;
        try (NativeCpuBackend backend = NativeCpuBackend.create()) {
            for (String file : args) {
                try (Network fp32 = Checkpoint.load(Path.of(file), backend, 1);
                     Network bf16 = Checkpoint.load(Path.of(file), backend, 1);
                     Network int8 = Checkpoint.load(Path.of(file), backend, 1)) {
                    bf16.setPrecision(Precision.BF16);
                    int8.setPrecision(Precision.INT8);
                    int n = fp32.inputs();
                    int outs = fp32.outputs();
                    float[] x = new float[n];
                    float[] y0 = new float[outs];
                    float[] y1 = new float[outs];
                    float[] y2 = new float[outs];
                    double max1 = 0;
                    double max2 = 0;
                    double sum1 = 0;
                    double sum2 = 0;
                    long flips1 = 0;
                    long flips2 = 0;
                    long samples = 0;
                    for (int from = 0; from + window <= prices.length; from += 50) {
                        ChartWindow.resampleNormalized(prices, from, window, n, x, 0);
                        fp32.predict(x, y0);
                        bf16.predict(x, y1);
                        int8.predict(x, y2);
                        for (int o = 0; o < outs; o++) {
                            double d1 = Math.abs(y1[o] - y0[o]);
                            double d2 = Math.abs(y2[o] - y0[o]);
                            max1 = Math.max(max1, d1);
                            max2 = Math.max(max2, d2);
                            sum1 += d1;
                            sum2 += d2;
                        }
                        if (outs > 1) {
                            flips1 += argMax(y1) != argMax(y0) ? 1 : 0;
                            flips2 += argMax(y2) != argMax(y0) ? 1 : 0;
                        }
                        samples++;
                    }
                    System.out.printf(Locale.ROOT, "%s: %d windows x %d outputs%n", Path.of(file).getFileName(),
                        samples, outs);
                    System.out.printf(Locale.ROOT, "  bf16: max |dp| %.2e, mean |dp| %.2e%s%n", max1,
                        sum1 / (samples * outs), outs > 1 ? ", arg-max changed in " + flips1 : "");
                    System.out.printf(Locale.ROOT, "  int8: max |dp| %.2e, mean |dp| %.2e%s%n", max2,
                        sum2 / (samples * outs), outs > 1 ? ", arg-max changed in " + flips2 : "");
                }
            }
        }
    }

    private static int argMax(float[] y) {
        int best = 0;
        for (int i = 1; i < y.length; i++) {
            if (y[i] > y[best]) {
                best = i;
            }
        }
        return best;
    }
}
