package io.tickgrad.cli;

import io.tickgrad.backtest.sweep.EmbeddedRunner;
import io.tickgrad.backtest.sweep.Sweep;
import io.tickgrad.backtest.sweep.SweepRunner;
import io.tickgrad.backtest.sweep.SweepProgress;
import io.tickgrad.backtest.sweep.SweepRunnerFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Walk-forward backtests over a grid of data, windows, arms and parameters. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
    description = "Run a grid of replays (data x walk-forward windows x arms x parameters x seeds) and write "
        + "results.csv (one row per task) and report.html. Started again with the same --out, it runs only the "
        + "tasks without a result.")
final class SweepCommand implements Callable<Integer> {
    @Option(names = "--grid", required = true, description = "grid file (JSON; see README, Sweeps)")
    Path grid;

    @Option(names = "--out", required = true, description = "directory for results.csv, report.html and task files")
    Path out;

    @Option(names = "--runner", defaultValue = "embedded",
        description = "embedded (threads in this process) or spark; default ${DEFAULT-VALUE}")
    String runner;

    @Option(names = "--master", description = "Spark master URL, e.g. local[2] or spark://host:7077 (spark runner; "
        + "default: the one spark-submit sets)")
    String master;

    @Option(names = "--workers", defaultValue = "0",
        description = "parallel tasks: embedded threads, or Spark local slots; default 0 (one per core)")
    int workers;

    @Option(names = "--isa", description = "kernel instruction set for every task: auto, scalar, avx2, avx512; "
        + "default: the grid's (auto: the best this CPU has)")
    String isa;

    @Option(names = "--retry-failed", description = "run the tasks whose stored result is a failure again")
    boolean retryFailed;

    @Override
    public Integer call() throws Exception {
        try (SweepRunner r = createRunner()) {
            Sweep.Outcome o = Sweep.run(grid, out, r, new Sweep.Options(isa, retryFailed, System.err));
            System.out.printf("sweep: %d tasks, %d run now, %d already done, %d failed; isa %s%n", o.tasks(), o.ran(),
                o.skipped(), o.failed(), o.isa());
            System.out.println(timing(o));
            System.out.println("results: " + o.resultsCsv());
            System.out.println("report: " + o.reportHtml());
            return o.failed() > 0 ? 3 : 0;
        }
    }

    /**
     * Where the time went: start-up (from the process's start to the first task), the tasks with their rate (and
     * the rate once warmed up, which is what a longer sweep gets) and the report.
     */
    static String timing(Sweep.Outcome o) {
        StringBuilder s = new StringBuilder("time:");
        Optional<Instant> processStart = ProcessHandle.current().info().startInstant();
        if (processStart.isPresent()) {
            s.append(String.format(Locale.ROOT, " start-up %.1f s,",
                Duration.between(processStart.get(), o.tasksBegan()).toMillis() / 1e3));
        }
        SweepProgress.Throughput t = o.throughput();
        s.append(String.format(Locale.ROOT, " tasks %.1f s", t.seconds()));
        if (t.tasks() > 0) {
            s.append(String.format(Locale.ROOT, " (%.2f tasks/s", t.tasksPerSecond()));
            if (!Double.isNaN(t.steadyTasksPerSecond())) {
                s.append(String.format(Locale.ROOT, "; %.2f tasks/s after the first tenth",
                    t.steadyTasksPerSecond()));
            }
            s.append(')');
        }
        return s.append(String.format(Locale.ROOT, ", report %.1f s", o.reportSeconds())).toString();
    }

    private SweepRunner createRunner() {
        if (runner.equals("embedded")) {
            if (master != null) {
                throw new IllegalArgumentException("--master is for --runner spark");
            }
            return new EmbeddedRunner(workers);
        }
        for (SweepRunnerFactory f : ServiceLoader.load(SweepRunnerFactory.class)) {
            if (f.name().equals(runner)) {
                return f.create(master, workers);
            }
        }
        if (runner.equals("spark")) {
            throw new IllegalArgumentException("--runner spark: the Spark runner is not on the classpath (build the "
                + "spark module: mvn -pl spark -am package; bin/tickgrad then finds it, or use spark-submit, see README)");
        }
        throw new IllegalArgumentException("--runner must be embedded or spark, got '" + runner + "'");
    }
}
