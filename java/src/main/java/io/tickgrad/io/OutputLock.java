package io.tickgrad.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One owner per output: an OS file lock on {@value #FILE_NAME} inside an output directory (a predictions queue, a
 * checkpoint directory), held until {@link #close()} or the process ends in any way, {@code kill -9} included (the
 * kernel releases it). A second process asking for the same directory is refused, told the pid that holds it; so
 * is a second owner in the same process (another serving session), told that it is this process.
 *
 * <p>Any thread may acquire a lock (of two threads asking for one directory, one wins and the other is refused);
 * {@link #close()} releases it, and a second close does nothing.
 */
public final class OutputLock implements AutoCloseable {
    /** The lock file's name in the locked directory. */
    public static final String FILE_NAME = ".tickgrad.lock";
    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code dir} (created if missing) for this process. The lock is released by {@link #close()}, or by the
     * kernel when the process dies.
     *
     * @param dir  the output directory
     * @param what the output's name in messages, e.g. "--predictions"
     * @return the held lock
     * @throws IllegalStateException naming the directory and the holder's pid when another process (or another
     *                               owner in this process) holds it, or when the directory cannot be locked
     */
    public static OutputLock acquire(Path dir, String what) {
        Path file = dir.resolve(FILE_NAME);
        FileChannel ch = null;
        try {
            Files.createDirectories(dir);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                ch.close();   // held by this very process: another session of it owns the output
                throw new IllegalStateException(what + " " + dir + ": another session of this process (pid "
                    + ProcessHandle.current().pid() + ") already writes there; expected an output no other tickgrad "
                    + "session uses");
            }
            if (l == null) {
                String holder = holder(ch);
                ch.close();
                throw new IllegalStateException(what + " " + dir + ": another process already writes there (it holds "
                    + FILE_NAME + holder + "); expected an output no other tickgrad process uses");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)),
                0);
            return new OutputLock(ch, l);
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            throw new IllegalStateException(what + " " + dir + ": cannot lock " + file + ": " + e.getMessage());
        }
    }

    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            int n = ch.read(b, 0);
            String pid = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.US_ASCII).trim();
            return pid.isEmpty() ? "" : ", pid " + pid;
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        } catch (IOException ignored) {
            // the process lets go of it on exit anyway
        }
    }
}
