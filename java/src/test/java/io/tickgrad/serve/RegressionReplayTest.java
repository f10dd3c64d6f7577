package io.tickgrad.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickgrad.backtest.BacktestOptions;
import io.tickgrad.backtest.BacktestReport;
import io.tickgrad.backtest.BacktestRun;
import io.tickgrad.backtest.BacktestSummary;
import io.tickgrad.market.FeatureFitting;
import io.tickgrad.market.FeatureSpec;
import io.tickgrad.market.LabelSpec;
import io.tickgrad.market.Tick;
import io.tickgrad.market.TickDescriptor;
import io.tickgrad.market.TickHandler;
import io.tickgrad.market.TickSource;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.train.Adam;
import io.tickgrad.train.Dataset;
import io.tickgrad.train.FitOptions;
import io.tickgrad.train.Fitter;
import io.tickgrad.train.Loss;
import io.tickgrad.train.MarketSamples;
import io.tickgrad.train.RegressionReport;
import io.tickgrad.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end with a real-valued label: a small network fine-tuned in the test on the first part of a synthetic
 * price series, saved with its feature spec, loaded back and replayed over the rest; the report's R^2 against the
 * naive forecast (the mean of the labels matured so far) is clearly above 0 where volatility is predictable (GARCH)
 * and about 0 where it is not (i.i.d. returns).
 */
class RegressionReplayTest {
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final long STEP = 1_000_000_000L;
    private static final int TRAIN = 8_000;
    private static final int TEST = 6_000;
    private static final int HORIZON = 10;

    @TempDir
    Path dir;

    /** Bare prices from an array, one flyweight, nothing allocated per tick. */
    private static final class PriceSource implements TickSource {
        private final double[] prices;
        private final Tick tick = new Tick().wrap(new UnsafeBuffer(new byte[TickDescriptor.LENGTH]), 0);
        private int next;

        PriceSource(double[] prices) {
            this.prices = prices;
        }

        @Override
        public int poll(TickHandler handler, int limit) {
            int n = 0;
            while (n < limit && next < prices.length) {
                long t = T0 + next * STEP;
                handler.onTick(tick.priceOnly(next, 1, t, t, prices[next]));
                next++;
                n++;
            }
            return n;
        }
    }

    /** GARCH(1,1) log returns (alpha 0.1, beta 0.85, 10 bps unconditional) or i.i.d. ones of the same scale. */
    private static double[] prices(boolean garch, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double sigma2 = 1e-6;
        double alpha = 0.1;
        double beta = 0.85;
        double omega = sigma2 * (1 - alpha - beta);
        double var = sigma2;
        double[] p = new double[TRAIN + TEST];
        double logP = Math.log(100);
        for (int i = 0; i < p.length; i++) {
            double r = Math.sqrt(garch ? var : sigma2) * random.nextGaussian();
            var = omega + alpha * r * r + beta * var;
            logP += r;
            p[i] = Math.exp(logP);
        }
        return p;
    }

    private static final FeatureSpec FEATURES = new FeatureSpec(0, 0, new int[] {1, 5}, 5, 0, false, false, null,
        null, 0, 0);

    /** Fine-tunes a 3-8-1 network with {@code loss} on the training span, saves it, replays the rest. */
    private BacktestSummary fitAndReplay(boolean garch, LabelSpec label, Loss loss, String name) throws Exception {
        double[] p = prices(garch, 11);
        long split = T0 + TRAIN * STEP;
        FeatureSpec spec = FeatureFitting.fit(FEATURES, new PriceSource(p), T0, split);
        spec = new FeatureSpec(0, 0, new int[] {1, 5}, 5, 0, false, false, spec.normalisation(), label,
            spec.trainFromNs(), spec.trainToNs());
        Dataset train = MarketSamples.of(spec, label, new PriceSource(p), T0, split, 1);
        assertTrue(train.rows() > TRAIN - 100, "labelled samples " + train.rows());
        Path model = dir.resolve(name + ".safetensors");
        try (NativeCpuBackend backend = NativeCpuBackend.create(1)) {
            try (Network net = Network.builder(spec.width()).dense(8).relu().dense(1).build(backend, 64, 5);
                 Trainer trainer = Trainer.builder(net).loss(loss).optimizer(Adam.adam(0.03f)).seed(5).build()) {
                Fitter.fit(trainer, train, new FitOptions(25, 64, true, 5, 0, 0, false));
                Checkpoint.save(net, model, Map.of(FeatureSpec.METADATA_KEY, spec.toJson()));
            }
            try (ServingModel serving = ServingModel.load(model, backend)) {
                assertEquals(label, serving.features().label(), "the label comes back from the checkpoint");
                BacktestRun run = new BacktestRun();
                Replay.run(new PriceSource(p), serving, null, split, Long.MAX_VALUE, run);
                assertTrue(run.realValued());
                // the score column holds the network's output, as the prediction record does
                int i = run.size() / 2;
                assertEquals(label.forecast(run.score(i)), run.forecast(i), 1e-6 * Math.abs(run.forecast(i)));
                Path report = dir.resolve(name);
                BacktestSummary summary = BacktestReport.write(report, run,
                    BacktestOptions.defaults().withHoldRows(HORIZON).withTitle(name));
                JsonNode json = new ObjectMapper().readTree(Files.readString(report.resolve(BacktestReport.SUMMARY_JSON)));
                JsonNode g = json.path("regression");
                assertEquals(summary.regression().r2Naive(), g.path("r2_naive").asDouble(), 1e-12);
                assertTrue(g.has("rmse_std_err") && g.has("spearman") && g.has("naive_forecast"), g.toString());
                assertTrue(g.path("std_err_label").asText().contains("per " + HORIZON + "-prediction horizon"),
                    g.toString());
                assertEquals(0, json.path("strategy").path("long_periods").asLong() + json.path("strategy")
                    .path("short_periods").asLong(), "a volatility forecast takes no position");
                String html = Files.readString(report.resolve(BacktestReport.REPORT_HTML));
                assertTrue(html.contains("Regression forecast") && html.contains("R² against the naive forecast"));
                return summary;
            }
        }
    }

    @Test
    void shouldBeatTheNaiveForecastWhereVolatilityIsPredictableAndNotWhereItIsNot() throws Exception {
        LabelSpec label = LabelSpec.ticks(HORIZON, 0).withTarget(LabelSpec.Target.REALISED_VOL);
        RegressionReport garch = fitAndReplay(true, label, Loss.meanSquaredError(), "garch").regression();
        RegressionReport iid = fitAndReplay(false, label, Loss.meanSquaredError(), "iid").regression();
        System.out.println("GARCH: " + garch + "\ni.i.d.: " + iid);
        assertTrue(garch.n() > TEST - 100);
        assertTrue(garch.r2Naive() > 0.05 && garch.r2Naive() > 3 * garch.r2NaiveStdErr(),
            "GARCH R^2 against naive " + garch.r2Naive() + " ± " + garch.r2NaiveStdErr());
        assertTrue(garch.spearman() > 3 * garch.spearmanStdErr());
        assertTrue(Math.abs(iid.r2Naive()) < Math.max(0.03, 3 * iid.r2NaiveStdErr()),
            "i.i.d. R^2 against naive " + iid.r2Naive() + " ± " + iid.r2NaiveStdErr());
    }

    @Test
    void shouldForecastVarianceWithAQlikeHeadThroughItsLog() throws Exception {
        LabelSpec label = LabelSpec.ticks(HORIZON, 0).withTarget(LabelSpec.Target.REALISED_VAR).withLogOutput(true);
        RegressionReport r = fitAndReplay(true, label, Loss.qlike(), "qlike").regression();
        System.out.println("GARCH, QLIKE on log-variance: " + r);
        // the forecast is exp(output): on the label's scale (bps^2, about 10 x 100), not the log's (about 7)
        assertTrue(r.meanForecast() > 0.5 * r.meanLabel() && r.meanForecast() < 2 * r.meanLabel(),
            r.meanForecast() + " vs " + r.meanLabel());
        assertTrue(r.spearman() > 3 * r.spearmanStdErr(), "rank correlation " + r.spearman());
    }
}
