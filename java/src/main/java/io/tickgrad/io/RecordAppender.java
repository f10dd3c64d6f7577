package io.tickgrad.io;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Appends fixed-length records to a queue as raw bytes, one document each: the bytes are reserved in the
 * document and copied straight into the mapped file. Not thread-safe; one per writing thread.
 */
final class RecordAppender implements AutoCloseable {
    private final ExcerptAppender appender;
    private final UnsafeBuffer target = new UnsafeBuffer(0, 0);
    private final int length;

    RecordAppender(ExcerptAppender appender, int length) {
        this.appender = appender;
        this.length = length;
    }

    /** Copies {@code length} bytes from {@code src} at {@code offset} into a new document. Allocates nothing. */
    void append(DirectBuffer src, int offset) {
        try (DocumentContext dc = appender.writingDocument()) {
            Bytes<?> bytes = dc.wire().bytes();
            long start = bytes.writePosition();
            bytes.writeSkip(length);
            target.wrap(bytes.addressForWrite(start), length);
            target.putBytes(0, src, offset, length);
        }
    }

    /** The queue index of the last appended record. */
    long lastIndex() {
        return appender.lastIndexAppended();
    }

    @Override
    public void close() {
        appender.close();
    }
}
