package io.tickgrad.backtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickgrad.train.ClassificationReport;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class BacktestMetricsTest {
    private static final long HOUR = 3_600_000_000_000L;
    private static final double EPS = 1e-9;

    /**
     * Six rows, one hour apart, long >= 0.55, short <= 0.45, 1 bps per unit of turnover:
     * <pre>
     * row score return  pos change pnl  cost net
     *  0  0.60  +10bps   +1   1    +10   1    9
     *  1  0.70  -20bps   +1   0    -20   0  -20
     *  2  0.30   -5bps   -1   2     +5   2    3
     *  3  0.50  +30bps    0   1      0   1   -1
     *  4  0.20  +10bps   -1   1    -10   1  -11, and closing it: 1 more -> -12
     *  5  0.90    NaN    skipped
     * </pre>
     */
    static BacktestRun handRun() {
        BacktestRun run = new BacktestRun();
        run.add(100, 0, 100.0, 0.60f, 1, 0.0010, 1_000);
        run.add(101, HOUR, 100.1, 0.70f, 0, -0.0020, 2_000);
        run.add(102, 2 * HOUR, 99.9, 0.30f, 0, -0.0005, 3_000);
        run.add(103, 3 * HOUR, 99.85, 0.50f, 1, 0.0030, 4_000);
        run.add(104, 4 * HOUR, 100.15, 0.20f, 1, 0.0010, -1);
        run.add(105, 5 * HOUR, 100.25, 0.90f, BacktestRun.NO_LABEL, Double.NaN, 5_000);
        return run;
    }

    @Test
    void shouldComputeStrategyMetricsByHand() {
        BacktestSummary.Strategy s = BacktestSummary.of(handRun(), BacktestOptions.defaults()).strategy();
        assertEquals(6, s.decisionRows());
        assertEquals(1, s.skippedRows());
        assertEquals(5, s.periods());
        assertEquals(2, s.longPeriods());
        assertEquals(2, s.shortPeriods());
        assertEquals(5, s.trades());   // rows 0, 2, 3, 4 and the close
        assertEquals(-15, s.grossPnlBps(), EPS);
        assertEquals(6, s.turnover(), EPS);
        assertEquals(6, s.costPaidBps(), EPS);
        assertEquals(-21, s.netPnlBps(), EPS);
        assertEquals(0.5, s.hitRate(), EPS);   // rows 0 and 2 hit, 1 and 4 miss
        assertEquals(0.8, s.exposure(), EPS);
        // cumulative net 9, -11, -8, -9, -21: peak 9, lowest after it -21
        assertEquals(30, s.maxDrawdownBps(), EPS);

        double[] net = {9, -20, 3, -1, -12};
        double mean = -21 / 5.0;
        double ss = 0;
        for (double x : net) {
            ss += (x - mean) * (x - mean);
        }
        double std = Math.sqrt(ss / 4);
        assertEquals(mean, s.meanNetBps(), EPS);
        assertEquals(std, s.stdNetBps(), EPS);
        assertEquals(mean / std, s.sharpePerPeriod(), EPS);
        assertEquals(4 * HOUR, s.spanNs());
        double perYear = 365.25 * 24;   // one period an hour
        assertEquals(perYear, s.periodsPerYear(), 1e-6);
        assertEquals(mean / std * Math.sqrt(perYear), s.sharpeAnnualised(), 1e-6);
        assertEquals(6 / (4.0 / 24), s.turnoverPerDay(), 1e-9);
    }

    @Test
    void shouldScaleCostsWithTheCostOption() {
        BacktestSummary.Strategy s = BacktestSummary.of(handRun(), BacktestOptions.defaults().withCostBps(2.5))
            .strategy();
        assertEquals(-15, s.grossPnlBps(), EPS);
        assertEquals(15, s.costPaidBps(), EPS);
        assertEquals(-30, s.netPnlBps(), EPS);
        BacktestSummary.Strategy free = BacktestSummary.of(handRun(), BacktestOptions.defaults().withCostBps(0))
            .strategy();
        assertEquals(free.grossPnlBps(), free.netPnlBps(), EPS);
    }

    @Test
    void shouldNeverGoShortWhenLongOnly() {
        BacktestSummary.Strategy s = BacktestSummary.of(handRun(), BacktestOptions.defaults().withLongOnly(true))
            .strategy();
        // positions +1, +1, 0, 0, 0: pnl 10 - 20; turnover 1 (open) + 1 (row 2 goes flat)
        assertEquals(0, s.shortPeriods());
        assertEquals(2, s.longPeriods());
        assertEquals(-10, s.grossPnlBps(), EPS);
        assertEquals(2, s.turnover(), EPS);
        assertEquals(2, s.trades());
        assertEquals(-12, s.netPnlBps(), EPS);
        assertEquals(0.5, s.hitRate(), EPS);
        // cumulative 9, -11, -12 (row 2 closes the long), -12, -12
        assertEquals(21, s.maxDrawdownBps(), EPS);
    }

    @Test
    void shouldDecideOnEveryHoldRowsthRowOnly() {
        BacktestSummary.Strategy s = BacktestSummary.of(handRun(), BacktestOptions.defaults().withHoldRows(2))
            .strategy();
        // rows 0, 2, 4: +1 (+10), -1 (+5), -1 (-10); turnover 1 + 2 + 0 + close 1
        assertEquals(3, s.decisionRows());
        assertEquals(0, s.skippedRows());
        assertEquals(3, s.periods());
        assertEquals(5, s.grossPnlBps(), EPS);
        assertEquals(4, s.turnover(), EPS);
        assertEquals(1, s.netPnlBps(), EPS);
        assertEquals(3, s.trades());
        assertEquals(2.0 / 3, s.hitRate(), EPS);
    }

    @Test
    void shouldTakeTheThresholdsInclusively() {
        BacktestRun run = new BacktestRun();
        run.add(1, 0, 1, 0.75f, 1, 0.01, 1);
        run.add(2, HOUR, 1, 0.25f, 0, -0.01, 1);
        BacktestOptions o = BacktestOptions.defaults().withThresholds(0.75, 0.25);
        BacktestSummary.Strategy s = BacktestSummary.of(run, o).strategy();
        assertEquals(1, s.longPeriods());
        assertEquals(1, s.shortPeriods());
        assertEquals(200, s.grossPnlBps(), 1e-6);
        assertEquals(1.0, s.hitRate(), EPS);
    }

    @Test
    void shouldScoreOnlyTheLabelledRows() {
        BacktestSummary sum = BacktestSummary.of(handRun(), BacktestOptions.defaults());
        assertEquals(6, sum.rows().total());
        assertEquals(5, sum.rows().labelled());
        assertEquals(1, sum.rows().unlabelled());
        assertEquals(0, sum.rows().invalidScore());
        assertEquals(5 * HOUR, sum.rows().spanNs());

        ClassificationReport expected = ClassificationReport.of(new float[] {0.6f, 0.7f, 0.3f, 0.5f, 0.2f},
            new float[] {1, 0, 0, 1, 1}, 5, 1, 0.5);
        BacktestSummary.Prediction p = sum.prediction();
        assertEquals(5, p.labelled());
        assertEquals(0.6, p.upRate(), EPS);
        assertEquals(expected.accuracy(), p.accuracy(), EPS);
        assertEquals(expected.f1(), p.f1(), EPS);
        assertEquals(expected.rocAuc(), p.rocAuc(), EPS);
        assertEquals(expected.logLoss(), p.logLoss(), EPS);
        assertEquals(expected.brierScore(), p.brier(), EPS);
        // 3 up, 2 down: sqrt(6 / 72); the run shows no label horizon, so every label counts
        assertFalse(sum.stdErrors().horizonSeen());
        assertEquals(1, sum.stdErrors().horizonRows());
        assertEquals(Math.sqrt(6.0 / 72), p.aucStdErr(), EPS);
        assertEquals(p.aucStdErr(), sum.stdErrors().rocAuc(), 0);
        assertEquals(2 * Math.sqrt(6.0 / 72), p.aucChanceBand(), EPS);
        assertTrue(p.aucNearChance());
        // accuracy 2 of 5: sqrt(0.4 * 0.6 / 5)
        assertEquals(Math.sqrt(0.4 * 0.6 / 5), sum.stdErrors().accuracy(), EPS);
    }

    @Test
    void shouldBinTheCalibrationByScore() {
        BacktestSummary sum = BacktestSummary.of(handRun(), BacktestOptions.defaults());
        assertEquals(10, sum.calibration().size());
        long[] counts = sum.calibration().stream().mapToLong(BacktestSummary.CalibrationBin::count).toArray();
        // labelled scores 0.6f, 0.7f, 0.3f, 0.5f, 0.2f; as floats 0.7f is just below 0.7, so it shares bin 6 with
        // 0.6f (just above 0.6)
        assertArrayEquals(new long[] {0, 0, 1, 1, 0, 1, 2, 0, 0, 0}, counts);
        BacktestSummary.CalibrationBin b6 = sum.calibration().get(6);
        assertEquals(0.6, b6.lower(), EPS);
        assertEquals(((double) 0.6f + 0.7f) / 2, b6.meanScore(), 1e-7);
        assertEquals(0.5, b6.upRate(), EPS);
        assertTrue(Double.isNaN(sum.calibration().get(0).meanScore()));
        // a score of exactly 1 falls in the last bin
        BacktestRun one = new BacktestRun();
        one.add(1, 0, 1, 1.0f, 1, 0.01, 1);
        assertEquals(1, BacktestSummary.of(one, BacktestOptions.defaults()).calibration().get(9).count());
    }

    @Test
    void shouldGiveLatencyPercentiles() {
        BacktestRun run = new BacktestRun();
        for (int i = 1; i <= 1000; i++) {
            run.add(i, i * 1_000_000L, 1, 0.5f, BacktestRun.NO_LABEL, Double.NaN, i * 1_000L);
        }
        run.add(1001, 1001 * 1_000_000L, 1, 0.5f, BacktestRun.NO_LABEL, Double.NaN, -1);
        BacktestSummary.Latency l = BacktestSummary.of(run, BacktestOptions.defaults()).latency();
        assertEquals(1000, l.measured());
        assertEquals(1, l.unmeasured());
        assertEquals(500_000, l.p50Ns(), 500_000 * 1e-3);
        assertEquals(990_000, l.p99Ns(), 990_000 * 1e-3);
        assertEquals(999_000, l.p999Ns(), 999_000 * 1e-3);
        assertEquals(1_000_000, l.maxNs());
        assertEquals(500_500, l.meanNs(), EPS);
    }

    @Test
    void shouldHandleARunWithNoLabels() throws IOException {
        BacktestRun run = new BacktestRun();
        run.add(1, 0, 1, 0.9f, BacktestRun.NO_LABEL, 0.001, 10);
        run.add(2, HOUR, 1, 0.1f, BacktestRun.NO_LABEL, 0.002, 20);
        BacktestSummary s = BacktestSummary.of(run, BacktestOptions.defaults());
        assertEquals(0, s.prediction().labelled());
        assertEquals(2, s.rows().unlabelled());
        assertNull(s.prediction().report());
        assertTrue(Double.isNaN(s.prediction().accuracy()));
        assertTrue(Double.isNaN(s.prediction().rocAuc()));
        // the strategy still trades on the known returns: +10, -20, turnover 1 + 2 + 1
        assertEquals(-10, s.strategy().grossPnlBps(), 1e-6);
        assertEquals(4, s.strategy().turnover(), EPS);
        JsonNode json = new ObjectMapper().readTree(s.toJson());
        assertNull(json.get("prediction").get("accuracy"), "no accuracy without labels");
        assertTrue(json.get("std_err").get("accuracy").isNull(), "nor its standard error");
        assertTrue(s.toString().contains("accuracy"));
    }

    @Test
    void shouldHandleAnAllFlatRun() {
        BacktestRun run = new BacktestRun();
        for (int i = 0; i < 10; i++) {
            run.add(i, i * HOUR, 1, 0.5f, i % 2, i % 2 == 0 ? -0.001 : 0.001, 100);
        }
        BacktestSummary.Strategy s = BacktestSummary.of(run, BacktestOptions.defaults()).strategy();
        assertEquals(10, s.periods());
        assertEquals(0, s.longPeriods() + s.shortPeriods());
        assertEquals(0, s.trades());
        assertEquals(0, s.grossPnlBps(), 0);
        assertEquals(0, s.costPaidBps(), 0);
        assertEquals(0, s.netPnlBps(), 0);
        assertEquals(0, s.maxDrawdownBps(), 0);
        assertEquals(0, s.exposure(), 0);
        assertTrue(Double.isNaN(s.hitRate()));
        assertTrue(Double.isNaN(s.sharpeAnnualised()));   // zero standard deviation
        assertEquals(0, s.turnoverPerDay(), 0);
    }

    @Test
    void shouldHandleOneRow() {
        BacktestRun run = new BacktestRun();
        run.add(7, 123, 100, 0.8f, 1, 0.002, 5_000);
        BacktestSummary s = BacktestSummary.of(run, BacktestOptions.defaults().withCostBps(1));
        assertEquals(1, s.strategy().periods());
        assertEquals(20, s.strategy().grossPnlBps(), 1e-6);
        assertEquals(2, s.strategy().costPaidBps(), EPS);   // open and close
        assertEquals(18, s.strategy().netPnlBps(), 1e-6);
        assertEquals(1, s.strategy().hitRate(), EPS);
        assertEquals(0, s.strategy().maxDrawdownBps(), 0);
        assertTrue(Double.isNaN(s.strategy().stdNetBps()));
        assertTrue(Double.isNaN(s.strategy().sharpeAnnualised()));
        assertTrue(Double.isNaN(s.strategy().turnoverPerDay()));   // zero span
        assertEquals(1, s.prediction().labelled());
        assertEquals(1.0, s.prediction().accuracy(), EPS);
        assertTrue(Double.isNaN(s.prediction().rocAuc()));   // one class only
        assertEquals(5_000, s.latency().maxNs());
    }

    @Test
    void shouldHandleAnEmptyRun() {
        BacktestSummary s = BacktestSummary.of(new BacktestRun(), BacktestOptions.defaults());
        assertEquals(0, s.rows().total());
        assertEquals(0, s.strategy().periods());
        assertEquals(0, s.strategy().netPnlBps(), 0);
        assertTrue(Double.isNaN(s.strategy().exposure()));
        assertEquals(0, s.latency().measured());
        assertFalse(s.toJson().isEmpty());
    }

    @Test
    void shouldCountNonFiniteScoresAsFlatAndUnscored() {
        BacktestRun run = new BacktestRun();
        run.add(1, 0, 1, Float.NaN, 1, 0.001, 1);
        run.add(2, HOUR, 1, 0.9f, 1, 0.001, 1);
        BacktestSummary s = BacktestSummary.of(run, BacktestOptions.defaults());
        assertEquals(1, s.rows().invalidScore());
        assertEquals(1, s.prediction().labelled());
        assertEquals(1, s.strategy().longPeriods());
        assertEquals(2, s.strategy().periods());
    }

    @Test
    void shouldRefuseBadOptions() {
        assertThrows(IllegalArgumentException.class, () -> BacktestOptions.defaults().withThresholds(0.4, 0.6));
        assertThrows(IllegalArgumentException.class, () -> BacktestOptions.defaults().withThresholds(0.5, 0.5));
        assertThrows(IllegalArgumentException.class, () -> BacktestOptions.defaults().withCostBps(-1));
        assertThrows(IllegalArgumentException.class, () -> BacktestOptions.defaults().withHoldRows(0));
        assertThrows(IllegalArgumentException.class, () -> BacktestOptions.defaults().withRollingWindow(0));
        BacktestOptions o = BacktestOptions.defaults().withTitle(" ").withInfoLine("model: m").withInfoLine("q");
        assertEquals("tickgrad backtest", o.title());
        assertEquals(java.util.List.of("model: m", "q"), o.info());
    }

    @Test
    void shouldMakeLatencyBucketsOnA125Scale() {
        assertArrayEquals(new long[] {1000, 2000, 5000, 10_000, 20_000, 50_000},
            BacktestCharts.latencyEdges(1500, 48_000));
        assertArrayEquals(new long[] {1, 2}, BacktestCharts.latencyEdges(0, 1));
        assertArrayEquals(new long[] {500, 1000}, BacktestCharts.latencyEdges(500, 500));
        assertEquals("1.5µs", BacktestCharts.shortDuration(1500));
        assertEquals("20ms", BacktestCharts.shortDuration(20_000_000));
    }

    @Test
    void shouldThinLongLinesKeepingExtremes() {
        int n = 100_000;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = Math.sin(i / 1000.0);
        }
        y[54_321] = 5;
        y[n - 1] = -3;
        double[][] t = BacktestCharts.thin(x, y);
        assertTrue(t[0].length <= BacktestCharts.MAX_POINTS + 1);
        assertEquals(5, java.util.Arrays.stream(t[1]).max().orElseThrow(), 0);
        assertEquals(-3, t[1][t[1].length - 1], 0);
        for (int i = 1; i < t[0].length; i++) {
            assertTrue(t[0][i] > t[0][i - 1]);
        }
    }
}
