package io.tickgrad.backtest.sweep;

import java.util.List;

/**
 * Runs a sweep's tasks somewhere: on a thread pool in this process ({@link EmbeddedRunner}) or on a cluster (the
 * Spark runner of the tickgrad-spark module, found through {@link SweepRunnerFactory}). A runner only decides where
 * tasks run; each task's row comes from {@link TaskExecutor} and never depends on the runner.
 */
public interface SweepRunner extends AutoCloseable {
    /** Hears tasks start and finish; called from any thread, possibly at once. */
    interface Listener {
        /**
         * A task has started.
         *
         * @param task the task
         */
        void started(SweepTask task);

        /**
         * A task has finished.
         *
         * @param result its row (ok or failed)
         */
        void finished(TaskResult result);
    }

    /** @return a short name for messages: embedded, spark */
    String name();

    /** @return parallel task slots this runner has (for the progress line) */
    int slots();

    /**
     * Runs every task and returns when all have finished; each row goes to the listener as its task finishes.
     *
     * @param job      what every task shares
     * @param tasks    the tasks to run
     * @param listener told of each start and finish, possibly from several threads at once
     * @throws Exception when the runner itself fails (a task's own error is a failed row, not an exception)
     */
    void run(SweepJob job, List<SweepTask> tasks, Listener listener) throws Exception;

    @Override
    default void close() {
    }
}
