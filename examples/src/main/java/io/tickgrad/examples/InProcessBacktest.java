package io.tickgrad.examples;

import io.tickgrad.backtest.BacktestOptions;
import io.tickgrad.backtest.BacktestSummary;
import io.tickgrad.io.ChronicleTickWriter;
import io.tickgrad.market.FeatureSpec;
import io.tickgrad.market.Tick;
import io.tickgrad.market.TickDescriptor;
import io.tickgrad.market.Trades;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.online.OnlineConfig;
import io.tickgrad.serve.Replay;
import io.tickgrad.serve.ReplaySession;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A backtest in process, the one `tickgrad replay` runs: the shipped up/down model over the bundled trades after
 * its training span, frozen and then fine-tuned online, each replayed on this thread, deterministically, into rows
 * from which the strategy's summary is computed (what `tickgrad replay` writes to summary.json).
 * Run from the repository root (it reads models/ and writes target/examples/).
 */
public final class InProcessBacktest {
    public static void main(String[] args) throws Exception {
        Path model = Path.of("models/updown/updown.safetensors");
        Files.createDirectories(Path.of("target/examples"));
        Path ticks = Files.createTempDirectory(Path.of("target/examples"), "backtest-").resolve("ticks");
        Trades trades = Trades.bundledBitstamp();         // 100,000 BTC/USD trades (ta4j-examples jar)
        Tick tick = new Tick().wrap(new UnsafeBuffer(new byte[TickDescriptor.LENGTH]), 0);
        try (ChronicleTickWriter writer = ChronicleTickWriter.open(ticks)) {
            for (int i = 0; i < trades.size(); i++) {
                long ns = trades.time(i) * 1_000_000_000L;
                writer.onTick(tick.trade(i, 1, ns, ns, trades.price(i), trades.size(i)));
            }
        }
        // predict only after the model's training span; the ticks before it warm the features
        long from = FeatureSpec.fromMetadata(Checkpoint.readMetadata(model), model.toString()).trainToNs();

        for (OnlineConfig online : new OnlineConfig[] {null, OnlineConfig.defaults()}) {
            try (ReplaySession replay = ReplaySession.builder()
                     .model(model)                                 // with its feature pipeline and label
                     .ticks(ticks)                                 // read-only, from its start
                     .span(from, Long.MAX_VALUE)
                     .online(online)                               // null: frozen weights
                     .open()) {
                Replay.ReplayResult r = replay.run();              // on this thread; the trainer too
                BacktestSummary s = BacktestSummary.of(r.backtest(), BacktestOptions.defaults()
                    .withCostBps(1).withHoldRows(replay.defaultHoldRows()));   // a decision per label horizon
                System.out.printf("%s: %d predictions, ROC AUC %.4f, net %.1f bps over %d trades, "
                        + "%d weight revisions%n", online == null ? "frozen" : "online", r.predictions(),
                    s.prediction().rocAuc(), s.strategy().netPnlBps(), s.strategy().trades(), r.revisions());
            }
        }
    }
}
