package io.tickgrad.backtest.sweep;

import io.tickgrad.nn.Backend;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default runner: a fixed pool of worker threads in this process, one native engine (backend) and one set of
 * open ticks queues per thread, each task one replay on one thread. Spark is not needed, nor on the classpath.
 */
public final class EmbeddedRunner implements SweepRunner {
    private final int workers;

    /** @param workers worker threads; 0: one per available core */
    public EmbeddedRunner(int workers) {
        if (workers < 0) {
            throw new IllegalArgumentException("--workers must be >= 0 (0: one per core), got " + workers);
        }
        this.workers = workers == 0 ? Runtime.getRuntime().availableProcessors() : workers;
    }

    @Override
    public String name() {
        return "embedded";
    }

    @Override
    public int slots() {
        return workers;
    }

    @Override
    public void run(SweepJob job, List<SweepTask> tasks, Listener listener) throws Exception {
        List<Backend> engines = new ArrayList<>();
        List<WorkerQueues> opened = new ArrayList<>();
        ThreadLocal<Backend> engine = ThreadLocal.withInitial(() -> {
            Backend b = NativeCpuBackend.create();
            synchronized (engines) {
                engines.add(b);
            }
            return b;
        });
        ThreadLocal<WorkerQueues> queues = ThreadLocal.withInitial(() -> {
            WorkerQueues q = new WorkerQueues();
            synchronized (opened) {
                opened.add(q);
            }
            return q;
        });
        AtomicInteger ids = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "sweep-worker-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (SweepTask task : tasks) {
                futures.add(pool.submit(() -> {
                    listener.started(task);
                    listener.finished(TaskExecutor.run(task, job, job.model(), job.queue(task.data()), queues.get(),
                        engine.get(), job.isa()));
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("sweep worker failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
            synchronized (opened) {   // the workers have stopped: their queues can be closed from here
                opened.forEach(WorkerQueues::close);
            }
            synchronized (engines) {
                engines.forEach(Backend::close);
            }
        }
    }
}
