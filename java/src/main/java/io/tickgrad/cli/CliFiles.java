package io.tickgrad.cli;

import io.tickgrad.util.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks of the files a command names, before any work: inputs readable files, outputs writable. */
final class CliFiles {
    private CliFiles() {
    }

    /** Refuses {@code file} (given with {@code option}) unless it is an existing, readable regular file. */
    static Path requireInputFile(Path file, String option) {
        if (!Files.exists(file)) {
            Path parent = file.toAbsolutePath().getParent();
            String where = parent != null && !Files.isDirectory(parent) ? " (directory " + parent + " does not exist)"
                : "";
            throw new IllegalArgumentException(option + " " + file + ": no such file" + where + "; expected an existing file");
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(option + " " + file + ": is a directory; expected a file");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(option + " " + file + ": permission denied; expected a readable file");
        }
        return file;
    }

    /** Refuses {@code file} unless it exists (a file or a directory). */
    static Path requireExisting(Path file, String option) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(option + " " + file + ": no such file or directory; expected an existing path");
        }
        return file;
    }

    /** Refuses an output before the work that produces it: see {@link AtomicFiles#requireWritable}. */
    static Path requireOutput(Path file, String option) {
        AtomicFiles.requireWritable(file, option);
        return file;
    }
}
