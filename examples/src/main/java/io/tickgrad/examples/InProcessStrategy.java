package io.tickgrad.examples;

import io.tickgrad.io.ChronicleTickWriter;
import io.tickgrad.market.Prediction;
import io.tickgrad.market.PredictionSink;
import io.tickgrad.market.Tick;
import io.tickgrad.market.TickDescriptor;
import io.tickgrad.market.Trades;
import io.tickgrad.online.OnlineConfig;
import io.tickgrad.serve.ServingSession;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A strategy that links tickgrad in process: ticks arrive in a Chronicle queue, the shipped up/down model predicts
 * each one, the strategy decides on the inference thread, the model fine-tunes online and checkpoints; a second
 * session over the same directories resumes where the first stopped, predicting only the new ticks.
 * Run from the repository root (it reads models/ and writes target/examples/).
 */
public final class InProcessStrategy {
    /** The decision, on the inference thread for every prediction: no allocation, no lock, no exception. */
    static final class Decisions implements PredictionSink {
        long longs;
        long shorts;
        long flat;

        @Override
        public void onPrediction(Prediction p) {
            float up = p.output(0);              // the model's probability that the price is higher 100 trades on
            if (up > 0.55f) {
                longs++;
            } else if (up < 0.45f) {
                shorts++;
            } else {
                flat++;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Files.createDirectories(Path.of("target/examples"));
        Path dir = Files.createTempDirectory(Path.of("target/examples"), "strategy-");
        Trades trades = Trades.bundledBitstamp();         // 100,000 BTC/USD trades (ta4j-examples jar)
        record(trades, 0, 15_000, dir.resolve("ticks"));
        serve(dir, "first");
        record(trades, 15_000, 30_000, dir.resolve("ticks"));
        serve(dir, "resumed");                             // a restart: from the newest checkpoint
    }

    /** The market-data side: appends trades to the ticks queue. */
    static void record(Trades trades, int from, int to, Path ticks) {
        Tick tick = new Tick().wrap(new UnsafeBuffer(new byte[TickDescriptor.LENGTH]), 0);
        try (ChronicleTickWriter writer = ChronicleTickWriter.open(ticks)) {
            for (int i = from; i < to; i++) {
                long ns = trades.time(i) * 1_000_000_000L;
                writer.onTick(tick.trade(i, 1, ns, ns, trades.price(i), trades.size(i)));
            }
        }
    }

    static void serve(Path dir, String name) throws InterruptedException {
        Decisions decisions = new Decisions();
        try (ServingSession session = ServingSession.builder()
                 .model(Path.of("models/updown/updown.safetensors"))   // with its feature pipeline and label
                 .ticks(dir.resolve("ticks"))
                 .predictions(dir.resolve("predictions"))             // a record of every prediction
                 .onPrediction(decisions)                              // and the strategy, in process
                 .online(OnlineConfig.defaults())                      // fine-tune the head as labels mature
                 .checkpoints(dir.resolve("checkpoints"), 3, 0)        // keep 3, one per publication
                 .notices(System.out::println)
                 .open()) {
            session.start();                                           // inference and trainer threads
            long seen = -1;
            while (session.activity() != seen) {                      // until no tick came for 0.5 s
                seen = session.activity();
                Thread.sleep(500);
            }
            session.stop();                                            // joins both; a final checkpoint
            System.out.printf("%s session: ticks %d (warm-up %d), predictions %d: %d long, %d short, %d flat%n",
                name, session.ticks(), session.service().warming(), session.predictions(), decisions.longs,
                decisions.shorts, decisions.flat);
        }
    }
}
