package io.tickgrad.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickgrad.nn.Backend;
import io.tickgrad.tabular.BinaryEvaluation;
import io.tickgrad.tabular.CsvTable;
import io.tickgrad.tabular.TableWarnings;
import io.tickgrad.tabular.TabularModel;
import io.tickgrad.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** predict and evaluate for tabular checkpoints: raw CSV rows with a header in, scores or metrics out. */
final class TabularRows {
    private TabularRows() {
    }

    /**
     * Writes the {@code keep} columns, then "probability,prediction" per row (prediction: the positive label value
     * or the negative one).
     */
    static void predict(Path model, Path in, Path out, List<String> keep, Backend backend) {
        CsvTable table = CsvTable.read(in);
        int[] kept = new int[keep.size()];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = table.requireColumn(keep.get(i), "--keep");
        }
        TableWarnings warnings = new TableWarnings();
        try (TabularModel m = TabularModel.load(model, backend)) {
            float[] p = m.score(table, warnings);
            String pos = csvField(m.preprocessor().label().positive());
            String neg = csvField(m.preprocessor().label().negativeName());
            double threshold = m.threshold();
            AtomicFiles.writeTextUnchecked(out, w -> {
                for (String k : keep) {
                    w.write(csvField(k));
                    w.write(',');
                }
                w.write("probability,prediction\n");
                for (int r = 0; r < p.length; r++) {
                    float v = p[r];
                    for (int k : kept) {
                        w.write(csvField(table.cell(r, k)));
                        w.write(',');
                    }
                    w.write(Float.toString(v));
                    w.write(',');
                    w.write(v >= threshold ? pos : neg);
                    w.write('\n');
                }
            });
            System.err.printf(java.util.Locale.ROOT, "tickgrad predict: %d rows -> %s (threshold %.4f)%n", p.length, out,
                m.threshold());
        }
        printWarnings("predict", warnings);
    }

    /** Prints every metric at the model's threshold (or {@code threshold} when not null). */
    static void evaluate(Path model, Path data, Double threshold, boolean json, Backend backend) throws IOException {
        CsvTable table = CsvTable.read(data);
        TableWarnings warnings = new TableWarnings();
        try (TabularModel m = TabularModel.load(model, backend)) {
            BinaryEvaluation e = m.evaluate(table, warnings, threshold != null ? threshold : m.threshold());
            if (json) {
                java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
                out.put("label", m.preprocessor().label().name());
                out.put("positive", m.preprocessor().label().positive());
                out.putAll(e.toMap());
                out.put("warnings", warnings.count());
                System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
            } else {
                System.out.println("label " + m.preprocessor().label().name() + ", positive '"
                    + m.preprocessor().label().positive() + "'");
                System.out.println(e);
            }
        }
        printWarnings("evaluate", warnings);
    }

    private static void printWarnings(String command, TableWarnings warnings) {
        for (String msg : warnings.messages()) {
            System.err.println("tickgrad " + command + ": warning: " + msg);
        }
        if (warnings.count() > warnings.messages().size()) {
            System.err.println("tickgrad " + command + ": " + (warnings.count() - warnings.messages().size())
                + " more warnings");
        }
    }

    static String csvField(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
