package io.tickgrad.tabular;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The fitted encoding of one feature column: how many input floats it writes and how one cell becomes them.
 * Implementations are immutable once fitted.
 */
public interface ColumnEncoder {
    /**
     * The column's header name.
     *
     * @return the name
     */
    String name();

    /**
     * How the column is encoded.
     *
     * @return numeric or categorical
     */
    ColumnKind kind();

    /**
     * Floats written per row.
     *
     * @return floats per row
     */
    int width();

    /**
     * A name per written float, for reports ("Income", "Income=missing", "Home=owner").
     *
     * @return {@link #width()} names
     */
    List<String> featureNames();

    /**
     * Writes the encoding of {@code cell} to {@code out[offset, offset + width())}; {@code source} and {@code line}
     * name the row in a refusal or a warning.
     *
     * @param cell     the raw cell text
     * @param out      the encoded row
     * @param offset   index of this column's first float in {@code out}
     * @param source   the file, for messages
     * @param line     the 1-based line, for messages
     * @param warnings where tolerated problems are counted
     * @throws TabularDataException when the cell is refused
     */
    void encode(String cell, float[] out, int offset, String source, int line, TableWarnings warnings);

    /**
     * The fitted state as JSON (stored in checkpoints).
     *
     * @return a new JSON object
     */
    ObjectNode toJson();
}
