package io.tickgrad.backtest.sweep;

import io.tickgrad.util.CsvFields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of results.csv: the task's parameters, the instruction set its kernels ran, its status (ok or failed,
 * with the error), and the metrics of its summary, the number of predictions and the hash of its prediction stream.
 * Every value is text exactly as written to the file, so a row read back compares equal to the row written.
 * Wall-clock figures (latency, run time) are left out: they differ from run to run, and a row must not.
 */
public record TaskResult(Map<String, String> values) {
    /** The status of a task that ran to its end. */
    public static final String OK = "ok";
    /** The status of a task that threw; its error column says what. */
    public static final String FAILED = "failed";

    /** The metric columns, in order, after the parameters, isa, status and error. */
    public static final List<String> METRICS = List.of("predictions", "labelled", "unlabelled", "up_rate",
        "accuracy", "precision", "recall", "f1", "roc_auc", "auc_std_err", "log_loss", "brier", "periods",
        "long_periods", "short_periods", "trades", "gross_pnl_bps", "cost_paid_bps", "net_pnl_bps", "hit_rate",
        "mean_net_bps", "std_net_bps", "skew_net", "kurtosis_net", "sharpe_per_period", "periods_per_year",
        "sharpe_annualised", "max_drawdown_bps", "turnover", "turnover_per_day", "exposure", "train_samples",
        "revisions", "bad_ticks", "prediction_hash");

    /** Every column of results.csv, in order. */
    public static final List<String> COLUMNS;

    static {
        List<String> c = new ArrayList<>(SweepTask.COLUMNS);
        c.add("isa");
        c.add("status");
        c.add("error");
        c.addAll(METRICS);
        COLUMNS = List.copyOf(c);
    }

    /** @param values the row, by column (copied, in order) */
    public TaskResult {
        values = new LinkedHashMap<>(values);
    }

    /**
     * @param column a column of results.csv
     * @return its value as written, "" when empty or absent
     */
    public String get(String column) {
        String v = values.get(column);
        return v == null ? "" : v;
    }

    /**
     * @param column a column of results.csv
     * @return the value as a number, NaN when empty or not a number
     */
    public double number(String column) {
        String v = get(column);
        if (v.isEmpty()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** @return the task's id */
    public String taskId() {
        return get("task_id");
    }

    /** @return whether the task ran to its end */
    public boolean ok() {
        return OK.equals(get("status"));
    }

    /**
     * @param task  the task
     * @param isa   the instruction set
     * @param error what it threw
     * @return a failed task's row: its parameters, the instruction set, and the error on one line
     */
    public static TaskResult failed(SweepTask task, String isa, Throwable error) {
        Map<String, String> m = task.parameters();
        m.put("isa", isa);
        m.put("status", FAILED);
        String msg = error.getMessage();
        m.put("error", (error.getClass().getSimpleName() + (msg == null ? "" : ": " + msg)).replaceAll("\\s+", " "));
        return new TaskResult(m);
    }

    /** @return the header line of results.csv */
    public static String header() {
        return String.join(",", COLUMNS);
    }

    /** @return the row as one CSV line (RFC 4180 quoting), columns in {@link #COLUMNS} order */
    public String toCsvLine() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < COLUMNS.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String v = get(COLUMNS.get(i));
            if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                sb.append('"').append(v.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(v);
            }
        }
        return sb.toString();
    }

    /**
     * Reads a line written by {@link #toCsvLine()}.
     *
     * @param line one line of results.csv or of a task file
     * @return the row; null when it is not a complete row
     */
    public static TaskResult fromCsvLine(String line) {
        List<String> fields = CsvFields.splitComplete(line);
        if (fields == null || fields.size() != COLUMNS.size()) {
            return null;
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            m.put(COLUMNS.get(i), fields.get(i));
        }
        return new TaskResult(m);
    }
}
