package io.tickgrad.tabular;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The fitted encoding of one feature column: how many input floats it writes and how one cell becomes them.
 * Implementations are immutable once fitted.
 */
public interface ColumnEncoder {
    /** The column's header name. */
    String name();

    ColumnKind kind();

    /** Floats written per row. */
    int width();

    /** A name per written float, for reports ("Income", "Income=missing", "Home=owner"). */
    List<String> featureNames();

    /**
     * Writes the encoding of {@code cell} to {@code out[offset, offset + width())}; {@code source} and {@code line}
     * name the row in a refusal or a warning.
     */
    void encode(String cell, float[] out, int offset, String source, int line, TableWarnings warnings);

    /** The fitted state as JSON (stored in checkpoints). */
    ObjectNode toJson();
}
