package io.tickgrad.cli;

import io.tickgrad.util.AtomicFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Numeric CSV without a header: one sample per row, comma-separated floats. Every refusal names the file, the
 * line and the column.
 */
public final class NumericCsv {
    private final float[] values;
    private final int rows;
    private final int columns;

    private NumericCsv(float[] values, int rows, int columns) {
        this.values = values;
        this.rows = rows;
        this.columns = columns;
    }

    /** @return the values, row-major: rows x columns floats (the array itself, not a copy) */
    public float[] values() {
        return values;
    }

    /** @return rows read */
    public int rows() {
        return rows;
    }

    /** @return floats per row */
    public int columns() {
        return columns;
    }

    /**
     * Reads the file; blank lines are skipped; every row must have the same number of columns.
     *
     * @param file a CSV file of numbers, no header
     * @return its values
     * @throws IllegalArgumentException naming the file (and line and column) for a missing file, a directory, a
     *                                  cell that is not a finite number, a row of another width, or no rows
     * @throws java.io.UncheckedIOException when the file cannot be read
     */
    public static NumericCsv read(Path file) {
        float[] data = new float[1024];
        int n = 0;
        int rows = 0;
        int columns = -1;
        int lineNo = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);   // a UTF-8 byte-order mark, as spreadsheet exports write it
                }
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (columns < 0) {
                    columns = cells.length;
                } else if (cells.length != columns) {
                    throw new IllegalArgumentException(file + ": line " + lineNo + " has " + cells.length
                        + " columns, expected " + columns + " like the first row");
                }
                for (int c = 0; c < cells.length; c++) {
                    String cell = cells[c].trim();
                    float v;
                    try {
                        v = Float.parseFloat(cell);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(file + ": line " + lineNo + ", column " + (c + 1)
                            + ": expected a number, found '" + cell + "'"
                            + (lineNo == 1 ? " (the file must have no header row)" : ""));
                    }
                    if (!Float.isFinite(v)) {
                        throw new IllegalArgumentException(file + ": line " + lineNo + ", column " + (c + 1)
                            + ": expected a finite number, found '" + cell + "'");
                    }
                    if (n == data.length) {
                        data = java.util.Arrays.copyOf(data, data.length * 2);
                    }
                    data[n++] = v;
                }
                rows++;
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": line " + (lineNo + 1)
                + ": expected UTF-8 text, found an invalid byte sequence");
        } catch (IOException e) {
            if (java.nio.file.Files.isDirectory(file)) {
                throw new IllegalArgumentException(file + ": is a directory; expected a CSV file");
            }
            throw new UncheckedIOException(file + ": cannot read (" + e.getMessage() + "); expected a readable CSV file",
                e);
        }
        if (rows == 0) {
            throw new IllegalArgumentException(file + ": no rows; expected at least one row of numbers");
        }
        return new NumericCsv(java.util.Arrays.copyOf(data, n), rows, columns);
    }

    /**
     * Writes [rows, columns] with full float precision (shortest repr that round-trips), atomically (temporary file,
     * fsync, rename): a failure leaves any previous file as it was.
     *
     * @param file    the file to write
     * @param values  row-major, at least rows x columns floats
     * @param rows    rows to write
     * @param columns floats per row
     * @throws java.io.UncheckedIOException naming the file when it cannot be written
     */
    public static void write(Path file, float[] values, int rows, int columns) {
        AtomicFiles.writeTextUnchecked(file, out -> {
            StringBuilder sb = new StringBuilder();
            for (int r = 0; r < rows; r++) {
                sb.setLength(0);
                for (int c = 0; c < columns; c++) {
                    if (c > 0) {
                        sb.append(',');
                    }
                    sb.append(Float.toString(values[r * columns + c]));
                }
                sb.append('\n');
                out.write(sb.toString());
            }
        });
    }
}
