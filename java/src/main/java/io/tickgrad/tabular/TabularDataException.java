package io.tickgrad.tabular;

/**
 * A table that cannot be used as it is. The message always names the source, and where one cell or row is at
 * fault also the 1-based line of the file and the column, so that the row can be found and fixed.
 */
public final class TabularDataException extends IllegalArgumentException {
    /** The file (or other name) the table came from. */
    private final String source;
    /** The 1-based line, 0 when the problem is not one line. */
    private final int line;
    /** The column's name, null when the problem is not one column. */
    private final String column;

    /**
     * @param source  the file (or other name) the table came from
     * @param line    1-based line of the file, or 0 when the problem is not one line
     * @param column  the column's header name, or null when the problem is not one column
     * @param problem what is wrong and, where useful, what to do about it
     */
    public TabularDataException(String source, int line, String column, String problem) {
        super(format(source, line, column, problem));
        this.source = source;
        this.line = line;
        this.column = column;
    }

    static String format(String source, int line, String column, String problem) {
        StringBuilder sb = new StringBuilder(source).append(": ");
        if (line > 0) {
            sb.append("line ").append(line);
            sb.append(column != null ? ", " : ": ");
        }
        if (column != null) {
            sb.append("column '").append(column).append("': ");
        }
        return sb.append(problem).toString();
    }

    /**
     * The file (or other name) the table came from.
     *
     * @return the source
     */
    public String source() {
        return source;
    }

    /**
     * The 1-based line, 0 when the problem is not one line.
     *
     * @return the line
     */
    public int line() {
        return line;
    }

    /**
     * The column's name, null when the problem is not one column.
     *
     * @return the column
     */
    public String column() {
        return column;
    }
}
