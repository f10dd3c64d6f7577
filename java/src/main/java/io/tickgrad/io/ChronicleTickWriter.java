package io.tickgrad.io;

import io.tickgrad.market.Tick;
import io.tickgrad.market.TickDescriptor;
import io.tickgrad.market.TickHandler;
import java.nio.file.Path;
import net.openhft.chronicle.queue.ChronicleQueue;

/**
 * Appends ticks to a ticks queue: the writing end of {@link ChronicleTickSource}. One per writing thread.
 *
 * <p>{@link #close()} closes the queue; memory-mapped files are released by Chronicle, not by the garbage collector.
 */
public final class ChronicleTickWriter implements TickHandler, AutoCloseable {
    private final ChronicleQueue queue;
    private final RecordAppender appender;
    private long appended;

    private ChronicleTickWriter(ChronicleQueue queue, String name) {
        this.queue = queue;
        this.appender = new RecordAppender(queue.createAppender(), TickDescriptor.LENGTH, name);
    }

    /**
     * Opens (creating if needed) the ticks queue in {@code dir}.
     *
     * @param dir the queue directory
     * @return the writer, one per writing thread; the caller closes it
     */
    public static ChronicleTickWriter open(Path dir) {
        return new ChronicleTickWriter(Queues.open(dir), dir.toString());
    }

    /** Appends the tick as it is (its bytes are copied). Allocates nothing. */
    @Override
    public void onTick(Tick tick) {
        appender.append(tick.buffer(), tick.offset());
        appended++;
    }

    /**
     * The sequence the next tick should carry: one past the last tick already in the queue, 0 for an empty queue
     * (so recording twice into one queue keeps sequences increasing). Cold path.
     *
     * @return the next sequence
     */
    public long nextSequence() {
        return RecordTailer.lastRecordLong(queue, TickDescriptor.LENGTH, TickDescriptor.SEQUENCE_OFFSET, -1) + 1;
    }

    /**
     * Copies the last tick already in the queue into {@code into} (which must wrap {@link TickDescriptor#LENGTH}
     * writable bytes) and returns true, or returns false for a queue without ticks. Cold path: a recorder appending
     * to a queue continues its validation from here.
     *
     * @param into a flyweight over writable scratch memory
     * @return whether the queue held a tick
     */
    public boolean lastTick(Tick into) {
        boolean[] found = {false};
        RecordTailer.lastRecord(queue, TickDescriptor.LENGTH, (buffer, index) -> {
            into.buffer().putBytes(into.offset(), buffer, 0, TickDescriptor.LENGTH);
            found[0] = true;
        });
        return found[0];
    }

    /**
     * Ticks appended by this writer.
     *
     * @return the count
     */
    public long appended() {
        return appended;
    }

    @Override
    public void close() {
        appender.close();
        queue.close();
    }
}
