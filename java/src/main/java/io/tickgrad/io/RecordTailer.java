package io.tickgrad.io;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads fixed-length records in place: the document's bytes are wrapped, not copied. A document of another
 * length is counted and skipped (it is not one of ours), never thrown on.
 */
final class RecordTailer implements AutoCloseable {
    /** Called with the record wrapped at offset 0 of {@code buffer}, valid only during the call. */
    interface RecordHandler {
        void onRecord(UnsafeBuffer buffer, long index);
    }

    private final ExcerptTailer tailer;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final int length;
    private long foreignDocuments;
    private long foreignLength = -1;

    RecordTailer(ExcerptTailer tailer, int length) {
        this.tailer = tailer;
        this.length = length;
    }

    /** Hands up to {@code limit} records to the handler; returns how many. Allocates nothing. */
    int poll(RecordHandler handler, int limit) {
        int n = 0;
        while (n < limit) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return n;
                }
                Bytes<?> bytes = dc.wire().bytes();
                if (bytes.readRemaining() != length) {
                    foreignDocuments++;
                    foreignLength = bytes.readRemaining();
                    continue;
                }
                view.wrap(bytes.addressForRead(bytes.readPosition(), length), length);
                handler.onRecord(view, dc.index());
                n++;
            }
        }
        return n;
    }

    /**
     * The long at byte {@code offset} of the last record of {@code length} bytes in {@code queue} (documents of
     * another length are passed over), or {@code ifNone} when there is none. Cold path.
     */
    static long lastRecordLong(ChronicleQueue queue, int length, int offset, long ifNone) {
        long[] last = {ifNone};
        lastRecord(queue, length, (buffer, index) -> last[0] = buffer.getLong(offset));
        return last[0];
    }

    /** Hands the last record of {@code length} bytes in {@code queue} to {@code handler}, if there is one. Cold path. */
    static void lastRecord(ChronicleQueue queue, int length, RecordHandler handler) {
        try (ExcerptTailer backward = queue.createTailer()) {
            backward.direction(TailerDirection.BACKWARD).toEnd();
            new RecordTailer(backward, length).poll(handler, 1);
        }
    }

    /** Documents skipped because their length was not a record's. */
    long foreignDocuments() {
        return foreignDocuments;
    }

    /** The length of the last document skipped, or -1. */
    long foreignLength() {
        return foreignLength;
    }

    ExcerptTailer tailer() {
        return tailer;
    }

    /** Moves back to the queue's first document and forgets the documents skipped so far. Cold path. */
    void toStart() {
        tailer.toStart();
        foreignDocuments = 0;
        foreignLength = -1;
    }

    @Override
    public void close() {
        tailer.close();
    }
}
