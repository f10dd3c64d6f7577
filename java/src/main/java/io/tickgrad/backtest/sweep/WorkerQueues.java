package io.tickgrad.backtest.sweep;

import io.tickgrad.io.ChronicleTickSource;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The ticks queues one sweep worker has open, kept from task to task: each task replays its queue from the start
 * through the same mapped files. Opening a queue per task mapped its files anew and faulted every page in again,
 * and with two workers those page faults (and their interrupts) were part of what the second worker cost the first.
 * One thread only; the rows do not depend on it (a rewound source reads the same ticks as a new one).
 */
public final class WorkerQueues implements AutoCloseable {
    private final Map<Path, ChronicleTickSource> open = new HashMap<>();

    /** Creates a worker's set with no queue open yet. */
    public WorkerQueues() {
    }

    /**
     * The source over the queue in {@code dir}, at its first tick: opened on first use, rewound after.
     *
     * @param dir the queue directory
     * @return the source; this object closes it
     */
    public ChronicleTickSource fromStart(Path dir) {
        ChronicleTickSource source = open.get(dir);
        if (source == null) {
            source = ChronicleTickSource.open(dir);
            open.put(dir, source);
            return source;
        }
        return source.rewind();
    }

    /**
     * Closes the source over {@code dir}, if open, so that the next task opens the queue afresh (after a task failed
     * part-way through it).
     *
     * @param dir the queue directory
     */
    public void discard(Path dir) {
        ChronicleTickSource source = open.remove(dir);
        if (source != null) {
            source.close();
        }
    }

    /** Closes every queue opened. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (ChronicleTickSource s : open.values()) {
            try {
                s.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }
}
