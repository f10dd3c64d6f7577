package io.tickgrad.cli;

import io.tickgrad.nn.Precision;
import picocli.CommandLine.Option;

/** The --precision option of the commands that predict (predict, serve, replay). */
final class PrecisionOption {
    @Option(names = "--precision", defaultValue = "fp32",
        description = "weights to predict with: fp32, bf16 (half the bytes) or int8 (per-channel scales, a quarter); "
            + "native backend only for bf16 and int8; default ${DEFAULT-VALUE}")
    String precision;

    Precision get() {
        return Precision.parse(precision, "--precision");
    }
}
