package io.tickgrad.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.nn.Activation;
import io.tickgrad.nn.ActivationLayer;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Layer;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.Softmax;
import io.tickgrad.tabular.TabularModel;
import io.tickgrad.train.ClassificationReport;
import io.tickgrad.train.Dataset;
import io.tickgrad.train.Fitter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Classification metrics of a model on a labelled numeric CSV (no header); for a tabular model "
        + "(from 'tickgrad fit'), on raw rows of its CSV shape with a header, at its stored threshold.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "checkpoint (.safetensors)")
    Path model;

    @Option(names = "--data", required = true, description = "CSV: features, then the label column(s)")
    Path data;

    @Option(names = "--label-column", defaultValue = "-1",
        description = "0-based column of a class label (binary 0/1 or class index); -1 = the last; default ${DEFAULT-VALUE}")
    int labelColumn;

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
            } else {
                throw new IllegalArgumentException(model + ": the model's output (" + net.outputs() + " column"
                    + (net.outputs() == 1 ? "" : "s") + " after a " + last.type() + " layer) is not a probability; "
                    + "expected a sigmoid (binary) or softmax (multi-class) output for classification metrics");
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
}
