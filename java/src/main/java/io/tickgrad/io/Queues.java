package io.tickgrad.io;

import io.tickgrad.JvmFlags;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/**
 * Opens the Chronicle queues tickgrad uses: one directory per queue, fixed-size binary records as raw bytes.
 * Writers open with {@link #open} (creating the queue); readers with {@link #openReadOnly}, which never creates,
 * grows or touches a file in the directory and refuses a directory that is not a Chronicle queue, naming the file.
 */
public final class Queues {
    /** The suffix of a Chronicle queue's data files (one per roll cycle). */
    public static final String DATA_SUFFIX = ".cq4";
    private static final byte[] HEADER_TAG = "header".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STORE_TAG = "SCQStore".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WRITE_POSITION_TAG = "writePosition".getBytes(StandardCharsets.US_ASCII);

    static {
        // no usage reporting from a trading process; the launcher sets it too, this covers embedded use
        if (System.getProperty("chronicle.analytics.disable") == null) {
            System.setProperty("chronicle.analytics.disable", "true");
        }
    }

    /** Set in a document's header word while its writer has not finished it. */
    private static final int NOT_COMPLETE = 0x80000000;
    /** The header word that ends a data file (a roll to the next cycle): not-complete and meta-data, length 0. */
    private static final int END_OF_DATA = 0xC0000000;
    /** How far past a zero header word a reader looks for the bytes of a document never finished. */
    private static final int UNFINISHED_SCAN_BYTES = 4096;
    /** The bits of a header word that hold the document's length. */
    private static final int LENGTH_MASK = 0x3fffffff;

    private Queues() {
    }

    /**
     * Opens (creating if needed) the queue in {@code dir} for writing. Cold path.
     *
     * @param dir the queue directory
     * @return the queue; the caller closes it
     * @throws IllegalArgumentException when {@code dir} is a file
     * @throws IllegalStateException    when Chronicle cannot open it
     */
    public static ChronicleQueue open(Path dir) {
        JvmFlags.requireQueues();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": is a file; expected a queue directory");
        }
        if (Files.isDirectory(dir)) {
            checkDataFiles(dir);
        }
        try {
            ChronicleQueue queue = SingleChronicleQueueBuilder.single(dir.toFile()).build();
            DiskReservation.reserveWhole(dir.resolve("metadata.cq4t").toFile());
            return queue;
        } catch (RuntimeException | InternalError e) {
            throw new IllegalStateException(dir + ": cannot open the Chronicle queue: " + e.getMessage(), e);
        }
    }

    /**
     * Opens the existing queue in {@code dir} read-only: no file is created, grown or written. Refuses a directory
     * that does not exist, holds no queue data file, or holds a data file that is not a Chronicle queue file
     * (zeroed, random, or cut before its header), naming it. Cold path.
     *
     * @param dir the queue directory
     * @return the queue, read-only; the caller closes it
     * @throws IllegalArgumentException naming the directory or file at fault
     * @throws IllegalStateException    when Chronicle cannot open it
     */
    public static ChronicleQueue openReadOnly(Path dir) {
        JvmFlags.requireQueues();
        if (!Files.exists(dir)) {
            throw new IllegalArgumentException(dir + ": no such queue directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": is a file; expected a queue directory");
        }
        List<Path> files = checkDataFiles(dir);
        if (files.isEmpty() && !Files.isRegularFile(dir.resolve("metadata.cq4t"))) {
            throw new IllegalArgumentException(dir + ": holds no queue (no *" + DATA_SUFFIX + " data file, no "
                + "metadata.cq4t); expected a Chronicle queue written by tickgrad record or serve");
        }
        try {
            return SingleChronicleQueueBuilder.single(dir.toFile()).readOnly(true).build();
        } catch (RuntimeException | InternalError e) {
            throw new IllegalStateException(dir + ": cannot open the Chronicle queue read-only: " + e.getMessage(), e);
        }
    }

    /**
     * Opens an existing queue for reading; refuses a directory that does not exist. Same as {@link #openReadOnly}.
     *
     * @param dir the queue directory
     * @return the queue, read-only; the caller closes it
     * @throws IllegalArgumentException naming the directory or file at fault
     * @throws IllegalStateException    when Chronicle cannot open it
     */
    public static ChronicleQueue openExisting(Path dir) {
        return openReadOnly(dir);
    }

    /** The data files of the queue in {@code dir}, each checked to start with a Chronicle queue header. */
    static List<Path> checkDataFiles(Path dir) {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().endsWith(DATA_SUFFIX)).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new IllegalArgumentException(dir + ": cannot list the queue directory: " + e.getMessage());
        }
        for (Path f : files) {
            checkHeader(f);
        }
        return files;
    }

    private static void checkHeader(Path file) {
        byte[] head = new byte[512];
        int n;
        long size;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
            size = Files.size(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the queue file: " + e.getMessage());
        }
        if (n < 32 || indexOf(head, HEADER_TAG, 32) < 0 || indexOf(head, STORE_TAG, 32) < 0) {
            boolean zeros = true;
            for (int i = 0; i < n; i++) {
                zeros &= head[i] == 0;
            }
            String found = n == 0 ? "an empty file" : zeros ? "zeros" : n < 32 ? "only " + n + " bytes"
                : "other bytes";
            throw new IllegalArgumentException(file + ": not a Chronicle queue file: found " + found + " where a "
                + "queue file starts with its 'header' (SCQStore); expected a queue written by tickgrad record or "
                + "serve");
        }
        checkNotTruncated(file, head, n, size);
    }

    /**
     * Refuses a data file cut short: the store header records where the last document starts (writePosition); a
     * reader maps the file up to the document after it, and a mapped page past the end of a file faults (SIGBUS)
     * instead of failing, so the file must reach past that document's end.
     */
    private static void checkNotTruncated(Path file, byte[] head, int n, long size) {
        long writePosition = writePosition(head, n);
        if (writePosition < 0) {
            return;   // another header layout: nothing to check against
        }
        long end = writePosition + 4;
        if (size >= end) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
                ch.read(b, writePosition);
                end = writePosition + 4 + (b.getInt(0) & 0x3fffffff) + 4;
            } catch (IOException e) {
                throw new IllegalArgumentException(file + ": cannot read the queue file: " + e.getMessage());
            }
        }
        if (size < end) {
            throw new IllegalArgumentException(file + ": the queue file is truncated: " + size + " bytes, but its "
                + "header says its records run to byte " + end + "; expected the whole file as its writer left it");
        }
    }

    /**
     * Where the store header of a data file says its last document starts (writePosition), or -1 when the header
     * does not say (another layout, or no document yet).
     */
    private static long writePosition(byte[] head, int n) {
        int at = indexOf(head, WRITE_POSITION_TAG, n);
        if (at < 0) {
            return -1;
        }
        int array = -1;
        for (int i = at + WRITE_POSITION_TAG.length; i < Math.min(n, at + WRITE_POSITION_TAG.length + 16); i++) {
            if ((head[i] & 0xff) == 0x8d) {   // a long array: capacity, used, values
                array = i + 1;
                break;
            }
        }
        if (array < 0 || array + 24 > n) {
            return -1;
        }
        long writePosition = longAt(head, array + 16);
        return writePosition <= 0 || writePosition > (1L << 46) ? -1 : writePosition;
    }

    /**
     * The documents of the queue in {@code dir} that a writer began and never finished (a process killed in the middle
     * of an append): one line per data file, naming it and the byte where the unfinished document starts. A reader
     * stops before such a document, so it is never read; Chronicle's next writer reclaims it (its writer's process
     * being dead) and writes over it, so it is only ever found after the last document. Reads the files, writes
     * nothing.
     * Cold path: call it after a replay, not while a writer appends (a document in flight looks the same).
     *
     * @param dir the queue directory
     * @return one line per unfinished document, empty when none
     */
    public static List<String> incompleteDocuments(Path dir) {
        List<String> found = new ArrayList<>();
        for (Path file : checkDataFiles(dir)) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer head = ByteBuffer.allocate(512);
                int n = Math.max(0, ch.read(head, 0));
                long last = writePosition(head.array(), n);
                if (last < 0) {
                    continue;
                }
                long unfinished = unfinishedDocument(ch, last);
                if (unfinished >= 0) {
                    found.add(file + ": a record begun at byte " + unfinished + " was never finished (its writer "
                        + "stopped in the middle of an append); it is not read");
                }
            } catch (IOException e) {
                throw new IllegalArgumentException(file + ": cannot read the queue file: " + e.getMessage());
            }
        }
        return found;
    }

    /**
     * Walks the documents from {@code position} (the header's writePosition) to the end of the data; returns where an
     * unfinished document starts, or -1. A writer holding the queue's write lock fills a document first and writes its
     * header word last, so an unfinished one is either a header word marked not-complete or a zero header word with
     * bytes written after it.
     */
    private static long unfinishedDocument(FileChannel ch, long position) throws IOException {
        long size = ch.size();
        for (int step = 0; step < 1 << 16 && position + 4 <= size; step++) {
            int header = intAt(ch, position);
            if (header == END_OF_DATA) {
                return -1;
            }
            if ((header & NOT_COMPLETE) != 0) {
                return position;
            }
            if (header == 0) {
                ByteBuffer after = ByteBuffer.allocate((int) Math.min(UNFINISHED_SCAN_BYTES, size - position - 4));
                ch.read(after, position + 4);
                for (int i = 0; i < after.position(); i++) {
                    if (after.get(i) != 0) {
                        return position;
                    }
                }
                return -1;
            }
            position = (position + 4 + (header & LENGTH_MASK) + 3) & ~3L;
        }
        return -1;
    }

    private static int intAt(FileChannel ch, long position) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(b, position);
        return b.getInt(0);
    }

    private static long longAt(byte[] b, int i) {
        long v = 0;
        for (int k = 7; k >= 0; k--) {
            v = (v << 8) | (b[i + k] & 0xff);
        }
        return v;
    }

    private static int indexOf(byte[] data, byte[] tag, int limit) {
        outer:
        for (int i = 0; i + tag.length <= Math.min(limit, data.length); i++) {
            for (int j = 0; j < tag.length; j++) {
                if (data[i + j] != tag[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
