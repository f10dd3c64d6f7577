package io.tickgrad.model.keras;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model file that cannot be imported: malformed, inconsistent, or using a feature tickgrad does not support.
 * The message names the file, the field (a JSON path, a layer or a weight) and what was expected versus found.
 */
public final class ModelImportException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    /** The field at fault (serialised with the exception). */
    private final String field;

    /**
     * A refusal with a message {@code <file>: <field>: <problem>}.
     *
     * @param file    the file at fault
     * @param field   the field at fault, a JSON path or a layer or weight name
     * @param problem what was found and what was expected
     */
    public ModelImportException(Path file, String field, String problem) {
        super(file + ": " + field + ": " + problem);
        this.file = file;
        this.field = field;
    }

    /**
     * As {@link #ModelImportException(Path, String, String)}, with the underlying cause.
     *
     * @param file    the file at fault
     * @param field   the field at fault
     * @param problem what was found and what was expected
     * @param cause   the underlying error
     */
    public ModelImportException(Path file, String field, String problem, Throwable cause) {
        super(file + ": " + field + ": " + problem, cause);
        this.file = file;
        this.field = field;
    }

    /**
     * The file at fault (model.json or a weight shard).
     *
     * @return the path (not serialised: null after deserialisation)
     */
    public Path file() {
        return file;
    }

    /**
     * The field at fault, as a JSON path with the layer or weight name where there is one.
     *
     * @return the field
     */
    public String field() {
        return field;
    }
}
