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
    private final String field;

    public ModelImportException(Path file, String field, String problem) {
        super(file + ": " + field + ": " + problem);
        this.file = file;
        this.field = field;
    }

    public ModelImportException(Path file, String field, String problem, Throwable cause) {
        super(file + ": " + field + ": " + problem, cause);
        this.file = file;
        this.field = field;
    }

    /** The file at fault (model.json or a weight shard). */
    public Path file() {
        return file;
    }

    /** The field at fault, as a JSON path with the layer or weight name where there is one. */
    public String field() {
        return field;
    }
}
