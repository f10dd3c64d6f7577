package io.tickgrad.spark;

import io.tickgrad.backtest.sweep.SweepEngine;
import io.tickgrad.backtest.sweep.SweepJob;
import io.tickgrad.backtest.sweep.SweepTask;
import io.tickgrad.backtest.sweep.TaskExecutor;
import io.tickgrad.backtest.sweep.TaskResult;
import io.tickgrad.backtest.sweep.WorkerQueues;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * What an executor JVM sets up once, in this static holder: the native library (loaded from the job jar by the
 * first task), the instruction set the driver fixed for the sweep, one kernel thread; and an engine per task
 * thread, kept for the executor's life (a few bytes of native scratch each), with the ticks queues its tasks
 * replay kept open (read-only mappings of the executor-local copies) for the same life.
 */
final class ExecutorEngine {
    private static String isa;
    private static RuntimeException initError;
    private static final ThreadLocal<Backend> ENGINE = ThreadLocal.withInitial(NativeCpuBackend::create);
    private static final ThreadLocal<WorkerQueues> QUEUES = ThreadLocal.withInitial(WorkerQueues::new);

    private ExecutorEngine() {
    }

    private static synchronized String init(String wanted) {
        if (isa == null && initError == null) {
            try {
                isa = SweepEngine.init(wanted);
            } catch (RuntimeException e) {
                initError = e;
            }
        }
        if (initError != null) {
            throw initError;
        }
        if (!isa.equals(wanted)) {
            throw new IllegalStateException("this executor runs isa " + isa + ", the sweep asks for " + wanted);
        }
        return isa;
    }

    /**
     * Runs one task on this executor; {@code local} maps a shipped file name to its executor-local copy. Never
     * throws: a failure is the task's row.
     */
    static TaskResult run(SweepJob job, SweepTask task, UnaryOperator<String> local) {
        try {
            String active = init(job.isa());
            Path model = Path.of(local.apply(job.model().toString()));
            Path queue = Path.of(local.apply(job.queue(task.data()).toString()));
            return TaskExecutor.run(task, job, model, queue, QUEUES.get(), ENGINE.get(), active);
        } catch (RuntimeException e) {
            return TaskResult.failed(task, job.isa(), e);
        }
    }
}
