package io.tickgrad.backtest.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The progress line's counts as a runner reports tasks, and the tasks' timing. */
class SweepProgressTest {
    @TempDir
    Path tmp;

    private static TaskResult row(int i) {
        return new TaskResult(Map.of("task_id", "t" + i, "status", TaskResult.OK));
    }

    private static List<String> lines(ByteArrayOutputStream b) {
        return Arrays.stream(b.toString(StandardCharsets.UTF_8).split("[\r\n]")).filter(s -> !s.isBlank()).toList();
    }

    @Test
    void oneSlotIsShownRunningWhileTasksAreLeftAndNoneAtTheEnd() throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SweepProgress p = new SweepProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 3,
            new ResultStore(tmp), 1);
        p.begin();
        for (int i = 0; i < 3; i++) {
            p.started(null);
            Thread.sleep(510);   // past the redraw interval: every start draws
            p.finished(row(i));
        }
        p.finish();
        List<String> shown = lines(bytes);
        // a slot that finishes starts its next task at once: no line may say that nothing runs while tasks are left
        for (String l : shown) {
            assertFalse(l.contains("0 running") && !l.contains(" 0 left"), l);
        }
        assertTrue(shown.stream().anyMatch(l -> l.contains("1/3 done, 1 running, 1 left")), shown.toString());
        assertTrue(shown.get(shown.size() - 1).contains("3/3 done, 0 running, 0 left"), shown.toString());
    }

    @Test
    void throughputCountsFromBeginToTheLastTaskAndSteadyRateSkipsTheFirstTenth() throws InterruptedException {
        SweepProgress p = new SweepProgress(null, 40, new ResultStore(tmp), 1);
        assertEquals(0, p.throughput().tasks());
        assertTrue(Double.isNaN(p.throughput().tasksPerSecond()));
        p.begin();
        Thread.sleep(600);    // a slow first task (warm-up): counted in the whole rate, not in the steady one
        for (int i = 0; i < 40; i++) {
            p.started(null);
            if (i > 0) {
                Thread.sleep(5);
            }
            p.finished(row(i));
        }
        SweepProgress.Throughput t = p.throughput();
        assertEquals(40, t.tasks());
        assertTrue(t.seconds() >= 0.6 + 39 * 0.005, "seconds " + t.seconds());
        assertEquals(40 / t.seconds(), t.tasksPerSecond(), 1e-9);
        // tasks 5..40 after the 4th finished: 36 tasks of >= 5 ms, so at most 200/s; the 600 ms start is not in it
        assertTrue(t.steadyTasksPerSecond() <= 200 + 1e-9, "steady " + t.steadyTasksPerSecond());
        // (0.6 s + 39 x 5 ms) / (40 x 5 ms) = 4x the whole rate without it; 1.5x even if every sleep took 20 ms
        assertTrue(t.steadyTasksPerSecond() > 1.5 * t.tasksPerSecond(), t.toString());
    }

    @Test
    void steadyRateIsNotClaimedForAFewTasks() {
        SweepProgress p = new SweepProgress(null, 5, new ResultStore(tmp), 2);
        p.begin();
        for (int i = 0; i < 5; i++) {
            p.started(null);
            p.finished(row(i));
        }
        assertEquals(5, p.throughput().tasks());
        assertTrue(Double.isNaN(p.throughput().steadyTasksPerSecond()));
    }
}
