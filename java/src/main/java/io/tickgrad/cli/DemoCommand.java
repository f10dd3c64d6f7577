package io.tickgrad.cli;

import io.tickgrad.backtest.BacktestReport;
import io.tickgrad.backtest.ComparedRun;
import io.tickgrad.backtest.Comparison;
import io.tickgrad.backtest.ComparisonReport;
import io.tickgrad.market.FeatureSpec;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.nn.Backend;
import io.tickgrad.online.OnlineConfig;
import io.tickgrad.serve.ServingModel;
import io.tickgrad.tensor.ParamEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main job on a fresh machine: records the bundled Bitstamp trades into a ticks queue, then replays the days
 * after the shipped trading model's training span (models/updown: the pretrained chart network's trunk with an
 * up/down head fine-tuned on the first four days) three times over the same stream: the model frozen, the model
 * fine-tuned online (its head; the trunk stays frozen as the checkpoint flags it) and the same architecture trained
 * online from fresh random weights (every layer). Writes each replay's report and a comparison page, and prints the
 * three side by side.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Record the bundled Bitstamp trades and replay the days after the shipped up/down model's training "
        + "span three ways: the model frozen, fine-tuned online, and its architecture trained online from scratch; "
        + "print the three side by side and write their reports and a comparison page.")
final class DemoCommand implements Callable<Integer> {
    /** Subdirectories of the report directory, one per replay. */
    static final String FROZEN = "frozen";
    static final String ONLINE = "online";
    static final String SCRATCH = "scratch";

    @Option(names = "--model", description = "trading model; default: models/updown/updown.safetensors")
    Path model;

    @Option(names = "--out", defaultValue = "target/demo",
        description = "work directory: ticks queue and report; default ${DEFAULT-VALUE}")
    Path out;

    @Option(names = "--cost-bps", defaultValue = "1", description = "cost per unit of turnover, bps; default ${DEFAULT-VALUE}")
    double costBps;

    @Option(names = "--scratch-seed", defaultValue = "7",
        description = "seed of the from-scratch model's initial weights; default ${DEFAULT-VALUE}")
    long scratchSeed;

    @Mixin
    BackendOption backendOption;

    @Override
    public Integer call() throws Exception {
        Path modelFile = model != null ? model : home().resolve("models/updown/updown.safetensors");
        if (!Files.isRegularFile(modelFile)) {
            throw new IllegalArgumentException(modelFile + ": no such model file (models/updown/build.sh rebuilds it)");
        }
        Path ticks = out.resolve("ticks");
        Path report = out.resolve("report");
        deleteQueue(ticks);
        int status = new CommandLine(new RecordCommand()).execute("--queue", ticks.toString());
        if (status != 0) {
            return status;
        }
        FeatureSpec spec = FeatureSpec.fromMetadata(Checkpoint.readMetadata(modelFile), modelFile.toString());
        long fromNs = spec.trainToNs();
        System.out.printf(Locale.ROOT, "model %s was trained on ticks before %s; replaying the ticks from then on, "
            + "three ways%n", modelFile, Instant.ofEpochSecond(0, fromNs));
        ReplayCommand.Settings settings = new ReplayCommand.Settings(fromNs, Long.MAX_VALUE, costBps, 0.55, 0.45, null);
        OnlineConfig online = OnlineConfig.defaults();
        String name = modelFile.getFileName().toString();
        List<ComparedRun> runs = new ArrayList<>();
        try (Backend backend = backendOption.create()) {
            try (ServingModel frozen = ServingModel.load(modelFile, backend)) {
                runs.add(replay(ticks, report, settings, frozen, name, null, FROZEN, "pretrained, frozen",
                    name + " as shipped: the pretrained chart-pattern trunk and the up/down head trained on the "
                        + "first four days; its weights never change"));
            }
            try (ServingModel tuned = ServingModel.load(modelFile, backend)) {
                runs.add(replay(ticks, report, settings, tuned, name, online, ONLINE, "pretrained, fine-tuned online",
                    "the same checkpoint, its " + trainable(tuned) + " trainable parameters (the head) fine-tuned "
                        + "online from the matured labels; the trunk stays frozen as the checkpoint flags it"));
            }
            try (ServingModel scratch = ServingModel.untrained(modelFile, backend, scratchSeed)) {
                runs.add(replay(ticks, report, settings, scratch, name + " architecture, fresh weights", online,
                    SCRATCH, "from scratch, online", "the same architecture with fresh Glorot-uniform weights (seed "
                        + scratchSeed + "), all " + trainable(scratch) + " parameters trained online from the matured "
                        + "labels"));
            }
        }
        List<String> info = List.of(
            "ticks: " + ticks.getFileName() + " (the bundled Bitstamp BTC/USD trades), predicted from "
                + Instant.ofEpochSecond(0, fromNs) + " (the end of " + name + "'s training span) to the end",
            "label: " + spec.label().horizonTicks() + " ticks ahead, dead zone " + spec.label().deadZoneBps() + " bps; "
                + "strategy: long at score >= 0.55, short at <= 0.45, " + costBps + " bps per unit of turnover",
            "online learning (both online models): " + online.withRoundBudgetNs(0));
        Comparison comparison = ComparisonReport.write(report, "tickgrad demo: frozen, fine-tuned online and "
            + "trained from scratch on the same replayed stream", info, runs);
        System.out.println();
        System.out.print(comparison.table());
        System.out.println(comparison.stdErrLabel());
        System.out.println(comparison.headline());
        System.out.println("comparison: " + report.resolve(ComparisonReport.COMPARISON_HTML).toAbsolutePath());
        for (ComparedRun r : runs) {
            System.out.println("report, " + r.name() + ": " + report.resolve(r.reportHref()).toAbsolutePath());
        }
        printTransferStudy();
        return 0;
    }

    /** Replays one model into report/{id}/ and returns it as a compared run. */
    private static ComparedRun replay(Path ticks, Path report, ReplayCommand.Settings settings, ServingModel serving,
                                      String modelName, OnlineConfig online, String id, String name,
                                      String description) throws Exception {
        System.out.println();
        System.out.println("== " + name + ": " + description);
        ReplayCommand.Outcome o = ReplayCommand.run(ticks, serving, modelName, report.resolve(id), settings, online);
        return new ComparedRun(id, name, description, o.run(), o.options(), o.replay().curve(), o.replay().revisions(),
            id + "/" + BacktestReport.REPORT_HTML);
    }

    private static String trainable(ServingModel serving) {
        long n = 0;
        for (ParamEntry e : serving.network().parameters().entries()) {
            n += e.trainable() ? e.length() : 0;
        }
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Removes a previous demo's ticks queue (only *.cq4 / *.cq4t files and the directory), so ticks are not doubled. */
    private static void deleteQueue(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                String name = p.getFileName().toString();
                if (p.equals(dir) || name.endsWith(".cq4") || name.endsWith(".cq4t")) {
                    Files.delete(p);
                }
            }
        }
    }

    /** The shipped transfer study's pooled learning curve (models/market-daily, computed by its build.sh). */
    private static void printTransferStudy() throws IOException {
        Path dir = home().resolve("models/market-daily/study/large-move");
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> summaries = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.map(d -> d.resolve("summary.json")).filter(Files::isRegularFile).sorted().forEach(summaries::add);
        }
        if (summaries.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.println("== when fine-tuning a pretrained network pays: models/market-daily (pretrained on 64 daily "
            + "series), predicting a large move one day ahead on four series it never saw");
        System.out.print(io.tickgrad.study.PooledCurves.table(summaries));
        System.out.println("reports: " + dir.toAbsolutePath() + "/<instrument>/report.html; figures and verdicts: "
            + "models/market-daily/MODEL_CARD.md");
    }

    static Path home() {
        String h = System.getProperty("tickgrad.home");
        return h != null ? Path.of(h) : Path.of("");
    }
}
