package io.tickgrad.spark;

import io.tickgrad.backtest.sweep.SweepJob;
import io.tickgrad.backtest.sweep.SweepRunner;
import io.tickgrad.backtest.sweep.SweepTask;
import io.tickgrad.backtest.sweep.TaskResult;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import scala.collection.Iterator;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Runs a sweep's tasks as one Spark job: one partition per batch of a few consecutive tasks ({@link #batches}), so
 * Spark spreads them over every executor slot.
 * The model file and each ticks queue are shipped with {@code addFile} and each executor works on its own local copy
 * ({@link SparkFiles#get}), so queues are memory-mapped from executor-local disk. The native library is loaded, the
 * instruction set forced and one kernel thread set once per executor JVM ({@link ExecutorEngine}); each task
 * thread has its own engine. Speculation is off and {@code spark.task.cpus} is the threads of one replay (1). The
 * rows of a batch come back to the driver as the batch finishes, so an interrupted job keeps the rows already in.
 */
public final class SparkSweepRunner implements SweepRunner {
    /** Kernel threads of one replay: every replay runs on one thread. */
    static final int THREADS_PER_TASK = 1;
    /** The most sweep tasks one Spark task runs ({@link #batches}). */
    static final int MAX_BATCH = 8;

    private final JavaSparkContext spark;

    SparkSweepRunner(String master, int workers) {
        SparkConf conf = new SparkConf().setAppName("tickgrad sweep");
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[" + (workers == 0 ? "*" : Integer.toString(workers)) + "]");
        }
        conf.set("spark.speculation", "false");
        conf.set("spark.task.cpus", Integer.toString(THREADS_PER_TASK));
        conf.setIfMissing("spark.ui.enabled", "false");
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        this.spark = new JavaSparkContext(conf);
        spark.setLogLevel("WARN");
    }

    /** Wraps a context the caller owns (tests); it is stopped by {@link #close()}. */
    SparkSweepRunner(JavaSparkContext spark) {
        this.spark = spark;
    }

    @Override
    public String name() {
        return "spark (" + spark.master() + ")";
    }

    @Override
    public int slots() {
        return spark.sc().defaultParallelism();
    }

    @Override
    public void run(SweepJob job, List<SweepTask> tasks, Listener listener) {
        // ship the files; tasks see them by name
        Map<String, String> names = new HashMap<>();
        spark.addFile(job.model().toString());
        String modelName = shipName(names, job.model(), "model");
        Map<String, Path> queues = new LinkedHashMap<>();
        for (Map.Entry<String, Path> q : job.queues().entrySet()) {
            spark.addFile(q.getValue().toAbsolutePath().toString(), true);
            queues.put(q.getKey(), Path.of(shipName(names, q.getValue(), "data '" + q.getKey() + "'")));
        }
        String shipped = new SweepJob(job.name(), Path.of(modelName), queues, job.isa(), job.deadZoneBps(), job.hold(),
            job.finetuneStride()).toJson();
        List<List<SweepTask>> batches = batches(tasks, slots());
        List<String> json = new ArrayList<>();
        for (List<SweepTask> batch : batches) {
            StringBuilder b = new StringBuilder();
            for (SweepTask t : batch) {
                b.append(t.toJson()).append('\n');   // compact JSON: a task holds no raw line break
            }
            json.add(b.toString());
        }
        SparkListener progress = new SparkListener() {
            @Override
            public void onTaskStart(SparkListenerTaskStart start) {
                int i = start.taskInfo().index();
                if (i >= 0 && i < batches.size()) {
                    batches.get(i).forEach(listener::started);
                }
            }
        };
        spark.sc().addSparkListener(progress);
        try {
            RDD<String> rdd = spark.parallelize(json, json.size()).rdd();
            spark.sc().runJob(rdd, new ReplayPartition(shipped), new Collect(listener),
                ClassTag$.MODULE$.apply(String.class));
        } finally {
            spark.sc().removeSparkListener(progress);
        }
    }

    /**
     * The sweep's tasks in consecutive batches, one Spark partition (one Spark task) each: at least four batches per
     * slot while there are tasks enough, so that the slots finish together, and at most {@link #MAX_BATCH} tasks in
     * one. Fewer Spark tasks than sweep tasks because each Spark task costs a scheduling round, Java serialization
     * both ways and the JIT compilation of all of that: one sweep task per Spark task took 12 s of compilation over a
     * 224-task sweep against 8 s in batches of 8. A batch's rows come back together when it ends.
     */
    static List<List<SweepTask>> batches(List<SweepTask> tasks, int slots) {
        int per = Math.max(1, Math.min(MAX_BATCH, tasks.size() / (4 * Math.max(1, slots))));
        List<List<SweepTask>> out = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i += per) {
            out.add(List.copyOf(tasks.subList(i, Math.min(tasks.size(), i + per))));
        }
        return out;
    }

    private static String shipName(Map<String, String> names, Path p, String what) {
        String name = p.toAbsolutePath().normalize().getFileName().toString();
        String before = names.putIfAbsent(name, what);
        if (before != null) {
            throw new IllegalArgumentException("spark runner: " + what + " and " + before + " are both named '" + name
                + "'; Spark ships files by name, so give them different file or directory names");
        }
        return name;
    }

    @Override
    public void close() {
        spark.stop();
    }

    /** Runs the tasks of one partition on an executor; returns their rows, one CSV line each. */
    static final class ReplayPartition extends AbstractFunction1<Iterator<String>, String> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String job;

        ReplayPartition(String job) {
            this.job = job;
        }

        @Override
        public String apply(Iterator<String> tasks) {
            SweepJob shipped = SweepJob.fromJson(job);
            StringBuilder rows = new StringBuilder();
            while (tasks.hasNext()) {
                for (String line : tasks.next().split("\n")) {
                    if (!line.isEmpty()) {
                        TaskResult r = ExecutorEngine.run(shipped, SweepTask.fromJson(line), SparkFiles::get);
                        rows.append(r.toCsvLine()).append('\n');
                    }
                }
            }
            return rows.toString();
        }
    }

    /** On the driver: hands each partition's rows to the listener as it arrives. */
    static final class Collect extends AbstractFunction2<Object, String, BoxedUnit> {
        private final Listener listener;

        Collect(Listener listener) {
            this.listener = listener;
        }

        @Override
        public BoxedUnit apply(Object partition, String rows) {
            for (String line : rows.split("\n")) {
                if (!line.isEmpty()) {
                    TaskResult r = TaskResult.fromCsvLine(line);
                    if (r == null) {
                        throw new IllegalStateException("spark runner: partition " + partition + " sent a malformed "
                            + "row: " + line);
                    }
                    listener.finished(r);
                }
            }
            return BoxedUnit.UNIT;
        }
    }
}
