package io.tickgrad.model;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model or checkpoint file is malformed: its bytes do not describe a valid, complete file.
 *
 * <p>The message always names the file, the field (for example {@code tensor 'w' data_offsets})
 * and what was expected versus what was found, so a refused file can be fixed without a debugger.
 *
 * <p>It extends {@link IOException} (checked) on purpose: loading is a cold path where every caller
 * already handles I/O failure, and a corrupt file is an I/O-level problem the caller must decide
 * about (fall back to an older checkpoint, refuse to start), not a programming error. Plain I/O
 * failures (missing file, permission denied) stay ordinary {@link IOException}s.
 */
public class CheckpointFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    /** The offending field, as named in the message (serialised with the exception). */
    private final String field;

    /**
     * @param file    the file that was being read
     * @param field   the offending field, e.g. {@code "header length"} or {@code "tensor 'w' shape"}
     * @param problem what was expected and what was found
     */
    public CheckpointFormatException(Path file, String field, String problem) {
        this(file, field, problem, null);
    }

    /**
     * As {@link #CheckpointFormatException(Path, String, String)}, with the underlying cause.
     *
     * @param file    the file that was refused
     * @param field   the offending field (a metadata key, a tensor name, a header offset)
     * @param problem what was found and what was expected
     * @param cause   the underlying error
     */
    public CheckpointFormatException(Path file, String field, String problem, Throwable cause) {
        super(file + ": " + field + ": " + problem, cause);
        this.file = file;
        this.field = field;
    }

    /**
     * The file that was refused.
     *
     * @return the path as given
     */
    public Path file() {
        return file;
    }

    /**
     * The offending field, as named in the message.
     *
     * @return the field
     */
    public String field() {
        return field;
    }
}
