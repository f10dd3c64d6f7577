package io.tickgrad.util;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one line of CSV (RFC 4180 fields: commas, double-quoted fields with {@code ""} escapes) into its fields,
 * or of the same with tabs or semicolons between fields (R's {@code write.table}, spreadsheets in locales with a
 * decimal comma): {@link #delimiterOf} tells which from a header line. Stateless; any thread. Cold path: allocates
 * the list and its strings.
 */
public final class CsvFields {
    private CsvFields() {
    }

    /**
     * The fields of {@code line} between commas; a quoted field left open runs to the end of the line.
     *
     * @param line one line of the file, without its line end
     * @return the fields, unquoted
     */
    public static List<String> split(String line) {
        return split(line, ',');
    }

    /**
     * The fields of {@code line} between {@code delimiter}s; a quoted field left open runs to the end of the line.
     *
     * @param line      one line of the file, without its line end
     * @param delimiter the character between fields: comma, tab or semicolon
     * @return the fields, unquoted
     */
    public static List<String> split(String line, char delimiter) {
        List<String> fields = new ArrayList<>();
        parse(line, delimiter, fields);
        return fields;
    }

    /**
     * The delimiter of a file whose header line is {@code header}: a comma when one stands outside quotes, else a tab,
     * else a semicolon, else a comma (a one-column file).
     *
     * @param header the file's first line
     * @return the delimiter
     */
    public static char delimiterOf(String header) {
        boolean quoted = false;
        boolean tab = false;
        boolean semicolon = false;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted) {
                if (c == ',') {
                    return ',';
                }
                tab |= c == '\t';
                semicolon |= c == ';';
            }
        }
        return tab ? '\t' : semicolon ? ';' : ',';
    }

    /**
     * The fields of {@code line}, or null when it ends inside a quoted field (a line cut short, e.g. by a writer
     * stopped in the middle of it).
     *
     * @param line one line of the file, without its line end
     * @return the fields between commas, unquoted, or null
     */
    public static List<String> splitComplete(String line) {
        List<String> fields = new ArrayList<>();
        return parse(line, ',', fields) ? fields : null;
    }

    /** Adds the fields of {@code line} to {@code out}; returns false when the line ends inside quotes. */
    private static boolean parse(String line, char delimiter, List<String> out) {
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == delimiter) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return !quoted;
    }
}
