package io.tickgrad.cli;

import io.tickgrad.model.Architecture;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.model.ModelLimits;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The batch a command builds a network for: never larger than the data needs, and checked against what the
 * model's activations allow before anything is allocated, so a limit is reported against {@code --batch}.
 */
final class ModelBatch {
    private ModelBatch() {
    }

    /** Refuses a batch option below 1. */
    static void requirePositive(int requested, String option) {
        if (requested < 1) {
            throw new OptionException(option + " " + requested, "not a positive number of rows",
                "expected at least 1");
        }
    }

    /**
     * The rows per pass for {@code rows} rows of data: min(requested, rows), refused against {@code option} when
     * the model's activations for it would not fit.
     */
    static int forCheckpoint(Path model, int requested, long rows, String option) {
        return forArchitecture(Checkpoint.readArchitecture(model), model.toString(), requested, rows, option);
    }

    /** As {@link #forCheckpoint} for an architecture in hand. */
    static int forArchitecture(Architecture arch, String modelName, int requested, long rows, String option) {
        requirePositive(requested, option);
        int batch = (int) Math.max(1, Math.min(requested, rows));
        int max = ModelLimits.maxBatch(arch);
        if (batch > max) {
            long perRow = ModelLimits.activationFloatsPerRow(arch);
            throw new OptionException(option + " " + requested, String.format(Locale.ROOT,
                "the model %s needs %d floats of activations per row, %.1f GiB for %d rows", modelName, perRow, perRow * (double) batch * Float.BYTES / (1L << 30), batch),
                "expected at most " + max + " rows (2 GiB of activations)");
        }
        return batch;
    }
}
