package io.tickgrad.io;

import io.tickgrad.JvmFlags;
import java.nio.file.Path;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/** Opens the Chronicle queues tickgrad uses: one directory per queue, fixed-size binary records as raw bytes. */
public final class Queues {
    static {
        // no usage reporting from a trading process; the launcher sets it too, this covers embedded use
        if (System.getProperty("chronicle.analytics.disable") == null) {
            System.setProperty("chronicle.analytics.disable", "true");
        }
    }

    private Queues() {
    }

    /** Opens (creating if needed) the queue in {@code dir}. Cold path. */
    public static ChronicleQueue open(Path dir) {
        JvmFlags.requireQueues();
        try {
            return SingleChronicleQueueBuilder.single(dir.toFile()).build();
        } catch (RuntimeException e) {
            throw new IllegalStateException(dir + ": cannot open the Chronicle queue: " + e.getMessage(), e);
        }
    }

    /** Opens an existing queue for reading; refuses a directory that does not exist. */
    public static ChronicleQueue openExisting(Path dir) {
        JvmFlags.requireQueues();
        if (!java.nio.file.Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": no such queue directory");
        }
        return open(dir);
    }
}
