package io.tickgrad.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Network;
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

    @Override
    public Integer call() throws Exception {
        if (TabularModel.isTabular(model)) {
            try (Backend backend = backendOption.create()) {
                TabularRows.evaluate(model, data, threshold, json, backend);
            }
            return 0;
        }
        NumericCsv csv = NumericCsv.read(data);
        try (Backend backend = backendOption.create(); Network net = Checkpoint.load(model, backend, 256)) {
            Dataset d = LabelledCsv.toDataset(csv, data, labelColumn, net.inputs(), net.outputs());
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
