package io.tickgrad.bench.libtorch;

import java.util.Locale;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.global.torch;

/**
 * Checks LibTorch against tickgrad on the fixtures before any LibTorch benchmark runs (bench/run.sh calls it and
 * leaves LibTorch out of the run when it fails): the single-sample outputs of both networks, and for the chart
 * network at batch 32 and 256, whole network and head only, the loss before any step and after
 * {@code train.steps} Adam steps (see {@link Agreement} for the tolerances). Prints each comparison; exits 1 on the
 * first disagreement.
 *
 * <p>Usage: {@code java -cp benchmarks-libtorch.jar -Dtickgrad.fixtures=DIR io.tickgrad.bench.libtorch.Check}
 */
public final class Check {
    private Check() {
    }

    public static void main(String[] args) {
        try {
            run();
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println("LibTorch check FAILED: " + e.getMessage());
            System.exit(1);
        }
    }

    static void run() {
        Threads.one();
        System.out.println("LibTorch check: " + torch.get_parallel_info().getString().trim().replace("\n", "; "));
        for (String network : new String[] {"mlp32", "chart"}) {
            try (PointerScope scope = new PointerScope()) {
                Fixture fixture = Agreement.fixture(network);
                TorchNet net = TorchNet.build(fixture);
                TorchNet.Predictor predictor = net.new Predictor(fixture.tensor("predict.input").data());
                float[] got = Agreement.checkPredict(network, fixture, predictor);
                float[] expected = fixture.tensor("predict.output").data();
                double worst = 0;
                for (int i = 0; i < got.length; i++) {
                    worst = Math.max(worst, Math.abs(got[i] - expected[i]));
                }
                System.out.printf(Locale.ROOT, "LibTorch check: predict %s agrees with tickgrad (max |difference| %.3g, tolerance %.0e)%n",
                    network, worst, Agreement.OUTPUT_TOLERANCE);
            }
        }
        Fixture chart = Agreement.fixture("chart");
        for (int batch : new int[] {32, 256}) {
            for (String mode : new String[] {"whole", "head"}) {
                double[] r = Agreement.checkTrainedLoss(chart, batch, mode);
                System.out.printf(Locale.ROOT, "LibTorch check: batch %d %s, loss %.7f before, after %s steps LibTorch %.9f, "
                        + "tickgrad %.9f (relative difference %.2g, tolerance %.0e)%n", batch, mode, r[0],
                    chart.meta("train.steps"), r[1], r[2], Math.abs(r[1] - r[2]) / Math.max(1, Math.abs(r[2])),
                    Agreement.TRAINED_LOSS_TOLERANCE);
            }
        }
    }
}
