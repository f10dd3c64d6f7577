package io.tickgrad.tabular;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A CSV table with a header row, read as RFC 4180 describes it: comma-separated fields, fields in double quotes
 * may hold commas, line breaks and doubled quotes; CRLF or LF line ends; a UTF-8 byte-order mark is dropped.
 * Cells are kept as text (numeric parsing belongs to the column encoders). Each record remembers the line of the
 * file where it starts, so every later message can name it.
 *
 * <p>Policies: blank lines (empty or only spaces) are skipped; a record with more or fewer fields than the header (a ragged row) is
 * refused, naming its line; an unterminated quote is refused, naming the line where it opened; empty or duplicate
 * header names are refused, naming the column.
 */
public final class CsvTable {
    private final String source;
    private final List<String> header;
    private final List<String[]> rows;
    private final int[] lines;

    private CsvTable(String source, List<String> header, List<String[]> rows, int[] lines) {
        this.source = source;
        this.header = List.copyOf(header);
        this.rows = rows;
        this.lines = lines;
    }

    /**
     * Reads a UTF-8 file.
     *
     * @param file the CSV file, header first
     * @return the table, on the heap
     * @throws TabularDataException naming the file and line of a malformed row or header
     * @throws java.io.UncheckedIOException when the file cannot be read
     */
    public static CsvTable read(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(file.toString(), in);
        } catch (NoSuchFileException e) {
            throw new TabularDataException(file.toString(), 0, null, "no such file");
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses a whole CSV text; {@code source} names it in messages.
     *
     * @param source the name for messages
     * @param text   the CSV text, header first
     * @return the table
     * @throws TabularDataException naming the line of a malformed row or header
     */
    public static CsvTable parse(String source, String text) {
        try {
            return parse(source, new java.io.StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses CSV from a reader (not closed); {@code source} names it in messages.
     *
     * @param source the name for messages
     * @param in     the CSV text, header first
     * @return the table
     * @throws TabularDataException naming the line of a malformed row or header
     * @throws IOException when reading fails
     */
    public static CsvTable parse(String source, Reader in) throws IOException {
        RecordReader reader = new RecordReader(source, in);
        List<String> header = null;
        int headerLine = 0;
        List<String[]> rows = new ArrayList<>();
        List<Integer> lineList = new ArrayList<>();
        List<String> record;
        while ((record = reader.next()) != null) {
            if (record.size() == 1 && record.get(0).isBlank() && !reader.lastWasQuoted()) {
                continue;   // a blank line
            }
            if (header == null) {
                header = new ArrayList<>(record.size());
                Set<String> seen = new HashSet<>();
                for (int c = 0; c < record.size(); c++) {
                    String name = record.get(c).trim();
                    if (c == 0 && name.startsWith("\uFEFF")) {
                        name = name.substring(1).trim();
                    }
                    if (name.isEmpty()) {
                        throw new TabularDataException(source, reader.recordLine(), null,
                            "the header's column " + (c + 1) + " has no name (the first row must be the header)");
                    }
                    if (!seen.add(name)) {
                        throw new TabularDataException(source, reader.recordLine(), name,
                            "appears twice in the header");
                    }
                    header.add(name);
                }
                headerLine = reader.recordLine();
                continue;
            }
            if (record.size() != header.size()) {
                throw new TabularDataException(source, reader.recordLine(), null, "has " + record.size()
                    + " fields, the header (line " + headerLine + ") has " + header.size()
                    + "; ragged rows are refused (quote fields that contain commas)");
            }
            rows.add(record.toArray(new String[0]));
            lineList.add(reader.recordLine());
        }
        if (header == null) {
            throw new TabularDataException(source, 0, null, "empty file: expected a header row and data rows");
        }
        int[] lines = lineList.stream().mapToInt(Integer::intValue).toArray();
        return new CsvTable(source, header, rows, lines);
    }

    /**
     * A table from cells already in memory; {@code lines} are the 1-based file lines of the rows.
     *
     * @param source the name for messages
     * @param header the column names
     * @param rows   the rows, each as wide as the header
     * @param lines  one line number per row
     * @return the table
     */
    public static CsvTable of(String source, List<String> header, List<String[]> rows, int[] lines) {
        if (rows.size() != lines.length) {
            throw new IllegalArgumentException("need one line number per row");
        }
        for (int r = 0; r < rows.size(); r++) {
            if (rows.get(r).length != header.size()) {
                throw new TabularDataException(source, lines[r], null, "has " + rows.get(r).length
                    + " fields, the header has " + header.size());
            }
        }
        return new CsvTable(source, header, new ArrayList<>(rows), lines.clone());
    }

    /**
     * Where the table came from (the file name), as messages name it.
     *
     * @return the name
     */
    public String source() {
        return source;
    }

    /**
     * The column names, in file order.
     *
     * @return an unmodifiable list
     */
    public List<String> header() {
        return header;
    }

    /**
     * The number of data rows (the header excluded).
     *
     * @return rows
     */
    public int rowCount() {
        return rows.size();
    }

    /**
     * The number of columns.
     *
     * @return the header's width
     */
    public int columnCount() {
        return header.size();
    }

    /**
     * The column's index, or -1 when the header has no such name.
     *
     * @param name the header name
     * @return the index, from 0, or -1
     */
    public int columnIndex(String name) {
        return header.indexOf(name);
    }

    /**
     * The column's index; refuses a name the header lacks, listing the names it has.
     *
     * @param name the header name
     * @param role what the column is for, for the message (e.g. "label")
     * @return the index, from 0
     * @throws TabularDataException listing the header's names
     */
    public int requireColumn(String name, String role) {
        int c = header.indexOf(name);
        if (c < 0) {
            throw new TabularDataException(source, 0, name, "no such " + role + " column in the header; the columns are "
                + header);
        }
        return c;
    }

    /**
     * The raw text of a cell (not trimmed).
     *
     * @param row    the row index, from 0
     * @param column the column index, from 0
     * @return the text
     */
    public String cell(int row, int column) {
        return rows.get(row)[column];
    }

    /**
     * The 1-based line of the file where the row starts.
     *
     * @param row the row index, from 0
     * @return the line
     */
    public int line(int row) {
        return lines[row];
    }

    /**
     * The rows at {@code indices}, in that order, keeping their line numbers.
     *
     * @param indices row indices, from 0
     * @return a new table sharing the rows
     */
    public CsvTable selectRows(int[] indices) {
        List<String[]> r = new ArrayList<>(indices.length);
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            r.add(rows.get(indices[i]));
            l[i] = lines[indices[i]];
        }
        return new CsvTable(source, header, r, l);
    }

    /** Reads records field by field, tracking line numbers across quoted line breaks. */
    private static final class RecordReader {
        private final String source;
        private final Reader in;
        private int line = 1;          // the line the reader is on
        private int recordLine;        // the line where the last record started
        private boolean quotedField;
        private int pushedBack = -2;

        RecordReader(String source, Reader in) {
            this.source = source;
            this.in = in;
        }

        int recordLine() {
            return recordLine;
        }

        boolean lastWasQuoted() {
            return quotedField;
        }

        private int read() throws IOException {
            if (pushedBack != -2) {
                int c = pushedBack;
                pushedBack = -2;
                return c;
            }
            return in.read();
        }

        /** The next record's fields, or null at the end of input. */
        List<String> next() throws IOException {
            int c = read();
            if (c == -1) {
                return null;
            }
            pushedBack = c;
            recordLine = line;
            quotedField = false;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean inQuotes = false;
            boolean fieldWasQuoted = false;
            int quoteLine = 0;
            while (true) {
                c = read();
                if (inQuotes) {
                    if (c == -1) {
                        throw new TabularDataException(source, quoteLine, null,
                            "a quoted field opens here and is never closed");
                    }
                    if (c == '"') {
                        int d = read();
                        if (d == '"') {
                            field.append('"');
                        } else {
                            inQuotes = false;
                            pushedBack = d;
                        }
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        field.append((char) c);
                    }
                    continue;
                }
                if (c == -1 || c == '\n' || c == '\r') {
                    if (c == '\r') {
                        int d = read();
                        if (d != '\n') {
                            pushedBack = d;
                        }
                    }
                    fields.add(field.toString());
                    if (c != -1) {
                        line++;
                    }
                    return fields;
                }
                if (c == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                    fieldWasQuoted = false;
                } else if (c == '"' && field.length() == 0 && !fieldWasQuoted) {
                    inQuotes = true;
                    fieldWasQuoted = true;
                    quotedField = true;
                    quoteLine = line;
                } else {
                    field.append((char) c);
                }
            }
        }
    }
}
