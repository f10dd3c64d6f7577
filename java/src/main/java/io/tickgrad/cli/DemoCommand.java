package io.tickgrad.cli;

import io.tickgrad.backtest.BacktestReport;
import io.tickgrad.backtest.BacktestSummary;
import io.tickgrad.market.FeatureSpec;
import io.tickgrad.model.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main job on a fresh machine: records the bundled Bitstamp trades into a ticks queue, then replays them
 * through the shipped trading model (models/updown: the pretrained chart network's trunk with an up/down head
 * fine-tuned on the first four days) over the days after its training span, and prints the backtest summary and
 * where the report is.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Record the bundled Bitstamp trades, replay the days after the shipped up/down model's training "
        + "span through it, print the backtest summary and write the report.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--model", description = "trading model; default: models/updown/updown.safetensors")
    Path model;

    @Option(names = "--out", defaultValue = "target/demo",
        description = "work directory: ticks queue and report; default ${DEFAULT-VALUE}")
    Path out;

    @Option(names = "--cost-bps", defaultValue = "1", description = "cost per unit of turnover, bps; default ${DEFAULT-VALUE}")
    double costBps;

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
        System.out.printf(Locale.ROOT, "model %s was trained on ticks before %s; replaying the ticks from then on%n",
            modelFile, Instant.ofEpochSecond(0, fromNs));
        BacktestSummary summary = ReplayCommand.run(ticks, modelFile, report, fromNs, Long.MAX_VALUE, costBps, 0.55,
            0.45, null, backendOption.create(), null, null);
        System.out.println();
        System.out.println(summary);
        System.out.println("report: " + report.resolve(BacktestReport.REPORT_HTML).toAbsolutePath());
        return 0;
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

    static Path home() {
        String h = System.getProperty("tickgrad.home");
        return h != null ? Path.of(h) : Path.of("");
    }
}
