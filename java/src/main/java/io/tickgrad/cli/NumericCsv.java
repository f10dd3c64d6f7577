package io.tickgrad.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
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

    public float[] values() {
        return values;
    }

    public int rows() {
        return rows;
    }

    public int columns() {
        return columns;
    }

    /** Reads the file; blank lines are skipped; every row must have the same number of columns. */
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
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        if (rows == 0) {
            throw new IllegalArgumentException(file + ": no rows");
        }
        return new NumericCsv(java.util.Arrays.copyOf(data, n), rows, columns);
    }

    /** Writes [rows, columns] with full float precision (shortest repr that round-trips). */
    public static void write(Path file, float[] values, int rows, int columns) {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
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
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }
}
