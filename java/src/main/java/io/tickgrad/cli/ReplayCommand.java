package io.tickgrad.cli;

import io.tickgrad.backtest.BacktestOptions;
import io.tickgrad.backtest.BacktestReport;
import io.tickgrad.backtest.BacktestRun;
import io.tickgrad.backtest.BacktestSummary;
import io.tickgrad.io.Queues;
import io.tickgrad.market.LabelSpec;
import io.tickgrad.market.TimeFormat;
import io.tickgrad.nn.Backend;
import io.tickgrad.online.OnlineConfig;
import io.tickgrad.serve.Replay;
import io.tickgrad.serve.ReplaySession;
import io.tickgrad.serve.ServingModel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A deterministic backtest over a recorded ticks queue, with a report. */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Replay a recorded ticks queue through a model (its feature pipeline comes from the checkpoint), "
        + "label each prediction at its horizon, and write summary.json and an HTML report with charts.")
final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--queue", required = true, description = "ticks queue directory")
    Path queue;

    @Option(names = "--model", required = true, description = "checkpoint with its feature spec (tickgrad.features)")
    Path model;

    @Option(names = "--report", required = true, description = "directory for summary.json, report.html and charts")
    Path report;

    @Option(names = "--from", description = "first exchange time predicted (ISO-8601 or epoch s/ms/ns); earlier ticks "
        + "only warm the features; default: the queue's start")
    String from;

    @Option(names = "--to", description = "exchange time at which the replay stops (exclusive); default: the queue's end")
    String to;

    @Option(names = "--cost-bps", defaultValue = "1", description = "cost per unit of turnover, bps; default ${DEFAULT-VALUE}")
    double costBps;

    @Option(names = "--long-threshold", defaultValue = "0.55", description = "score at or above which to go long")
    double longThreshold;

    @Option(names = "--short-threshold", defaultValue = "0.45", description = "score at or below which to go short")
    double shortThreshold;

    @Option(names = "--hold", description = "predictions between decisions (default: the label horizon in ticks, so "
        + "positions do not overlap)")
    Integer hold;

    @Mixin
    BackendOption backendOption;

    @Mixin
    PrecisionOption precisionOption;

    @Mixin
    OnlineOptions onlineOptions;

    @Override
    public Integer call() throws Exception {
        long fromNs = from == null ? Long.MIN_VALUE : TimeFormat.AUTO.toEpochNanos(from);
        long toNs = to == null ? Long.MAX_VALUE : TimeFormat.AUTO.toEpochNanos(to);
        Settings settings = new Settings(fromNs, toNs, costBps, longThreshold, shortThreshold, hold);
        OutputChecks.requireWritableDirectory(report, "--report");
        try (Backend backend = backendOption.create();
             ServingModel serving = ServingModel.load(model, backend, precisionOption.get())) {
            Outcome outcome = run(queue, serving, model.getFileName().toString(), report, settings,
                onlineOptions.config());
            System.out.println(outcome.summary());
        }
        System.out.println("report: " + report.resolve(BacktestReport.REPORT_HTML));
        return 0;
    }

    /** Bad ticks above this share of all ticks are announced at the top of the summary and the report. */
    static final double BAD_SHARE_WARNING = 0.01;

    /** A line announcing the share of bad ticks when it is above {@link #BAD_SHARE_WARNING}, else null. */
    static String badShareWarning(Replay.ReplayResult replayed) {
        long total = replayed.ticks() + replayed.badTicks();
        double share = total == 0 ? 0 : (double) replayed.badTicks() / total;
        if (share <= BAD_SHARE_WARNING) {
            return null;
        }
        return String.format(Locale.ROOT, "WARNING: %.1f%% of the ticks were bad (%d of %d), skipped; see the reasons "
            + "below", 100 * share, replayed.badTicks(), total);
    }

    /**
     * What a replay is asked for: the span [fromNs, toNs) predicted, the cost, the strategy's thresholds and the
     * predictions between its decisions (null: the label horizon in ticks).
     */
    record Settings(long fromNs, long toNs, double costBps, double longThreshold, double shortThreshold,
                    Integer hold) {
    }

    /** A finished replay: its rows, the options its report used, the summary written and the replay's counts. */
    record Outcome(BacktestRun run, BacktestOptions options, BacktestSummary summary, Replay.ReplayResult replay) {
    }

    /**
     * Replays {@code queue} through {@code serving} (named {@code modelName} in the report) and writes the report
     * into {@code report}; shared with {@code demo}. With {@code online}, fine-tunes the model's trainable layers
     * online as it replays (the model's own weights are not changed).
     */
    static Outcome run(Path queue, ServingModel serving, String modelName, Path report, Settings settings,
                       OnlineConfig online) throws Exception {
        try (ReplaySession session = ReplaySession.builder().model(serving).ticks(queue)
            .span(settings.fromNs(), settings.toNs()).online(online).open()) {
            LabelSpec label = session.label();
            Replay.ReplayResult replayed = session.run();
            session.requireSomethingReplayed();
            BacktestRun run = replayed.backtest();
            String badShare = badShareWarning(replayed);
            if (badShare != null) {
                System.out.println(badShare);
            }
            List<String> unfinished = new ArrayList<>();
            for (String doc : Queues.incompleteDocuments(queue)) {
                unfinished.add("WARNING: " + doc);
                System.out.println("WARNING: " + doc);
            }
            System.out.printf(Locale.ROOT, "replayed %d ticks (%d bad, skipped), %d predictions in %.1f s; %d labels "
                    + "not yet matured at the end%n", replayed.ticks(), replayed.badTicks(), replayed.predictions(),
                replayed.elapsedNs() / 1e9, replayed.unlabelledAtEnd());
            System.out.print(replayed.badTickReport());
            if (replayed.onlineReport() != null) {
                System.out.println(replayed.onlineReport());
            }
            Integer hold = settings.hold();
            int holdRows = hold != null ? hold : session.defaultHoldRows();
            List<String> info = new ArrayList<>();
            if (badShare != null) {
                info.add(badShare);
            }
            info.addAll(unfinished);
            info.add("model: " + modelName + String.format(Locale.ROOT, " (version %016x)", serving.version()));
            info.add("ticks: " + queue.getFileName() + ", " + replayed.ticks() + " valid, " + replayed.badTicks() + " bad");
            if (online != null) {
                info.add("online learning: " + online + "; " + replayed.revisions() + " weight revisions published");
            }
            long fromNs = settings.fromNs();
            long toNs = settings.toNs();
            info.add("span: " + (fromNs == Long.MIN_VALUE ? "start" : Instant.ofEpochSecond(0, fromNs).toString())
                + " .. " + (toNs == Long.MAX_VALUE ? "end" : Instant.ofEpochSecond(0, toNs).toString()));
            info.add("label: " + label.describe());
            BacktestOptions options = BacktestOptions.defaults()
                .withThresholds(settings.longThreshold(), settings.shortThreshold())
                .withCostBps(settings.costBps()).withHoldRows(holdRows).withTitle("replay of " + modelName)
                .withInfo(info);
            BacktestSummary summary = BacktestReport.write(report, run, options);
            return new Outcome(run, options, summary, replayed);
        }
    }
}
