package io.tickgrad.util;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files atomically: the bytes go to a temporary file beside the target ({@code .<name>.<random>.tmp}), are
 * forced to disk, and the temporary file is renamed over the target; then the directory is forced where the
 * platform allows. A reader sees the old file or the complete new one, never a part; a failure (a full disk, an
 * exception in the writer) leaves the old file untouched and removes the temporary one.
 *
 * <p>{@link #requireWritable(Path, String)} checks an output before the work that produces it starts, so a long
 * training run is not lost to a missing directory.
 *
 * <p>Cold path; any thread; no native memory.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes the bytes that {@code body} produces. */
    @FunctionalInterface
    public interface Body {
        /**
         * Writes the file's bytes.
         *
         * @param out the stream to the temporary file; need not be closed
         * @throws IOException when writing fails (the target is left as it was)
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes the text that {@code body} produces, as UTF-8. */
    @FunctionalInterface
    public interface TextBody {
        /**
         * Writes the file's text.
         *
         * @param out the UTF-8 writer to the temporary file; need not be closed
         * @throws IOException when writing fails (the target is left as it was)
         */
        void writeTo(Writer out) throws IOException;
    }

    /**
     * Writes {@code file} atomically with the bytes {@code body} writes to the stream it is given (buffered; the
     * body need not close it).
     *
     * @param file the destination, replaced atomically
     * @param body writes the content
     * @throws IOException naming the file; the target is left as it was
     */
    public static void write(Path file, Body body) throws IOException {
        Path target = file.toAbsolutePath();
        Path temp;
        try {
            temp = createTempSibling(target);
        } catch (IOException e) {
            throw new IOException(file + ": " + reason(e, file) + "; expected a writable file in an existing directory",
                e);
        }
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                body.writeTo(out);
                out.flush();
                channel.force(true);
            } catch (IOException e) {
                throw new IOException(file + ": cannot write (" + reason(e, temp) + "); the previous file, if any, is "
                    + "left as it was", e);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            forceDirectory(target.getParent());
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * As {@link #write(Path, Body)} for UTF-8 text.
     *
     * @param file the destination, replaced atomically
     * @param body writes the text
     * @throws IOException naming the file; the target is left as it was
     */
    public static void writeText(Path file, TextBody body) throws IOException {
        write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            body.writeTo(w);
            w.flush();
        });
    }

    /**
     * As {@link #write(Path, Body)}, throwing {@link UncheckedIOException}.
     *
     * @param file the destination, replaced atomically
     * @param body writes the content
     * @throws UncheckedIOException naming the file; the target is left as it was
     */
    public static void writeUnchecked(Path file, Body body) {
        try {
            write(file, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * As {@link #writeText(Path, TextBody)}, throwing {@link UncheckedIOException}.
     *
     * @param file the destination, replaced atomically
     * @param body writes the text
     * @throws UncheckedIOException naming the file; the target is left as it was
     */
    public static void writeTextUnchecked(Path file, TextBody body) {
        try {
            writeText(file, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * Refuses an output before work starts: its directory must exist and take a new file, and the path must not be
     * a directory. Creates and removes a temporary file beside it, so permissions, read-only mounts and quotas on
     * file creation are all caught. The message starts with {@code option} and the file.
     *
     * @param option the option that named the file, e.g. {@code "--out"}; null to name only the file
     * @param file the output the command will write
     * @throws IllegalArgumentException saying what was found and what was expected
     */
    public static void requireWritable(Path file, String option) {
        String who = (option == null ? "" : option + " ") + file;
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(who + ": is a directory; expected a file name to write");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IllegalArgumentException(who + ": directory " + parent + (Files.exists(parent)
                ? " is not a directory" : " does not exist") + "; expected an existing directory to write into");
        }
        Path temp;
        try {
            temp = createTempSibling(file.toAbsolutePath());
        } catch (IOException e) {
            throw new IllegalArgumentException(who + ": cannot create a file there (" + reason(e, file)
                + "); expected a writable directory", e);
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // a leftover empty temporary file is harmless; it is never taken for an output
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            // rename replaces it anyway where the directory is writable; refuse only what the user marked read-only
            throw new IllegalArgumentException(who + ": the existing file is read-only; expected a writable file");
        }
    }

    /** The reason of an I/O failure in words, without Java class names. */
    static String reason(IOException e, Path file) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        String m = e.getMessage();
        return m == null ? "I/O error" : m;
    }

    private static Path createTempSibling(Path target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong());
            Path temp = target.resolveSibling("." + target.getFileName() + "." + suffix + ".tmp");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 8) {
                    throw e;
                }
            }
        }
    }

    private static void forceDirectory(Path directory) {
        if (directory == null) {
            return;
        }
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // the data is on disk; only the directory entry's durability is left to the OS
        }
    }
}
