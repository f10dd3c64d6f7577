package io.tickgrad.io;

/**
 * An append to a queue failed: the disk is full, the file system went read-only, or the mapped file could not be
 * grown. Chronicle reports these as anything from an {@code IOException} to a JVM {@code InternalError} (a fault in
 * an unsafe memory access on a full tmpfs); this one exception names the queue and the cause in one line. Every
 * record appended before it is in the queue.
 */
public final class QueueWriteException extends RuntimeException {
    QueueWriteException(String queue, long appended, Throwable cause) {
        super("queue " + queue + ": append failed after " + appended + " records: " + describe(cause), cause);
    }

    QueueWriteException(String queue, long appended, String cause) {
        super("queue " + queue + ": append failed after " + appended + " records: " + cause);
    }

    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        String what = m == null ? root.getClass().getSimpleName() : m;
        if (t instanceof InternalError || (m != null && m.toLowerCase(java.util.Locale.ROOT).contains("no space"))) {
            return what + " (is the disk full?)";
        }
        return what;
    }
}
