package io.tickgrad.tabular;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A standardised numeric column, x' = (x - mean) / scale, with the training mean imputed for a missing value
 * (x' = 0). When the training rows had missing values an indicator float follows (1 = was missing), so the
 * network can tell an imputed value from a real one; a column that had none gets no indicator, and a missing
 * value later is still imputed. Text that is not a number is refused, naming the line and the column.
 */
public final class NumericColumn implements ColumnEncoder {
    private final String name;
    private final double mean;
    private final double scale;
    private final boolean indicator;

    /**
     * A fitted numeric column.
     *
     * @param name      the header name
     * @param mean      the training mean, imputed for a missing cell; finite
     * @param scale     the training standard deviation (1 for a constant column); finite and &gt; 0
     * @param indicator whether a missing-value indicator float follows
     * @throws IllegalArgumentException when mean or scale is out of range
     */
    public NumericColumn(String name, double mean, double scale, boolean indicator) {
        if (!Double.isFinite(mean) || !(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("column '" + name + "': mean must be finite and scale finite and > 0, got "
                + mean + " and " + scale);
        }
        this.name = name;
        this.mean = mean;
        this.scale = scale;
        this.indicator = indicator;
    }

    /** Fits mean and standard deviation on the non-missing cells of {@code rows} of the table. */
    static NumericColumn fit(CsvTable table, int column, int[] rows) {
        String name = table.header().get(column);
        double sum = 0;
        long n = 0;
        boolean missing = false;
        double[] values = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            String cell = table.cell(rows[i], column);
            if (MissingValues.isMissing(cell)) {
                missing = true;
                values[i] = Double.NaN;
                continue;
            }
            double v = parse(cell, table.source(), table.line(rows[i]), name);
            values[i] = v;
            sum += v;
            n++;
        }
        if (n == 0) {
            throw new TabularDataException(table.source(), 0, name,
                "has no values in the training rows; leave it out (--ignore) or fill it");
        }
        double mean = sum / n;
        double ss = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                ss += (v - mean) * (v - mean);
            }
        }
        double sd = Math.sqrt(ss / n);
        return new NumericColumn(name, mean, sd > 1e-12 ? sd : 1.0, missing);
    }

    static double parse(String cell, String source, int line, String column) {
        String s = cell.trim();
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new TabularDataException(source, line, column, "expected a number, found '" + s
                + "' (the column is numeric; mark a missing value as empty or NA, or declare the column categorical)");
        }
        if (!Double.isFinite(v)) {
            throw new TabularDataException(source, line, column, "expected a finite number, found '" + s + "'");
        }
        return v;
    }

    static NumericColumn fromJson(JsonNode n) {
        return new NumericColumn(n.get("name").asText(), n.get("mean").asDouble(Double.NaN),
            n.get("scale").asDouble(Double.NaN), n.path("missing_indicator").asBoolean(false));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ColumnKind kind() {
        return ColumnKind.NUMERIC;
    }

    /**
     * The training mean, in the column's units.
     *
     * @return the mean
     */
    public double mean() {
        return mean;
    }

    /**
     * The training standard deviation, in the column's units.
     *
     * @return the scale
     */
    public double scale() {
        return scale;
    }

    /**
     * Whether a missing-value indicator follows the value.
     *
     * @return the flag
     */
    public boolean hasIndicator() {
        return indicator;
    }

    @Override
    public int width() {
        return indicator ? 2 : 1;
    }

    @Override
    public List<String> featureNames() {
        return indicator ? List.of(name, name + "=missing") : List.of(name);
    }

    @Override
    public void encode(String cell, float[] out, int offset, String source, int line, TableWarnings warnings) {
        boolean missing = MissingValues.isMissing(cell);
        out[offset] = missing ? 0f : (float) ((parse(cell, source, line, name) - mean) / scale);
        if (indicator) {
            out[offset + 1] = missing ? 1f : 0f;
        }
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("name", name);
        n.put("kind", kind().jsonName());
        n.put("mean", mean);
        n.put("scale", scale);
        n.put("missing_indicator", indicator);
        return n;
    }
}
