package io.tickgrad.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickgrad.backtest.BacktestOptions;
import io.tickgrad.backtest.BacktestReport;
import io.tickgrad.backtest.BacktestSummary;
import io.tickgrad.cli.Main;
import io.tickgrad.market.FeatureSpec;
import io.tickgrad.market.TestTicks;
import io.tickgrad.market.TimeFormat;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.online.OnlineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backtest run in process through {@link ReplaySession} is the backtest {@code tickgrad replay} runs: the same
 * summary, number for number (the title, info lines and the wall-clock latency aside), frozen and online.
 */
class ReplaySessionTest {
    private static final String FROM = "2023-11-14T22:20:00Z";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Path ticks;
    private Path model;

    @BeforeEach
    void recordTicksAndSaveAModel() throws Exception {
        double[] prices = TestTicks.prices(1_500, 21);
        StringBuilder csv = new StringBuilder("time,price,size\n");
        for (int i = 0; i < prices.length; i++) {
            csv.append(1_700_000_000L + i).append(',').append(prices[i]).append(',').append(1 + i % 3).append('\n');
        }
        Path file = dir.resolve("ticks.csv");
        Files.writeString(file, csv);
        ticks = dir.resolve("ticks");
        assertEquals(0, Main.run("record", "--csv", file.toString(), "--queue", ticks.toString(), "--time-col",
            "time", "--price-col", "price", "--size-col", "size", "--time-format", "epoch-s"));
        model = dir.resolve("m.safetensors");
        try (NativeCpuBackend backend = NativeCpuBackend.create();
             Network net = Network.builder(32).dense(64).relu().dense(64).relu().dense(1).sigmoid()
                 .build(backend, 1, 5)) {
            Checkpoint.save(net, model, Map.of(FeatureSpec.METADATA_KEY, ServingPipelineTest.SPEC.toJson()));
        }
    }

    @Test
    void shouldGiveTheCommandLinesSummaryInProcessFrozen() throws Exception {
        JsonNode cli = cliSummary("frozen");
        JsonNode inProcess = inProcessSummary(null);
        assertTrue(cli.get("prediction").get("labelled").asLong() > 100, cli.toString());
        assertEquals(cli, inProcess);
    }

    @Test
    void shouldGiveTheCommandLinesSummaryInProcessOnline() throws Exception {
        JsonNode cli = cliSummary("online", "--online", "--online-lr", "3e-3");
        JsonNode inProcess = inProcessSummary(OnlineConfig.defaults().withLearningRate(3e-3f));
        assertEquals(cli, inProcess);
        // the online arm really learned: its scores differ from the frozen replay's
        assertNotEquals(inProcessSummary(null).get("prediction"), inProcess.get("prediction"));
    }

    @Test
    void shouldRunOnceAndRefuseAResultBeforeItRan() {
        try (ReplaySession session = ReplaySession.builder().model(model).ticks(ticks).open()) {
            assertThrows(IllegalStateException.class, session::result);
            assertThrows(IllegalStateException.class, session::requireSomethingReplayed);
            session.run();
            session.requireSomethingReplayed();
            assertThrows(IllegalStateException.class, session::run);
        }
    }

    @Test
    void shouldNameTheQueueWhenTheSpanHoldsNoPrediction() {
        try (ReplaySession session = ReplaySession.builder().model(model).ticks(ticks)
            .span(Long.MIN_VALUE, TimeFormat.AUTO.toEpochNanos("1700000010")).open()) {
            session.run();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                session::requireSomethingReplayed);
            assertTrue(e.getMessage().startsWith(ticks + ": no prediction: "), e.getMessage());
        }
    }

    private JsonNode cliSummary(String name, String... extra) throws Exception {
        Path report = dir.resolve(name);
        String[] base = {"replay", "--queue", ticks.toString(), "--model", model.toString(), "--report",
            report.toString(), "--from", FROM};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        assertEquals(0, Main.run(args));
        return comparable(JSON.readTree(report.resolve(BacktestReport.SUMMARY_JSON).toFile()));
    }

    /** What a strategy in process writes: the session, then the summary with the replay command's defaults. */
    private JsonNode inProcessSummary(OnlineConfig online) throws Exception {
        try (ReplaySession session = ReplaySession.builder().model(model).ticks(ticks)
            .span(TimeFormat.AUTO.toEpochNanos(FROM), Long.MAX_VALUE).online(online).open()) {
            Replay.ReplayResult r = session.run();
            session.requireSomethingReplayed();
            BacktestSummary s = BacktestSummary.of(r.backtest(), BacktestOptions.defaults().withThresholds(0.55, 0.45)
                .withCostBps(1).withHoldRows(session.defaultHoldRows()));
            return comparable(JSON.readTree(s.toJson()));
        }
    }

    /** The summary less its title, info lines and latency (a wall-clock figure). */
    private static JsonNode comparable(JsonNode summary) {
        ObjectNode o = (ObjectNode) summary;
        o.remove("title");
        o.remove("info");
        o.remove("latency");
        return o;
    }
}
