package io.tickgrad.backtest.sweep;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress line of a sweep: tasks done (failed among them), running and left, elapsed and estimated time left;
 * redrawn in place at most twice a second. It also times the tasks ({@link #throughput()}). Thread-safe.
 */
public final class SweepProgress implements SweepRunner.Listener {
    private static final int WIDTH = 24;
    private final PrintStream out;
    private final int total;
    private final ResultStore store;
    private final int slots;
    private final int warmUpTasks;
    private long start = System.nanoTime();
    private long warmedUpAt;
    private long lastFinishedAt;
    private int done;
    private int failed;
    private int running;
    private long lastDraw;

    /**
     * @param out   where the progress line is drawn
     * @param total tasks to run
     * @param store where each finished task's row is stored ({@link ResultStore#put}) as it finishes
     * @param slots tasks that can run at once (the runner's slots)
     */
    public SweepProgress(PrintStream out, int total, ResultStore store, int slots) {
        this.out = out;
        this.slots = Math.max(1, slots);
        this.total = total;
        this.store = store;
        this.warmUpTasks = (total + 9) / 10;
    }

    /**
     * What the tasks took: {@code seconds} from {@link #begin()} to the last task's end, and the rate after the
     * first tenth of the tasks had finished, when the JIT compiler has warmed up the replay and each slot is busy.
     *
     * @param tasks                tasks finished
     * @param seconds              from {@link #begin()} to the last task's end
     * @param tasksPerSecond       tasks over seconds
     * @param steadyTasksPerSecond tasks finished after the first tenth, over the time they took; NaN for fewer than
     *                             20 tasks, too few to tell warm-up from the rest
     */
    public record Throughput(int tasks, double seconds, double tasksPerSecond, double steadyTasksPerSecond) {
    }

    /** Starts the clock of {@link #throughput()}: the runner is about to start the first task. */
    public synchronized void begin() {
        start = System.nanoTime();
    }

    /** @return what the tasks finished so far took */
    public synchronized Throughput throughput() {
        if (done == 0) {
            return new Throughput(0, 0, Double.NaN, Double.NaN);
        }
        double seconds = (lastFinishedAt - start) / 1e9;
        double steady = done >= 20 && lastFinishedAt > warmedUpAt
            ? (done - warmUpTasks) / ((lastFinishedAt - warmedUpAt) / 1e9) : Double.NaN;
        return new Throughput(done, seconds, done / seconds, steady);
    }

    @Override
    public synchronized void started(SweepTask task) {
        running++;
        draw(false);
    }

    @Override
    public void finished(TaskResult result) {
        store.put(result);
        synchronized (this) {
            running--;
            done++;
            lastFinishedAt = System.nanoTime();
            if (done == warmUpTasks) {
                warmedUpAt = lastFinishedAt;
            }
            if (!result.ok()) {
                failed++;
            }
            // a slot that finishes starts its next task at once and draws then, with the right running count;
            // only when no task is left to start is this the last chance to draw
            if (total - done - Math.max(0, running) <= 0) {
                draw(false);
            }
        }
    }

    /** @return tasks that failed so far; any thread */
    public synchronized int failed() {
        return failed;
    }

    /** Draws the final line and ends it. */
    public synchronized void finish() {
        if (done != total) {
            draw(true);
        }
        if (out != null) {
            out.println();
            out.flush();
        }
    }

    private void draw(boolean force) {
        long now = System.nanoTime();
        if (out == null || (!force && done != total && now - lastDraw < 500_000_000L)) {
            return;
        }
        lastDraw = now;
        double elapsed = (now - start) / 1e9;
        int filled = total == 0 ? WIDTH : done * WIDTH / total;
        // a cluster reports task starts on another thread than results: keep the count within what can run
        int shown = Math.max(0, Math.min(Math.min(running, slots), total - done));
        String eta = done == 0 ? "?" : seconds(elapsed * (total - done) / done);
        out.printf(Locale.ROOT, "\rsweep [%s%s] %d/%d done%s, %d running, %d left, %s elapsed, ~%s left  ",
            "=".repeat(filled), " ".repeat(WIDTH - filled), done, total, failed > 0 ? " (" + failed + " failed)" : "",
            shown, total - done - shown, seconds(elapsed), eta);
        out.flush();
    }

    static String seconds(double s) {
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", (int) (s / 3600), (int) (s % 3600 / 60));
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", (int) (s / 60), (int) (s % 60));
        }
        return String.format(Locale.ROOT, "%.0fs", s);
    }
}
