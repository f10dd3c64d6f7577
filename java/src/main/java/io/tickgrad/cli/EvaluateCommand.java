package io.tickgrad.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickgrad.market.FeatureSpec;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.nn.Activation;
import io.tickgrad.nn.ActivationLayer;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Dense;
import io.tickgrad.nn.Layer;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.Softmax;
import io.tickgrad.tabular.TabularModel;
import io.tickgrad.train.ClassificationReport;
import io.tickgrad.train.Dataset;
import io.tickgrad.train.Fitter;
import io.tickgrad.train.RegressionReport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Classification metrics (or, for a linear output, regression metrics: RMSE, MAE, R^2, Spearman) of "
        + "a model on a labelled numeric CSV (no header); for a tabular model "
        + "(from 'tickgrad fit'), on raw rows of its CSV shape with a header, at its stored threshold.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "checkpoint (.safetensors)")
    Path model;

    @Option(names = "--data", required = true, description = "CSV: features, then the label column(s)")
    Path data;

    @Option(names = "--label-column", defaultValue = "-1",
        description = "0-based column of a class label (binary 0/1 or class index); -1 = the last; default ${DEFAULT-VALUE}")
    int labelColumn;

    @Option(names = "--label-columns", split = ",",
        description = "regression: the 0-based label columns, one per output, in output order (negative: counted "
            + "from the end); default: the last columns")
    int[] labelColumns;

    @Option(names = "--log-output", negatable = true,
        description = "regression: the model outputs the log of its forecast (a QLIKE head), so the metrics compare "
            + "exp(output) with the labels; default: as the checkpoint says (tickgrad.output or its label spec)")
    Boolean logOutput;

    @Option(names = "--threshold",
        description = "decision threshold for binary models; default 0.5, or a tabular model's stored threshold")
    Double threshold;

    @Option(names = "--json", description = "print the metrics as JSON")
    boolean json;

    @Mixin
    BackendOption backendOption;

    @Option(names = "--batch", defaultValue = "256", description = "rows per forward pass; default ${DEFAULT-VALUE}")
    int batch;

    @Override
    public Integer call() throws Exception {
        CliFiles.requireInputFile(model, "--model");
        CliFiles.requireInputFile(data, "--data");
        if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
            throw new OptionException("--threshold " + threshold, "out of range", "expected a probability in [0, 1]");
        }
        ModelBatch.requirePositive(batch, "--batch");
        if (TabularModel.isTabular(model)) {
            try (Backend backend = backendOption.create()) {
                TabularRows.evaluate(model, data, threshold, json, backend);
            }
            return 0;
        }
        NumericCsv csv = NumericCsv.read(data);
        int rowsPerPass = ModelBatch.forCheckpoint(model, batch, csv.rows(), "--batch");
        try (Backend backend = backendOption.create(); Network net = Checkpoint.load(model, backend, rowsPerPass)) {
            Layer last = net.layers().get(net.layers().size() - 1);
            LabelledCsv.LabelKind kind;
            if (net.outputs() == 1 && last instanceof ActivationLayer a && a.activation() == Activation.SIGMOID) {
                kind = LabelledCsv.LabelKind.BINARY;
            } else if (net.outputs() > 1 && last instanceof Softmax) {
                kind = LabelledCsv.LabelKind.CLASS_INDEX;
            } else if (last instanceof Dense) {
                evaluateRegression(net);
                return 0;
            } else {
                throw new IllegalArgumentException(model + ": the model's output (" + net.outputs() + " column"
                    + (net.outputs() == 1 ? "" : "s") + " after a " + last.type() + " layer) is not a probability; "
                    + "expected a sigmoid (binary) or softmax (multi-class) output for classification metrics, or a "
                    + "linear (Dense) output for regression metrics");
            }
            if (threshold != null && kind != LabelledCsv.LabelKind.BINARY) {
                throw new OptionException("--threshold " + threshold, "given for a " + net.outputs() + "-class "
                    + "model, whose prediction is the most probable class", "expected it only for a binary model");
            }
            Dataset d = LabelledCsv.toDataset(csv, data, labelColumn, net.inputs(), net.outputs(), kind);
            if (kind == LabelledCsv.LabelKind.CLASS_INDEX && net.outputs() > 2) {
                long[] counts = LabelledCsv.classCounts(d, kind);
                long beyondBinary = 0;
                for (int c = 2; c < counts.length; c++) {
                    beyondBinary += counts[c];
                }
                if (beyondBinary == 0) {
                    throw new IllegalArgumentException(data + ": every label is 0 or 1, but the model " + model
                        + " has " + net.outputs() + " classes (0.." + (net.outputs() - 1) + "); expected the model's "
                        + "class indices: binary labels need a binary model (tickgrad finetune --head binary), and "
                        + "metrics over 2 of " + net.outputs() + " classes would be misleading");
                }
            }
            ClassificationReport report = Fitter.evaluate(net, d, threshold == null ? 0.5 : threshold);
            if (json) {
                System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report.toMap()));
            } else {
                System.out.println(report);
            }
        }
        return 0;
    }

    /** RMSE, MAE, R^2 and Spearman per output of a linear-output model; each row counted as independent. */
    private void evaluateRegression(Network net) throws Exception {
        if (threshold != null) {
            throw new OptionException("--threshold " + threshold, "given for a regression model",
                "expected it only for a binary model");
        }
        NumericCsv csv = NumericCsv.read(data);
        int outputs = net.outputs();
        int[] cols = labelColumns;
        if (cols == null) {
            cols = new int[outputs];
            for (int o = 0; o < outputs; o++) {
                cols[o] = o - outputs;
            }
        }
        Dataset d = LabelledCsv.toDataset(csv, data, cols, "--label-columns", net.inputs(), outputs,
            LabelledCsv.LabelKind.VALUE);
        boolean log = logOutput != null ? logOutput : storesLogOutput(Checkpoint.readMetadata(model));
        List<RegressionReport> reports = Fitter.evaluateRegression(net, d, log);
        Map<String, Object> all = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder();
        for (int o = 0; o < outputs; o++) {
            RegressionReport report = reports.get(o);
            all.put("output_" + o, report.toMap());
            text.append(outputs == 1 ? "" : "output " + o + " (column " + cols[o] + ")\n").append(report)
                .append('\n');
        }
        if (json) {
            Map<String, Object> root = outputs == 1 ? castMap(all.get("output_0")) : all;
            root.put("log_output", log);
            System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } else {
            System.out.print(text);
            if (log) {
                System.out.println("(the model outputs log-forecasts: the metrics compare exp(output))");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    /** Whether a checkpoint says its output is the log of the forecast (finetune --loss qlike, or its label spec). */
    static boolean storesLogOutput(Map<String, String> metadata) {
        if ("log".equals(metadata.get(FinetuneCommand.OUTPUT_METADATA_KEY))) {
            return true;
        }
        if (metadata.containsKey(FeatureSpec.METADATA_KEY)) {
            FeatureSpec spec = FeatureSpec.fromJson(metadata.get(FeatureSpec.METADATA_KEY), "checkpoint");
            return spec.label() != null && spec.label().logOutput();
        }
        return false;
    }
}
