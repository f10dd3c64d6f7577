package io.tickgrad.bench.libtorch;

import java.io.IOException;
import java.util.Locale;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Tensor;

/**
 * LibTorch against tickgrad on the fixtures, before anything is timed: the single-sample output, the training loss
 * on the batch before any step, and the loss after {@code train.steps} Adam steps (whole network, and head only with
 * the trunk frozen). Each check throws {@link IllegalStateException} naming the value that disagrees.
 *
 * <p>Tolerances. Outputs and the loss before any step: 1e-4, relative above 1, as every peer in bench/ (fp32 sums
 * over at most 400 terms in a different order than tickgrad's double-precision reference: about 3e-8 here). The
 * loss after N steps: {@link #TRAINED_LOSS_TOLERANCE} relative above 1. Adam moves each weight by about lr per step
 * whatever its gradient's size, so a gradient that is rounding noise in one engine may move its weight by lr either
 * way; such weights barely affect the loss (their gradient is near zero) and every other weight moves the same in
 * both engines, so the losses agree to about the rounding of the loss itself (seen on the chart network after 5
 * steps: relative differences of 3e-10 to 7e-8, with OpenBLAS's Haswell or Cooperlake kernels, against 6.6e-8 for one
 * float ulp at 1.8). 1e-5 leaves room for other CPUs' kernels (other GEMM blocking, other summation orders) and is
 * still 1/170 of the smallest move of tickgrad's loss over the 5 steps (1.7e-3: batch 256, head only). The check must also tell training from not training: it
 * requires tickgrad's loss to have moved by at least {@link #MIN_MOVE_OVER_TOLERANCE} tolerances over the N steps,
 * so LibTorch not stepping, stepping with another learning rate or epsilon, or without bias correction, fails it
 * (AgreementTest shows a 1.5x learning rate failing).
 */
final class Agreement {
    static final double OUTPUT_TOLERANCE = 1e-4;
    static final double TRAINED_LOSS_TOLERANCE = 1e-5;
    static final double MIN_MOVE_OVER_TOLERANCE = 10;

    private Agreement() {
    }

    static Fixture fixture(String network) {
        try {
            return Fixture.load(network);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    static boolean close(double got, double expected, double tolerance) {
        return Math.abs(got - expected) <= tolerance * Math.max(1, Math.abs(expected));
    }

    /** Throws unless every value is within 1e-4 (relative above 1) of tickgrad's. */
    static void checkClose(String what, float[] expected, float[] got) {
        if (got.length != expected.length) {
            throw new IllegalStateException(what + ": " + got.length + " values, tickgrad has " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if (!close(got[i], expected[i], OUTPUT_TOLERANCE)) {
                throw new IllegalStateException(what + ": value " + i + " is " + got[i] + ", tickgrad says " + expected[i]);
            }
        }
    }

    /** LibTorch's single-sample output (the predictor's, under InferenceMode) against tickgrad's for the fixture input. */
    static float[] checkPredict(String network, Fixture fixture, TorchNet.Predictor predictor) {
        try (InferenceMode guard = new InferenceMode()) {
            predictor.run();
        }
        float[] got = predictor.outputs();
        checkClose(network + " (LibTorch output)", fixture.tensor("predict.output").data(), got);
        return got;
    }

    /** LibTorch's loss on the first {@code batch} rows before any step against tickgrad's {@code train.loss.<batch>}. */
    static double checkInitialLoss(TorchNet net, Fixture fixture, int batch, Tensor x, Tensor y) {
        double loss = net.loss(x, y);
        double expected = Double.parseDouble(fixture.meta("train.loss." + batch));
        if (!close(loss, expected, OUTPUT_TOLERANCE)) {
            throw new IllegalStateException("LibTorch loss on the batch " + batch + " before any step is " + loss
                + ", tickgrad's is " + expected);
        }
        return loss;
    }

    /** The number of leading dense layers a mode freezes: whole trains all, head all but the output layer. */
    static int frozenLayers(TorchNet net, String mode) {
        switch (mode) {
            case "whole": return 0;
            case "head": return net.weights.size() - 1;
            default: throw new IllegalArgumentException("mode '" + mode + "': expected whole or head");
        }
    }

    /**
     * Takes {@code train.steps} LibTorch steps on a fresh network and checks the loss after them against tickgrad's
     * {@code train.loss.<batch>.<mode>.after}; returns {loss before, LibTorch's loss after, tickgrad's loss after}.
     */
    static double[] checkTrainedLoss(Fixture fixture, int batch, String mode) {
        int steps = Integer.parseInt(fixture.meta("train.steps"));
        double expected = Double.parseDouble(fixture.meta("train.loss." + batch + "." + mode + ".after"));
        try (PointerScope scope = new PointerScope()) {
            TorchNet net = TorchNet.build(fixture);
            Tensor x = TorchNet.rows(fixture.tensor("train.input"), batch);
            Tensor y = TorchNet.rows(fixture.tensor("train.target"), batch);
            double before = checkInitialLoss(net, fixture, batch, x, y);
            Adam adam = net.trainer(frozenLayers(net, mode));
            for (int i = 0; i < steps; i++) {
                try (PointerScope stepScope = new PointerScope()) {
                    net.step(adam, x, y);
                }
            }
            double after = net.loss(x, y);
            double tolerance = TRAINED_LOSS_TOLERANCE * Math.max(1, Math.abs(expected));
            if (!(Math.abs(before - expected) >= MIN_MOVE_OVER_TOLERANCE * tolerance)) {
                throw new IllegalStateException(fixture.file + ": tickgrad's loss moved from " + before + " to " + expected
                    + " in " + steps + " steps (batch " + batch + ", " + mode + "), less than " + MIN_MOVE_OVER_TOLERANCE
                    + " x the tolerance " + tolerance + ": the check could not tell training from not training");
            }
            if (!(Math.abs(after - expected) <= tolerance)) {
                throw new IllegalStateException(String.format(Locale.ROOT, "LibTorch loss after %d steps (batch %d, %s) is "
                    + "%.9g, tickgrad's is %.9g (difference %.3g, tolerance %.3g; before the steps %.9g)", steps, batch,
                    mode, after, expected, Math.abs(after - expected), tolerance, before));
            }
            return new double[] {before, after, expected};
        }
    }
}
