package io.tickgrad.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Regression metrics against values worked out by hand. */
class RegressionReportTest {
    @Test
    void shouldComputeTheMetricsAndTheirStandardErrorsByHand() {
        double[] f = {1, 2, 3, 4};
        double[] y = {1, 3, 2, 6};
        double[] naive = {2, 2, 2, 2};
        RegressionReport r = RegressionReport.of(f, y, naive, "the constant 2", 4, 4);
        // errors 0, -1, 1, -2
        assertEquals(Math.sqrt(1.5), r.rmse(), 1e-12);
        assertEquals(1.0, r.mae(), 1e-12);
        assertEquals(1 - 1.5 / 3.5, r.r2(), 1e-12, "SST / n = (4 + 0 + 1 + 9) / 4");
        assertEquals(1 - 1.5 / 4.5, r.r2Naive(), 1e-12, "naive errors 1, 1, 0, 4 squared: 18 / 4");
        assertEquals(0.8, r.spearman(), 1e-12, "ranks 1 2 3 4 vs 1 3 2 4: 1 - 6 x 2 / (4 x 15)");
        assertEquals(Math.sqrt(2.0 / 3) / 2, r.maeStdErr(), 1e-12, "sd(|e|) / sqrt(4)");
        assertEquals(Math.sqrt(3.0) / 2 / (2 * Math.sqrt(1.5)), r.rmseStdErr(), 1e-12, "sd(e^2) / sqrt(4) / 2 RMSE");
        assertEquals(0.36 * Math.sqrt(1.32), r.spearmanStdErr(), 1e-12, "(1 - rho^2) sqrt((1 + rho^2 / 2) / 1)");
        assertEquals(3.0, r.meanLabel(), 0);
        assertEquals(2.5, r.meanForecast(), 0);
        // half as many independent samples: errors grow by sqrt(2)
        RegressionReport half = RegressionReport.of(f, y, naive, "the constant 2", 4, 2);
        assertEquals(r.maeStdErr() * Math.sqrt(2), half.maeStdErr(), 1e-12);
        assertEquals(r.r2NaiveStdErr() * Math.sqrt(2), half.r2NaiveStdErr(), 1e-12);
        assertTrue(Double.isNaN(half.spearmanStdErr()), "n_eff = 2 <= 3");
    }

    @Test
    void shouldGiveTiesTheirMeanRank() {
        double rho = RegressionReport.spearman(new double[] {1, 1, 2, 3}, new double[] {1, 2, 3, 4}, 4);
        assertEquals(4.5 / Math.sqrt(4.5 * 5), rho, 1e-12);
        assertTrue(Double.isNaN(RegressionReport.spearman(new double[] {2, 2}, new double[] {1, 2}, 2)));
    }

    @Test
    void shouldMatchTheRatioStandardErrorBySimulation() {
        // the delta-method error of R^2_naive against its spread over many independent samples
        SplittableRandom random = new SplittableRandom(7);
        int reps = 2_000;
        int n = 400;
        double[] values = new double[reps];
        double meanErr = 0;
        for (int k = 0; k < reps; k++) {
            double[] f = new double[n];
            double[] y = new double[n];
            double[] g = new double[n];
            for (int i = 0; i < n; i++) {
                double signal = random.nextGaussian();
                y[i] = signal + random.nextGaussian();
                f[i] = 0.7 * signal;
                g[i] = 0;
            }
            RegressionReport r = RegressionReport.of(f, y, g, "zero", n, n);
            values[k] = r.r2Naive();
            meanErr += r.r2NaiveStdErr() / reps;
        }
        double m = 0;
        for (double v : values) {
            m += v / reps;
        }
        double ss = 0;
        for (double v : values) {
            ss += (v - m) * (v - m);
        }
        double spread = Math.sqrt(ss / (reps - 1));
        // true R^2_naive = 1 - (0.09 + 1) / 2 = 0.455; the error's own sampling noise is a few percent at 2,000 reps
        assertEquals(0.455, m, 0.01);
        assertEquals(spread, meanErr, 0.1 * spread, "delta method vs simulated spread");
    }
}
