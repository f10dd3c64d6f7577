package io.tickgrad.tabular;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The fitted preprocessing of a table: the label and one encoder per feature column, in input order. Fitted on
 * the training rows only, stored in the checkpoint, and applied unchanged to raw rows at predict and evaluate
 * time. Columns are found by header name, so a later table may order them differently or carry extra columns.
 *
 * <p>Type inference (where {@link ColumnOptions} does not say): a column whose non-missing cells all parse as
 * numbers is numeric; one where at least {@value ColumnOptions#NUMERIC_SHARE} of them do is taken as numeric
 * with bad cells and refused, naming the first bad line; anything else is categorical.
 */
public final class TabularPreprocessor {
    private final LabelColumn label;
    private final List<ColumnEncoder> columns;
    private final UnknownCategoryPolicy unknownPolicy;
    private final int width;

    /**
     * A preprocessing already fitted (as read back from a checkpoint).
     *
     * @param label         the label column
     * @param columns       the feature columns, in input order
     * @param unknownPolicy the unseen-category policy
     */
    public TabularPreprocessor(LabelColumn label, List<ColumnEncoder> columns, UnknownCategoryPolicy unknownPolicy) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("no feature columns: every column is the label or ignored");
        }
        this.label = label;
        this.columns = List.copyOf(columns);
        this.unknownPolicy = unknownPolicy;
        int w = 0;
        for (ColumnEncoder c : columns) {
            w += c.width();
        }
        this.width = w;
    }

    /**
     * Infers the column kinds on the whole table, fits means and scales on {@code trainRows} only, and takes the
     * categories from every row (a vocabulary, so that validation rows encode like training rows).
     *
     * @param table     the whole table
     * @param label     the label column (excluded from the features)
     * @param trainRows indices of the training rows
     * @param options   kinds, ignored columns, policy
     * @return the fitted preprocessing
     * @throws TabularDataException when a column cannot be encoded
     */
    public static TabularPreprocessor fit(CsvTable table, LabelColumn label, int[] trainRows, ColumnOptions options) {
        for (String name : options.kinds().keySet()) {
            table.requireColumn(name, "declared");
        }
        for (String name : options.ignored()) {
            table.requireColumn(name, "ignored");
        }
        int[] allRows = new int[table.rowCount()];
        for (int r = 0; r < allRows.length; r++) {
            allRows[r] = r;
        }
        List<ColumnEncoder> encoders = new ArrayList<>();
        for (int c = 0; c < table.columnCount(); c++) {
            String name = table.header().get(c);
            if (name.equals(label.name()) || options.ignored().contains(name)) {
                continue;
            }
            ColumnKind kind = options.kinds().containsKey(name) ? options.kinds().get(name) : infer(table, c);
            encoders.add(kind == ColumnKind.NUMERIC ? NumericColumn.fit(table, c, trainRows)
                : CategoricalColumn.fit(table, c, allRows, options.unknownPolicy()));
        }
        return new TabularPreprocessor(label, encoders, options.unknownPolicy());
    }

    /** Numeric when the non-missing cells parse as numbers; refuses a mostly numeric column with text in it. */
    static ColumnKind infer(CsvTable table, int column) {
        long present = 0;
        long numeric = 0;
        int firstBad = -1;
        for (int r = 0; r < table.rowCount(); r++) {
            String cell = table.cell(r, column);
            if (MissingValues.isMissing(cell)) {
                continue;
            }
            present++;
            if (isNumber(cell)) {
                numeric++;
            } else if (firstBad < 0) {
                firstBad = r;
            }
        }
        if (present > 0 && numeric == present) {
            return ColumnKind.NUMERIC;
        }
        if (present > 0 && numeric >= ColumnOptions.NUMERIC_SHARE * present) {
            throw new TabularDataException(table.source(), table.line(firstBad), table.header().get(column),
                "expected a number, found '" + table.cell(firstBad, column).trim() + "' (" + numeric + " of " + present
                    + " values in this column are numbers, " + (present - numeric) + " are not); fix or blank the cell, "
                    + "or declare the column categorical");
        }
        return ColumnKind.CATEGORICAL;
    }

    private static boolean isNumber(String cell) {
        try {
            return Double.isFinite(Double.parseDouble(cell.trim()));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Encodes every row of {@code table} into [rows, width()] floats. Refusals name the line and the column;
     * tolerated problems go to {@code warnings}.
     *
     * @param table    the rows to encode
     * @param warnings where tolerated problems are counted
     * @return a new array, rows x width floats, row-major
     */
    public float[] encode(CsvTable table, TableWarnings warnings) {
        int[] index = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            String name = columns.get(i).name();
            index[i] = table.columnIndex(name);
            if (index[i] < 0) {
                throw new TabularDataException(table.source(), 0, name, "no such column in the header, and the model "
                    + "was trained with it; the columns are " + table.header());
            }
        }
        float[] x = new float[table.rowCount() * width];
        for (int r = 0; r < table.rowCount(); r++) {
            int offset = r * width;
            for (int i = 0; i < columns.size(); i++) {
                ColumnEncoder e = columns.get(i);
                e.encode(table.cell(r, index[i]), x, offset, table.source(), table.line(r), warnings);
                offset += e.width();
            }
        }
        return x;
    }

    /**
     * The label targets (1 positive, 0 negative) of every row.
     *
     * @param table rows with the label column
     * @return a new array, one target per row
     */
    public float[] targets(CsvTable table) {
        return label.targets(table);
    }

    /**
     * This preprocessing with another label (fine-tuning on a related table whose label differs).
     *
     * @param newLabel the other label
     * @return a new preprocessing with the same columns
     */
    public TabularPreprocessor withLabel(LabelColumn newLabel) {
        return new TabularPreprocessor(newLabel, columns, unknownPolicy);
    }

    /**
     * The label column.
     *
     * @return the label
     */
    public LabelColumn label() {
        return label;
    }

    /**
     * The feature columns, in input order.
     *
     * @return an unmodifiable list
     */
    public List<ColumnEncoder> columns() {
        return columns;
    }

    /**
     * What encoding does with an unseen category.
     *
     * @return the policy
     */
    public UnknownCategoryPolicy unknownPolicy() {
        return unknownPolicy;
    }

    /**
     * Input floats per row.
     *
     * @return the network's input width
     */
    public int width() {
        return width;
    }

    /**
     * A name per input float.
     *
     * @return {@link #width()} names
     */
    public List<String> featureNames() {
        List<String> names = new ArrayList<>(width);
        for (ColumnEncoder c : columns) {
            names.addAll(c.featureNames());
        }
        return names;
    }

    ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.set("label", label.toJson());
        n.put("unknown_category", unknownPolicy.name().toLowerCase(java.util.Locale.ROOT));
        ArrayNode a = n.putArray("columns");
        for (ColumnEncoder c : columns) {
            a.add(c.toJson());
        }
        return n;
    }

    static TabularPreprocessor fromJson(JsonNode n) {
        UnknownCategoryPolicy policy = UnknownCategoryPolicy.parse(n.path("unknown_category").asText("ignore"));
        List<ColumnEncoder> cols = new ArrayList<>();
        for (JsonNode c : n.get("columns")) {
            ColumnKind kind = ColumnKind.fromJsonName(c.get("kind").asText());
            cols.add(kind == ColumnKind.NUMERIC ? NumericColumn.fromJson(c) : CategoricalColumn.fromJson(c, policy));
        }
        return new TabularPreprocessor(LabelColumn.fromJson(n.get("label")), cols, policy);
    }
}
