package io.tickgrad.cli;

import io.tickgrad.io.ChronicleTickSource;
import io.tickgrad.nn.Backend;
import io.tickgrad.pretrain.Target;
import io.tickgrad.study.StudyOptions;
import io.tickgrad.study.StudyReport;
import io.tickgrad.study.StudyResult;
import io.tickgrad.study.TransferStudy;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "study", mixinStandardHelpOptions = true,
    description = {"Measure transfer on an instrument the model never saw, walk-forward: for each number of labelled "
        + "samples and seed, (a) the pretrained trunk frozen with a new head, (b) the whole pretrained network "
        + "fine-tuned (and with its first layer frozen), (c) the same architecture from random weights, (d) logistic "
        + "regression on the same features "
        + "(and, for large-move targets, the EWMA volatility forecast).",
        "Writes summary.json and report.html (learning curves with error bars) and says whether and where "
            + "pretraining wins beyond the noise."})
final class StudyCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "pretrained checkpoint (from tickgrad pretrain)")
    Path model;

    @Option(names = "--queue", required = true, description = "ticks queue of the unseen instrument")
    Path queue;

    @Option(names = "--samples", split = ",", defaultValue = "100,300,1000,3000",
        description = "labelled training sample counts; default ${DEFAULT-VALUE}")
    int[] samples;

    @Option(names = "--seeds", defaultValue = "5", description = "runs per size, each on its own test window; default ${DEFAULT-VALUE}")
    int seeds;

    @Option(names = "--test-size", defaultValue = "250", description = "samples per test window; default ${DEFAULT-VALUE}")
    int testSize;

    @Option(names = "--report", required = true, description = "directory for summary.json and report.html")
    Path report;

    @Option(names = "--target", description = "direction or large-move; default: the model's own")
    String target;

    @Option(names = "--horizon", defaultValue = "0", description = "ticks; default: the model's own")
    int horizon;

    @Option(names = "--epochs", defaultValue = "60")
    int epochs;

    @Option(names = "--name", description = "the instrument's name in the report; default: the queue's directory name")
    String name;

    @Mixin
    BackendOption backendOption;

    @Override
    public Integer call() {
        CliFiles.requireInputFile(model, "--model");
        CliFiles.requireExisting(queue, "--queue");
        StudyOptions d;
        try {
            d = StudyOptions.defaults(samples, seeds);
            Target t = target == null ? null : Target.parse(target, "--target");
            d = new StudyOptions(d.sizes(), seeds, testSize, new io.tickgrad.pretrain.BinaryTraining(d.training().lr(),
                epochs, d.training().batch(), d.training().validationFraction(), d.training().patience(), 0f),
                d.headLr(), d.finetuneLr(), d.logisticLr(), t, horizon);
        } catch (IllegalArgumentException e) {
            throw new OptionException("options", e.getMessage(), "see 'tickgrad study --help'");
        }
        String instrument = name != null ? name : queue.toAbsolutePath().normalize().getFileName().toString();
        try (Backend backend = backendOption.create(); ChronicleTickSource source = ChronicleTickSource.open(queue)) {
            StudyResult r = TransferStudy.run(model, instrument, source, d, backend, System.err::println);
            Path html = StudyReport.write(r, report);
            System.out.println(r.verdict());
            System.err.println("tickgrad study: wrote " + report.resolve("summary.json") + " and " + html);
        }
        return 0;
    }
}
