package io.tickgrad.tabular;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The binary label: which column, which value is the positive class (target 1) and which values are negative.
 *
 * <p>Policies: a label column the header lacks is refused, listing the columns; a label with one value only
 * (constant) is refused; a missing label cell is refused, naming the line. Without an explicit positive value, a
 * label with exactly two values takes 1, yes, true or y (any case) as positive when it is one of the two, and
 * otherwise the rarer value (the usual case: default, fraud); more than two values need an explicit positive
 * value, and then every other value is negative. When scoring a labelled table later, a value that is neither the
 * positive nor one of the negatives seen in training is refused, naming the line.
 */
public final class LabelColumn {
    private static final Set<String> POSITIVE_WORDS = Set.of("1", "yes", "true", "y");
    private final String name;
    private final String positive;
    private final List<String> negatives;

    /**
     * A label column already chosen (as read back from a checkpoint).
     *
     * @param name      the header name
     * @param positive  the value that is class 1
     * @param negatives the values that are class 0 (copied)
     */
    public LabelColumn(String name, String positive, List<String> negatives) {
        this.name = name;
        this.positive = positive;
        this.negatives = List.copyOf(negatives);
    }

    /**
     * Chooses the positive value of {@code column} from the table (or checks the given one).
     *
     * @param table         the training table
     * @param column        the label's header name
     * @param positiveValue the value that is class 1, or null to choose it
     * @return the label column
     * @throws TabularDataException when the column is missing, constant, has a missing cell, or needs an explicit
     *                              positive value
     */
    public static LabelColumn fit(CsvTable table, String column, String positiveValue) {
        int c = table.requireColumn(column, "label");
        Map<String, Integer> counts = new TreeMap<>();
        for (int r = 0; r < table.rowCount(); r++) {
            String cell = table.cell(r, c);
            if (MissingValues.isMissing(cell)) {
                throw new TabularDataException(table.source(), table.line(r), column,
                    "the label is missing; every training row needs one (drop the row or fill the label)");
            }
            counts.merge(cell.trim(), 1, Integer::sum);
        }
        if (counts.isEmpty()) {
            throw new TabularDataException(table.source(), 0, column, "the table has no data rows");
        }
        if (counts.size() == 1) {
            throw new TabularDataException(table.source(), 0, column, "the label is constant: every one of the "
                + table.rowCount() + " rows is '" + counts.keySet().iterator().next()
                + "'; a classifier needs both classes");
        }
        String positive;
        if (positiveValue != null) {
            positive = positiveValue.trim();
            if (!counts.containsKey(positive)) {
                throw new TabularDataException(table.source(), 0, column, "the positive value '" + positive
                    + "' never occurs; the label's values are " + counts.keySet());
            }
        } else if (counts.size() == 2) {
            positive = choosePositive(counts);
        } else {
            throw new TabularDataException(table.source(), 0, column, "the label has " + counts.size()
                + " values " + counts.keySet() + "; name the positive class (--positive VALUE) and the others are negative");
        }
        List<String> negatives = new ArrayList<>(counts.keySet());
        negatives.remove(positive);
        return new LabelColumn(column, positive, negatives);
    }

    private static String choosePositive(Map<String, Integer> counts) {
        List<String> values = new ArrayList<>(counts.keySet());
        for (String v : values) {
            if (POSITIVE_WORDS.contains(v.toLowerCase(java.util.Locale.ROOT))) {
                return v;
            }
        }
        String a = values.get(0);
        String b = values.get(1);
        return counts.get(a) < counts.get(b) ? a : b;
    }

    /**
     * 1 for the positive value, 0 for a negative one, per row.
     *
     * @param table a table with this label column
     * @return a new array, one target per row
     * @throws TabularDataException naming the line of a missing or unknown value
     */
    public float[] targets(CsvTable table) {
        int c = table.requireColumn(name, "label");
        float[] y = new float[table.rowCount()];
        for (int r = 0; r < table.rowCount(); r++) {
            String cell = table.cell(r, c);
            if (MissingValues.isMissing(cell)) {
                throw new TabularDataException(table.source(), table.line(r), name, "the label is missing");
            }
            String v = cell.trim();
            if (v.equals(positive)) {
                y[r] = 1f;
            } else if (negatives.contains(v)) {
                y[r] = 0f;
            } else {
                throw new TabularDataException(table.source(), table.line(r), name, "label value '" + v
                    + "' was not seen in training (positive '" + positive + "', negative " + negatives + ")");
            }
        }
        return y;
    }

    /**
     * The label's header name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The value that is class 1.
     *
     * @return the value
     */
    public String positive() {
        return positive;
    }

    /**
     * The values that are class 0.
     *
     * @return an unmodifiable list
     */
    public List<String> negatives() {
        return negatives;
    }

    /**
     * What a predicted negative is written as: the negative value, or "not_" + positive when there are several.
     *
     * @return the name
     */
    public String negativeName() {
        return negatives.size() == 1 ? negatives.get(0) : "not_" + positive;
    }

    ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("column", name);
        n.put("positive", positive);
        ArrayNode a = n.putArray("negatives");
        negatives.forEach(a::add);
        return n;
    }

    static LabelColumn fromJson(JsonNode n) {
        List<String> neg = new ArrayList<>();
        for (JsonNode v : n.get("negatives")) {
            neg.add(v.asText());
        }
        return new LabelColumn(n.get("column").asText(), n.get("positive").asText(), neg);
    }
}
