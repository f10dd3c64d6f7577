package io.tickgrad.cli;

import io.tickgrad.model.Checkpoint;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Dense;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.Precision;
import io.tickgrad.tabular.TabularModel;
import io.tickgrad.train.Fitter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "predict", mixinStandardHelpOptions = true,
    description = "Predict every row of a numeric CSV (no header) and write one output row per input row. A tabular "
        + "model (from 'tickgrad fit') takes raw rows of its CSV shape with a header and writes probability,prediction.")
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "checkpoint (.safetensors)")
    Path model;

    @Option(names = "--in", required = true, description = "input CSV: one sample per row")
    Path in;

    @Option(names = "--out", required = true, description = "output CSV")
    Path out;

    @Option(names = "--batch", defaultValue = "256", description = "rows per forward pass; default ${DEFAULT-VALUE}")
    int batch;

    @Option(names = "--keep", split = ",",
        description = "tabular models: input columns copied to the output before the score (identifiers)")
    List<String> keep = new ArrayList<>();

    @Mixin
    BackendOption backendOption;

    @Mixin
    PrecisionOption precisionOption;

    @Override
    public Integer call() {
        CliFiles.requireInputFile(model, "--model");
        CliFiles.requireInputFile(in, "--in");
        CliFiles.requireOutput(out, "--out");
        ModelBatch.requirePositive(batch, "--batch");
        if (TabularModel.isTabular(model)) {
            try (Backend backend = backendOption.create()) {
                TabularRows.predict(model, in, out, keep, backend);
            }
            return 0;
        }
        if (!keep.isEmpty()) {
            throw new IllegalArgumentException("--keep needs a tabular model (from 'tickgrad fit'): found " + model
                + ", which takes numeric rows without a header; expected --keep only with a tabular model");
        }
        NumericCsv x = NumericCsv.read(in);
        int rowsPerPass = ModelBatch.forCheckpoint(model, batch, x.rows(), "--batch");
        try (Backend backend = backendOption.create(); Network net = Checkpoint.load(model, backend, rowsPerPass)) {
            net.setPrecision(precisionOption.get());
            if (net.precision() != Precision.FP32) {
                System.err.println("tickgrad predict: " + net.precision().label() + " weights in " + net.reducedLayers()
                    + " of " + denseLayers(net) + " dense layers (a layer of at most "
                    + Network.CACHE_RESIDENT_WEIGHT_BYTES / 1024 + " KiB of fp32 weights stays fp32: it is cache-resident)");
            }
            if (x.columns() != net.inputs()) {
                throw new IllegalArgumentException(in + ": rows have " + x.columns() + " columns; expected "
                    + net.inputs() + " (the inputs of the model " + model + ")");
            }
            float[] y = Fitter.predict(net, x.values(), x.rows());
            NumericCsv.write(out, y, x.rows(), net.outputs());
            System.err.println("tickgrad predict: " + x.rows() + " rows -> " + out);
        }
        return 0;
    }

    private static long denseLayers(Network net) {
        return net.layers().stream().filter(l -> l instanceof Dense).count();
    }
}
