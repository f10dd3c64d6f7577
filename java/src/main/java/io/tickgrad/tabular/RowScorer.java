package io.tickgrad.tabular;

import java.util.List;

/**
 * Scores one raw row at a time, for serving (a loan application or a payment as it arrives): the header is
 * resolved to the model's columns once, and each call reuses one input and one output buffer, so a call allocates
 * only what parsing a number does. Not thread-safe; one scorer per thread.
 */
public final class RowScorer {
    private final TabularModel model;
    private final int[] index;
    private final float[] x;
    private final float[] y = new float[1];
    private final TableWarnings warnings = new TableWarnings();
    private final String source;

    /**
     * @param model   the model (not owned)
     * @param header  the names of the cells each row will have, in order; may hold extra columns and omit the label
     * @param source  names the stream in messages
     */
    public RowScorer(TabularModel model, List<String> header, String source) {
        this.model = model;
        this.source = source;
        List<ColumnEncoder> cols = model.preprocessor().columns();
        this.index = new int[cols.size()];
        for (int i = 0; i < cols.size(); i++) {
            index[i] = header.indexOf(cols.get(i).name());
            if (index[i] < 0) {
                throw new TabularDataException(source, 0, cols.get(i).name(), "no such column in the header, and the "
                    + "model was trained with it; the columns are " + header);
            }
        }
        this.x = new float[model.preprocessor().width()];
    }

    /**
     * The probability of the positive class for one row of cells laid out as the header; {@code line} names the
     * row in a refusal or a warning.
     *
     * @param cells the row's cells, laid out as the header given at construction
     * @param line  the row's line, for messages
     * @return the probability, in [0, 1]
     * @throws TabularDataException when a cell is refused
     */
    public float score(String[] cells, int line) {
        List<ColumnEncoder> cols = model.preprocessor().columns();
        int offset = 0;
        for (int i = 0; i < index.length; i++) {
            ColumnEncoder e = cols.get(i);
            e.encode(cells[index[i]], x, offset, source, line, warnings);
            offset += e.width();
        }
        model.network().predict(x, y);
        return y[0];
    }

    /**
     * Whether a probability is at or above the model's threshold.
     *
     * @param probability a score from {@link #score}
     * @return true at or above the threshold
     */
    public boolean isPositive(float probability) {
        return probability >= model.threshold();
    }

    /**
     * Problems tolerated so far (unknown categories under the ignore policy).
     *
     * @return this scorer's warnings
     */
    public TableWarnings warnings() {
        return warnings;
    }
}
