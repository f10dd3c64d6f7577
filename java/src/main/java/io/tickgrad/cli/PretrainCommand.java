package io.tickgrad.cli;

import io.tickgrad.io.ChronicleTickSource;
import io.tickgrad.market.TimeFormat;
import io.tickgrad.market.TransferFeatures;
import io.tickgrad.nn.Backend;
import io.tickgrad.pretrain.BinaryTraining;
import io.tickgrad.pretrain.Pretrainer;
import io.tickgrad.pretrain.Target;
import io.tickgrad.pretrain.TimeBoundedSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "pretrain", mixinStandardHelpOptions = true,
    description = {"Pretrain a market network on many instruments at once from recorded ticks queues (any shape), "
        + "with instrument-free features: returns over several horizons in units of recent volatility, the "
        + "volatility regime, bar range and close location, volume against its average.",
        "Each queue's last --validation part (after a gap of one horizon) is held out; training stops early on it. "
            + "The checkpoint works with finetune, evaluate, replay, serve and study."})
final class PretrainCommand implements Callable<Integer> {
    @Option(names = "--queue", description = "a ticks queue directory (repeatable); its directory name names it")
    List<Path> queues = new ArrayList<>();

    @Option(names = "--queues", description = "a directory whose subdirectories are ticks queues, one per instrument")
    Path queuesDir;

    @Option(names = "--out", required = true, description = "the checkpoint to write (.safetensors)")
    Path out;

    @Option(names = "--target", defaultValue = "direction", description = "direction or large-move; default ${DEFAULT-VALUE}")
    String target;

    @Option(names = "--horizon", defaultValue = "1", description = "ticks from decision to label; default ${DEFAULT-VALUE}")
    int horizon;

    @Option(names = "--hidden", split = ",", defaultValue = "32,16", description = "hidden layer sizes; default ${DEFAULT-VALUE}")
    int[] hidden;

    @Option(names = "--scaled-lags", split = ",", defaultValue = "1,2,5,10,20",
        description = "volatility-scaled return lags in ticks; default ${DEFAULT-VALUE}")
    int[] scaledLags;

    @Option(names = "--half-lives", split = ",", defaultValue = "5,60",
        description = "fast,slow half-lives in ticks of the volatility EWMAs; default ${DEFAULT-VALUE}")
    int[] halfLives;

    @Option(names = "--time-of-day", description = "add sin/cos of the UTC time of day (intraday data)")
    boolean timeOfDay;

    @Option(names = "--spread", description = "add the quoted spread over volatility (0 for shapes without quotes)")
    boolean spread;

    @Option(names = "--epochs", defaultValue = "30")
    int epochs;

    @Option(names = "--batch", defaultValue = "256")
    int batch;

    @Option(names = "--lr", defaultValue = "0.001")
    float lr;

    @Option(names = "--patience", defaultValue = "4", description = "early stopping patience in epochs; default ${DEFAULT-VALUE}")
    int patience;

    @Option(names = "--validation", defaultValue = "0.2", description = "held-out fraction of each queue; default ${DEFAULT-VALUE}")
    double validation;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--until", description = "use only ticks before this exchange time (ISO-8601 or epoch "
        + "s/ms/ns), e.g. the start of an evaluation period; default: every tick")
    String until;

    @Mixin
    BackendOption backendOption;

    @Override
    public Integer call() {
        List<Path> all = new ArrayList<>(queues);
        if (queuesDir != null) {
            CliFiles.requireExisting(queuesDir, "--queues");
            try (Stream<Path> s = Files.list(queuesDir)) {
                s.filter(Files::isDirectory).sorted().forEach(all::add);
            } catch (IOException e) {
                throw new UncheckedIOException("--queues " + queuesDir + ": " + e.getMessage(), e);
            }
        }
        if (all.isEmpty()) {
            throw new OptionException("--queue", "no queue given", "expected --queue DIR (repeatable) or --queues DIR");
        }
        CliFiles.requireOutput(out, "--out");
        Target t;
        try {
            t = Target.parse(target, "--target");
        } catch (IllegalArgumentException e) {
            throw new OptionException("--target " + target, "unknown target", "expected direction or large-move");
        }
        if (horizon < 1) {
            throw new OptionException("--horizon " + horizon, "not a positive number", "expected at least 1 tick");
        }
        if (halfLives.length != 2) {
            throw new OptionException("--half-lives", halfLives.length + " values", "expected fast,slow");
        }
        TransferFeatures features;
        BinaryTraining training;
        Pretrainer.Options options;
        try {
            features = new TransferFeatures(scaledLags, halfLives[0], halfLives[1], true, true, spread, timeOfDay);
            training = new BinaryTraining(lr, epochs, batch, 0, patience, 0f);
            options = new Pretrainer.Options(t, horizon, hidden, training, validation, seed);
        } catch (IllegalArgumentException e) {
            throw new OptionException("options", e.getMessage(), "see 'tickgrad pretrain --help'");
        }
        long untilNs = Long.MAX_VALUE;
        if (until != null) {
            try {
                untilNs = TimeFormat.AUTO.toEpochNanos(until);
            } catch (IllegalArgumentException e) {
                throw new OptionException("--until " + until, e.getMessage(), "expected ISO-8601 or epoch s/ms/ns");
            }
        }
        List<ChronicleTickSource> sources = new ArrayList<>();
        try (Backend backend = backendOption.create()) {
            List<Pretrainer.Instrument> instruments = new ArrayList<>();
            for (Path q : all) {
                CliFiles.requireExisting(q, "--queue");
                ChronicleTickSource s = ChronicleTickSource.open(q);
                sources.add(s);
                instruments.add(new Pretrainer.Instrument(q.getFileName().toString(),
                    untilNs == Long.MAX_VALUE ? s : new TimeBoundedSource(s, untilNs)));
            }
            Pretrainer.Result r = Pretrainer.run(instruments, features, options, backend, out, System.err::println);
            for (Pretrainer.InstrumentSummary s : r.instruments()) {
                System.out.printf(Locale.ROOT, "%-24s train %6d  validation %5d  AUC %.3f%n", s.name(), s.trainRows(),
                    s.validationRows(), s.validationAuc());
            }
            System.out.printf(Locale.ROOT, "pooled validation: %d samples, AUC %.4f, log loss %.4f; epochs %d (best %d)%n",
                r.validationRows(), r.validationAuc(), r.validationLogLoss(), r.epochsRun(), r.bestEpoch() + 1);
            System.err.println("tickgrad pretrain: wrote " + out);
        } finally {
            for (ChronicleTickSource s : sources) {
                s.close();
            }
        }
        return 0;
    }
}
