package io.tickgrad.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.regex.Pattern;

/**
 * Turns any failure into the one line the CLI prints after {@code tickgrad <command>: }: the file or option, what
 * was found and what was expected, without Java class names.
 */
final class CliErrors {
    /** "java.io.IOException: ", "io.tickgrad.model.CheckpointFormatException: " and the like, at the start. */
    private static final Pattern CLASS_PREFIX = Pattern.compile(
        "^(?:(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)(?::\\s*|$))+");

    private CliErrors() {
    }

    /** One line describing {@code t}. */
    static String describe(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof OutOfMemoryError) {
            return "out of memory (" + clean(e.getMessage(), "heap") + "); expected inputs whose sizes fit this "
                + "JVM's memory (raise -Xmx, or use smaller --batch or layer sizes)";
        }
        if (e instanceof StackOverflowError) {
            return "stack overflow; expected an input nested less deeply";
        }
        if (e instanceof InternalError || e instanceof VirtualMachineError) {
            return "internal error in the JVM (" + clean(e.getMessage(), e.getClass().getSimpleName())
                + "); the command stopped, nothing was written";
        }
        if (e instanceof NoSuchFileException nsf) {
            return file(nsf) + ": no such file or directory; expected an existing path";
        }
        if (e instanceof AccessDeniedException ade) {
            return file(ade) + ": permission denied; expected a file this user may access";
        }
        if (e instanceof NotDirectoryException nde) {
            return file(nde) + ": not a directory; expected a directory";
        }
        if (e instanceof FileAlreadyExistsException fae) {
            return file(fae) + ": already exists";
        }
        if (e instanceof DirectoryNotEmptyException dne) {
            return file(dne) + ": directory not empty";
        }
        if (e instanceof FileSystemException fse) {
            String reason = fse.getReason() == null ? "I/O error" : fse.getReason();
            if (reason.equalsIgnoreCase("Is a directory")) {
                return file(fse) + ": is a directory; expected a file";
            }
            return file(fse) + ": " + reason;
        }
        if (e instanceof CharacterCodingException) {
            return "expected UTF-8 text, found an invalid byte sequence";
        }
        String msg = e.getMessage();
        if (msg == null || msg.isBlank()) {
            return "internal error (" + e.getClass().getSimpleName() + "); rerun with --stacktrace and report it";
        }
        String line = clean(msg, e.getClass().getSimpleName());
        if (line.equalsIgnoreCase("Is a directory")) {
            return "a path is a directory; expected a file";
        }
        return line;
    }

    /** True when {@code t} is a usage error: an option refused by the command. */
    static boolean isUsageError(Throwable t) {
        return unwrap(t) instanceof OptionException;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        for (int i = 0; i < 8; i++) {
            Throwable c = e.getCause();
            boolean wrapper = (e instanceof UncheckedIOException
                || e instanceof java.util.concurrent.ExecutionException
                || e instanceof java.util.concurrent.CompletionException
                || e instanceof java.lang.reflect.InvocationTargetException)
                && c != null;
            // a wrapper that only repeats its cause's message adds nothing
            if (!wrapper && e instanceof RuntimeException && c != null && e.getMessage() != null
                && c.getMessage() != null && e.getMessage().endsWith(c.toString())) {
                wrapper = true;
            }
            if (!wrapper) {
                break;
            }
            if (e instanceof UncheckedIOException && e.getMessage() != null && !(c instanceof FileSystemException)
                && e.getMessage().length() > (c.getMessage() == null ? 0 : c.getMessage().length())) {
                // the wrapper's message carries more (the file) than its cause's
                break;
            }
            e = c;
        }
        return e;
    }

    private static String file(FileSystemException e) {
        return e.getOtherFile() == null ? String.valueOf(e.getFile()) : e.getFile() + " -> " + e.getOtherFile();
    }

    private static String clean(String msg, String fallback) {
        if (msg == null || msg.isBlank()) {
            return fallback;
        }
        String s = CLASS_PREFIX.matcher(msg.strip()).replaceFirst("");
        s = s.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
        s = s.replaceAll(": Is a directory$", ": is a directory; expected a file");
        return s.isBlank() ? fallback : s;
    }
}
