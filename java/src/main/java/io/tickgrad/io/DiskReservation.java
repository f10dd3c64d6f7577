package io.tickgrad.io;

import io.tickgrad.nativeio.NativeLibrary;
import io.tickgrad.nativeio.TickgradNative;
import java.io.File;

/**
 * Keeps disk blocks reserved ahead of a queue's write position. Chronicle writes through memory-mapped, sparse
 * files: on a full disk a write to a page without blocks does not fail, it faults (SIGBUS), and the JVM reports it
 * later, anywhere, as an {@code InternalError}. Reserving the blocks first (fallocate) turns a full disk into an
 * error at a known place, before the record is written. One per appender; not thread-safe.
 */
final class DiskReservation {
    /** Bytes reserved at a time, and the headroom kept past a record's end (Chronicle's index arrays go there). */
    static final long STEP = 4L << 20;
    static final long HEADROOM = 1L << 20;
    /**
     * The least headroom when the disk is nearly full: the record, the next document header and one Chronicle index
     * array (4,096 entries of 8 bytes and its header) that may be written after it.
     */
    static final long MIN_HEADROOM = 64L << 10;
    private static final int ENOSPC = 28;
    private static final int EDQUOT = 122;

    private File file;
    private long reservedTo;
    private boolean unsupported;

    /**
     * Makes sure [position, position + length + {@link #HEADROOM}) of {@code current} has blocks. Returns 0, or the
     * errno of a full disk (ENOSPC, EDQUOT). A file system that cannot reserve is not asked again.
     */
    int ensure(File current, long position, long length) {
        if (unsupported || current == null) {
            return 0;
        }
        if (!current.equals(file)) {
            file = current;
            reservedTo = 0;
        }
        long end = position + length + HEADROOM;
        if (end <= reservedTo) {
            return 0;
        }
        NativeLibrary.ensureLoaded();
        long from = position & ~4095L;
        long to = Math.max(end, from + STEP);
        int rc = TickgradNative.tg_file_reserve(current.getPath(), from, to - from);
        if (rc == ENOSPC || rc == EDQUOT) {
            to = (position + length + MIN_HEADROOM + 4095) & ~4095L;   // nearly full: reserve only what must be
            rc = TickgradNative.tg_file_reserve(current.getPath(), from, to - from);
        }
        if (rc == 0) {
            reservedTo = to;
            return 0;
        }
        if (rc == ENOSPC || rc == EDQUOT) {
            return rc;
        }
        unsupported = true;   // EOPNOTSUPP and the like: nothing to promise, Chronicle writes as it always did
        return 0;
    }

    /** Reserves a whole small file (a queue's metadata), ignoring what cannot be reserved. */
    static void reserveWhole(File f) {
        if (f != null && f.isFile() && f.length() > 0) {
            NativeLibrary.ensureLoaded();
            TickgradNative.tg_file_reserve(f.getPath(), 0, f.length());
        }
    }
}
