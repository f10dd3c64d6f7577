package io.tickgrad.io;

import java.nio.file.Path;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads every record of a queue, whatever its length, read-only and in place: what {@code tickgrad tail} prints.
 * A record is handed over with its length, so the caller tells ticks from predictions. Not for the hot path.
 *
 * <p>Read-only; {@link #close()} closes the queue. One thread.
 */
public final class QueueRecords implements AutoCloseable {
    /** Receives one record, wrapped at offset 0 of {@code buffer} and valid only during the call. */
    @FunctionalInterface
    public interface Handler {
        /**
         * Handles one record.
         *
         * @param buffer the record's bytes from offset 0
         * @param length the record's length in bytes (80 for a tick, 96 for a prediction)
         * @param index  the record's Chronicle index
         */
        void onRecord(UnsafeBuffer buffer, int length, long index);
    }

    private final ChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);

    private QueueRecords(ChronicleQueue queue) {
        this.queue = queue;
        this.tailer = queue.createTailer().toStart();
    }

    /**
     * Opens the queue in {@code dir} read-only, from its first record.
     *
     * @param dir the queue directory
     * @return the reader; the caller closes it
     */
    public static QueueRecords open(Path dir) {
        return new QueueRecords(Queues.openReadOnly(dir));
    }

    /**
     * Hands up to {@code limit} available records to {@code handler}; returns how many.
     *
     * @param handler receives each record on this thread
     * @param limit   the most records to hand
     * @return records handed, 0 when none is available
     */
    public int poll(Handler handler, int limit) {
        int n = 0;
        while (n < limit) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return n;
                }
                Bytes<?> bytes = dc.wire().bytes();
                int length = (int) bytes.readRemaining();
                view.wrap(bytes.addressForRead(bytes.readPosition(), length), length);
                handler.onRecord(view, length, dc.index());
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        tailer.close();
        queue.close();
    }
}
