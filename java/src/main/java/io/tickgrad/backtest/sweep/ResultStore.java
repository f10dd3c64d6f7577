package io.tickgrad.backtest.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A sweep's results on disk: one file per finished task under {@code DIR/tasks/} (header and row, written to a
 * temporary file, synced and renamed, so a task has a whole result or none), merged into {@code DIR/results.csv}
 * (also written whole and renamed) in task order. A restarted sweep reads the task files to know what is done.
 */
public final class ResultStore {
    /** The merged results, one row per task with a result, in task order. */
    public static final String RESULTS_CSV = "results.csv";
    /** The directory of the per-task result files. */
    public static final String TASKS_DIR = "tasks";

    private final Path dir;
    private final Path tasksDir;

    /**
     * @param dir the sweep's output directory; {@code dir/tasks} is created when missing
     * @throws java.io.UncheckedIOException when it cannot be created
     */
    public ResultStore(Path dir) {
        this.dir = dir;
        this.tasksDir = dir.resolve(TASKS_DIR);
        try {
            Files.createDirectories(tasksDir);
        } catch (IOException e) {
            throw new UncheckedIOException(tasksDir + ": cannot create: " + e.getMessage(), e);
        }
    }

    /** @return the results already on disk, by task id; incomplete or foreign files are ignored */
    public Map<String, TaskResult> completed() {
        Map<String, TaskResult> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(tasksDir)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                String name = f.getFileName().toString();
                if (!name.endsWith(".csv")) {
                    continue;
                }
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                if (lines.size() != 2 || !lines.get(0).equals(TaskResult.header())) {
                    continue;
                }
                TaskResult r = TaskResult.fromCsvLine(lines.get(1));
                if (r != null && name.equals(r.taskId() + ".csv")) {
                    out.put(r.taskId(), r);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(tasksDir + ": cannot read: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Stores one task's row atomically; safe to call from several threads.
     *
     * @param r the row; its task id names the file
     */
    public void put(TaskResult r) {
        write(tasksDir.resolve(r.taskId() + ".csv"), TaskResult.header() + "\n" + r.toCsvLine() + "\n");
    }

    /**
     * Writes results.csv: the rows of {@code tasks} that have a result, in task order.
     *
     * @param tasks every task of the grid, in order
     * @return the rows written
     */
    public List<TaskResult> merge(List<SweepTask> tasks) {
        Map<String, TaskResult> done = completed();
        List<TaskResult> rows = new ArrayList<>();
        StringBuilder sb = new StringBuilder(TaskResult.header()).append('\n');
        for (SweepTask t : tasks) {
            TaskResult r = done.get(t.id());
            if (r != null) {
                rows.add(r);
                sb.append(r.toCsvLine()).append('\n');
            }
        }
        write(dir.resolve(RESULTS_CSV), sb.toString());
        return rows;
    }

    /** Writes {@code text} to a temporary file beside {@code file}, syncs it and renames it over {@code file}. */
    static void write(Path file, String text) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + Thread.currentThread().getId());
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write: " + e.getMessage(), e);
        }
    }
}
