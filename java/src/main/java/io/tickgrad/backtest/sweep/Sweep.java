package io.tickgrad.backtest.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A sweep from its grid file to {@code DIR/results.csv} and {@code DIR/report.html}: records the data that needs
 * it, fixes the instruction set, runs the tasks that have no result yet on the runner given, merges the rows and
 * writes the report. Started again with the same directory, it runs only the missing tasks (and, when asked, the
 * failed ones again). One process owns the directory at a time (an OS lock on {@code DIR/.lock}).
 */
public final class Sweep {
    /** The sweep's report page, beside results.csv. */
    public static final String REPORT_HTML = "report.html";

    private Sweep() {
    }

    /**
     * @param isa         null: the grid's choice
     * @param retryFailed run the tasks whose stored row is a failure again
     * @param progress    where the progress line goes (null: nowhere)
     */
    public record Options(String isa, boolean retryFailed, PrintStream progress) {
    }

    /**
     * What a sweep did: tasks in the grid, run now, skipped (already done), failed in all, and the rows; when the
     * tasks began (wall clock), what they took and how long the report took to write.
     */
    public record Outcome(int tasks, int ran, int skipped, int failed, String isa, List<TaskResult> rows,
                          Path resultsCsv, Path reportHtml, Instant tasksBegan, SweepProgress.Throughput throughput,
                          double reportSeconds) {
    }

    /**
     * Runs the sweep of {@code gridFile} into {@code out}, on the calling thread (the runner runs the tasks).
     *
     * @param gridFile the grid (model, data, windows, arms, parameters, seeds)
     * @param out      the output directory: results, task files, recorded queues, report; created when missing
     * @param runner   where the tasks run (embedded thread pool, Spark)
     * @param options  instruction set, retries, progress output
     * @return what was done, with the rows and the files written
     * @throws IllegalArgumentException naming the file and field for a bad grid or a missing model
     * @throws IllegalStateException    when another sweep holds the directory's lock
     * @throws Exception                what the runner or the report writing throws
     */
    public static Outcome run(Path gridFile, Path out, SweepRunner runner, Options options) throws Exception {
        SweepGrid grid = SweepGrid.read(gridFile);
        if (!Files.isRegularFile(grid.model())) {
            throw new IllegalArgumentException(gridFile + ": model " + grid.model() + ": no such file");
        }
        Files.createDirectories(out);
        try (FileChannel lockFile = FileChannel.open(out.resolve(".lock"), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE); FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                throw new IllegalStateException(out + ": another sweep is writing into this directory");
            }
            Files.copy(gridFile, out.resolve("grid.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Map<String, Path> queues = SweepData.prepare(grid, out);
            String isa = SweepEngine.init(options.isa() != null ? options.isa() : grid.isa());
            SweepJob job = new SweepJob(grid.name(), grid.model(), queues, isa, grid.deadZoneBps(),
                grid.strategy().hold(), grid.finetune().stride());
            List<SweepTask> tasks = SweepTask.expand(grid);
            ResultStore store = new ResultStore(out);
            Map<String, TaskResult> done = store.completed();
            List<SweepTask> pending = new ArrayList<>();
            for (SweepTask t : tasks) {
                TaskResult r = done.get(t.id());
                boolean redo = r == null || (options.retryFailed() && !r.ok()) || !isa.equals(r.get("isa"));
                if (redo) {
                    pending.add(t);
                }
            }
            SweepProgress progress = new SweepProgress(options.progress(), pending.size(), store, runner.slots());
            if (options.progress() != null) {
                options.progress().printf("sweep %s: %d tasks (%d already done), runner %s with %d slots, isa %s%n",
                    grid.name(), tasks.size(), tasks.size() - pending.size(), runner.name(), runner.slots(), isa);
            }
            Instant began = Instant.now();
            progress.begin();
            if (!pending.isEmpty()) {
                runner.run(job, pending, progress);
                progress.finish();
            }
            long reportStart = System.nanoTime();
            List<TaskResult> rows = store.merge(tasks);
            int failed = (int) rows.stream().filter(r -> !r.ok()).count();
            Path report = out.resolve(REPORT_HTML);
            SweepReport.write(out, grid, rows, isa);
            return new Outcome(tasks.size(), pending.size(), tasks.size() - pending.size(), failed, isa, rows,
                out.resolve(ResultStore.RESULTS_CSV), report, began, progress.throughput(),
                (System.nanoTime() - reportStart) / 1e9);
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": " + e.getMessage(), e);
        }
    }
}
