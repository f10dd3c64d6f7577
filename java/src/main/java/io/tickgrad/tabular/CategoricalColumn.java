package io.tickgrad.tabular;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A one-hot categorical column: one float per category seen in the training rows (most frequent first), and one
 * more for "missing" when the training rows had missing cells. Feeding the one-hot block to the first dense layer
 * is the same as learning an embedding of that layer's width. A category the training rows never had follows
 * the {@link UnknownCategoryPolicy}; a missing cell in a column that had none in training encodes as all zeros.
 * Cells are compared after trimming, case-sensitively.
 */
public final class CategoricalColumn implements ColumnEncoder {
    /** More distinct values than this in the training rows is refused: the column is likely an identifier. */
    public static final int MAX_LEVELS = 200;

    private final String name;
    private final List<String> levels;
    private final boolean missingLevel;
    private final UnknownCategoryPolicy unknown;
    private final Map<String, Integer> index = new HashMap<>();

    /**
     * A fitted categorical column.
     *
     * @param name         the header name
     * @param levels       the training categories, in one-hot order, at most {@link #MAX_LEVELS}
     * @param missingLevel whether a "missing" one-hot float follows the categories
     * @param unknown      what encoding does with an unseen category
     * @throws IllegalArgumentException when there is no level at all, or a category repeats
     */
    public CategoricalColumn(String name, List<String> levels, boolean missingLevel, UnknownCategoryPolicy unknown) {
        if (levels.isEmpty() && !missingLevel) {
            throw new IllegalArgumentException("column '" + name + "' has no categories");
        }
        this.name = name;
        this.levels = List.copyOf(levels);
        this.missingLevel = missingLevel;
        this.unknown = unknown;
        for (int i = 0; i < this.levels.size(); i++) {
            if (index.put(this.levels.get(i), i) != null) {
                throw new IllegalArgumentException("column '" + name + "': category '" + levels.get(i) + "' twice");
            }
        }
    }

    /** Collects the categories of {@code rows}, most frequent first (ties by name). */
    static CategoricalColumn fit(CsvTable table, int column, int[] rows, UnknownCategoryPolicy unknown) {
        String name = table.header().get(column);
        Map<String, Integer> counts = new HashMap<>();
        boolean missing = false;
        for (int r : rows) {
            String cell = table.cell(r, column);
            if (MissingValues.isMissing(cell)) {
                missing = true;
            } else {
                counts.merge(cell.trim(), 1, Integer::sum);
            }
        }
        if (counts.isEmpty()) {
            throw new TabularDataException(table.source(), 0, name,
                "has no values in the training rows; leave it out (--ignore) or fill it");
        }
        if (counts.size() > MAX_LEVELS) {
            throw new TabularDataException(table.source(), 0, name, "has " + counts.size()
                + " distinct values, more than " + MAX_LEVELS + " categories; leave it out (--ignore) if it is an "
                + "identifier, or declare it numeric (--numeric)");
        }
        List<String> levels = new ArrayList<>(counts.keySet());
        levels.sort((a, b) -> counts.get(a).equals(counts.get(b)) ? a.compareTo(b) : counts.get(b) - counts.get(a));
        return new CategoricalColumn(name, levels, missing, unknown);
    }

    static CategoricalColumn fromJson(JsonNode n, UnknownCategoryPolicy unknown) {
        List<String> levels = new ArrayList<>();
        for (JsonNode l : n.get("categories")) {
            levels.add(l.asText());
        }
        return new CategoricalColumn(n.get("name").asText(), levels, n.path("missing_level").asBoolean(false), unknown);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ColumnKind kind() {
        return ColumnKind.CATEGORICAL;
    }

    /**
     * The training categories, in one-hot order.
     *
     * @return an unmodifiable list
     */
    public List<String> categories() {
        return levels;
    }

    /**
     * Whether a "missing" one-hot float follows the categories.
     *
     * @return the flag
     */
    public boolean hasMissingLevel() {
        return missingLevel;
    }

    @Override
    public int width() {
        return levels.size() + (missingLevel ? 1 : 0);
    }

    @Override
    public List<String> featureNames() {
        List<String> names = new ArrayList<>();
        for (String l : levels) {
            names.add(name + "=" + l);
        }
        if (missingLevel) {
            names.add(name + "=missing");
        }
        return names;
    }

    @Override
    public void encode(String cell, float[] out, int offset, String source, int line, TableWarnings warnings) {
        java.util.Arrays.fill(out, offset, offset + width(), 0f);
        if (MissingValues.isMissing(cell)) {
            if (missingLevel) {
                out[offset + levels.size()] = 1f;
            }
            return;
        }
        String value = cell.trim();
        Integer i = index.get(value);
        if (i != null) {
            out[offset + i] = 1f;
            return;
        }
        String problem = "unknown category '" + value + "' (training had " + levels + ")";
        if (unknown == UnknownCategoryPolicy.ERROR) {
            throw new TabularDataException(source, line, name, problem
                + "; policy error (use the ignore policy to score it with this column all zeros)");
        }
        warnings.add(source, line, name, problem + "; encoded as all zeros");
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("name", name);
        n.put("kind", kind().jsonName());
        ArrayNode a = n.putArray("categories");
        levels.forEach(a::add);
        n.put("missing_level", missingLevel);
        return n;
    }
}
