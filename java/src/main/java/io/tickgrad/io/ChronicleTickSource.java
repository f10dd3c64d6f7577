package io.tickgrad.io;

import io.tickgrad.market.PredictionDescriptor;
import io.tickgrad.market.Tick;
import io.tickgrad.market.TickDescriptor;
import io.tickgrad.market.TickHandler;
import io.tickgrad.market.TickSource;
import java.nio.file.Path;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Tails a ticks queue from its start, reading each tick in place through a {@link Tick} flyweight.
 *
 * <p>The queue is opened read-only; {@link #close()} closes it. Polled from one thread (an agent's duty cycle); each
 * tick is valid only during the handler's call.
 */
public final class ChronicleTickSource implements TickSource {
    private final ChronicleQueue queue;
    private final boolean ownsQueue;
    private final RecordTailer tailer;
    private final Tick tick = new Tick();
    private TickHandler current;
    private final RecordTailer.RecordHandler dispatch = this::dispatch;

    private ChronicleTickSource(ChronicleQueue queue, boolean ownsQueue, ExcerptTailer tailer) {
        this.queue = queue;
        this.ownsQueue = ownsQueue;
        this.tailer = new RecordTailer(tailer, TickDescriptor.LENGTH);
    }

    private ChronicleTickSource(ChronicleQueue queue, boolean ownsQueue) {
        this(queue, ownsQueue, queue.createTailer().toStart());
    }

    /**
     * Opens the existing queue in {@code dir} and tails it from the first tick.
     *
     * @param dir the queue directory
     * @return the source, read-only; the caller closes it
     * @throws IllegalArgumentException naming the directory when it holds no queue
     * @throws IllegalStateException    when Chronicle cannot open it
     */
    public static ChronicleTickSource open(Path dir) {
        return new ChronicleTickSource(Queues.openExisting(dir), true);
    }

    /**
     * Opens the existing queue in {@code dir} and tails it from the tick at {@code index} (a {@link Tick#sourceIndex()}
     * seen earlier, e.g. by a checkpoint), or from the start when {@code index} is {@link Tick#NO_SOURCE_INDEX}.
     *
     * @param dir   the queue directory
     * @param index the Chronicle index to start at, or {@link Tick#NO_SOURCE_INDEX}
     * @return the source, read-only; the caller closes it
     * @throws IllegalArgumentException naming the queue and the index when the queue does not hold it (a queue
     *                                  recreated, or its old cycles deleted)
     */
    public static ChronicleTickSource openAt(Path dir, long index) {
        ChronicleQueue queue = Queues.openExisting(dir);
        ExcerptTailer tailer = queue.createTailer();
        if (index == Tick.NO_SOURCE_INDEX) {
            tailer.toStart();
        } else if (!tailer.moveToIndex(index)) {
            tailer.close();
            queue.close();
            throw new IllegalArgumentException(dir + ": the ticks queue does not hold index " + Long.toHexString(index)
                + " (0x..., from a checkpoint's resume index): was the queue replaced or its old files removed?");
        }
        // positioned on this thread, polled on the inference thread: hand it over explicitly
        tailer.singleThreadedCheckReset();
        return new ChronicleTickSource(queue, true, tailer);
    }

    /** Tails a queue the caller opened (and closes). Package-private: Chronicle types stay in this package. */
    static ChronicleTickSource on(ChronicleQueue queue) {
        return new ChronicleTickSource(queue, false);
    }

    /**
     * Moves back to the first tick, so that one open source replays its queue again: the queue's files stay mapped
     * (a sweep's worker replays the same queue task after task without mapping and faulting its pages in anew).
     * Polled and rewound from one thread.
     *
     * @return this source
     */
    public ChronicleTickSource rewind() {
        tailer.toStart();
        return this;
    }

    @Override
    public int poll(TickHandler handler, int limit) {
        current = handler;
        return tailer.poll(dispatch, limit);
    }

    private void dispatch(UnsafeBuffer buffer, long index) {
        current.onTick(tick.wrap(buffer, 0).sourceIndex(index));
    }

    /**
     * Documents that were not ticks (wrong length), skipped.
     *
     * @return the count
     */
    public long foreignDocuments() {
        return tailer.foreignDocuments();
    }

    /**
     * What the skipped documents were, for a message: none, predictions records (the predictions queue passed as a
     * ticks queue), or records of another length.
     *
     * @return the description
     */
    public String describeForeignDocuments() {
        long n = tailer.foreignDocuments();
        if (n == 0) {
            return "no other records";
        }
        long len = tailer.foreignLength();
        return n + (len == PredictionDescriptor.LENGTH ? " prediction records (" + len + " bytes: is this a "
            + "predictions queue?)" : " records of " + len + " bytes (a tick is " + TickDescriptor.LENGTH + ")");
    }

    @Override
    public void close() {
        tailer.close();
        if (ownsQueue) {
            queue.close();
        }
    }
}
