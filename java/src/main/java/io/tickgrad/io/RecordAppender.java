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
    private final String queueName;
    private long appended;
    private final DiskReservation reservation = new DiskReservation();

    RecordAppender(ExcerptAppender appender, int length, String queueName) {
        this.appender = appender;
        this.length = length;
        this.queueName = queueName;
    }

    /**
     * Copies {@code length} bytes from {@code src} at {@code offset} into a new document. Allocates nothing.
     *
     * @throws QueueWriteException naming the queue when the append fails (a full disk: the records before it stay)
     */
    void append(DirectBuffer src, int offset) {
        try (DocumentContext dc = appender.writingDocument()) {
            Bytes<?> bytes = dc.wire().bytes();
            long start = bytes.writePosition();
            int full = reservation.ensure(appender.currentFile(), start, length);
            if (full != 0) {
                dc.rollbackOnClose();
                throw new QueueWriteException(queueName, appended, "no space left on the device (errno " + full
                    + "): the disk is full");
            }
            bytes.writeSkip(length);
            target.wrap(bytes.addressForWrite(start), length);
            target.putBytes(0, src, offset, length);
        } catch (QueueWriteException e) {
            throw e;
        } catch (RuntimeException | InternalError e) {
            // a full disk surfaces as an IOException wrapper or, for a mapped page that cannot be backed, a SIGBUS
            // that the JVM turns into InternalError: either way this append did not happen
            throw new QueueWriteException(queueName, appended, e);
        }
        appended++;
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
