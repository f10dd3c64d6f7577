package io.tickgrad.bench.libtorch;

import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * LibTorch's side of io.tickgrad.bench.TrainStepBench (same class name, parameters and method suffix, so results
 * pair by name): one training step of the 400-256x5-6 network with tickgrad's weights, batch and one-hot targets:
 * {@code zero_grad}, forward ({@code addmm} and ReLU per layer), softmax cross-entropy (mean over the batch),
 * {@code backward}, {@code torch::optim::Adam} (lr 1e-4, betas 0.9 / 0.999, epsilon 1e-7). {@code mode=head} freezes
 * the five trunk layers ({@code requires_grad(false)}; Adam holds only the output layer's weight and bias), so
 * autograd records and back-propagates the output layer only; {@code mode=whole} trains every layer. Each step's
 * temporaries are freed at its end (a JavaCPP PointerScope), not left to the garbage collector.
 * {@code libtorch}: one thread ({@code at::set_num_threads(1)}); {@code libtorch_allcores}: as many threads as
 * the machine has cores. Setup first checks that LibTorch's loss after {@code train.steps} steps on a fresh copy
 * of the network equals tickgrad's (see {@link Agreement}), then takes two steps, before anything is timed.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TrainStepBench {

    @State(Scope.Thread)
    public static class TorchState {
        @Param({"32", "256"})
        public int batch;

        @Param({"whole", "head"})
        public String mode;

        TorchNet net;
        Adam adam;
        Tensor x;
        Tensor y;

        @Setup(Level.Trial)
        public void setUp() {
            threads();
            Fixture fixture = Agreement.fixture("chart");
            Agreement.checkTrainedLoss(fixture, batch, mode);
            net = TorchNet.build(fixture);
            x = TorchNet.rows(fixture.tensor("train.input"), batch);
            y = TorchNet.rows(fixture.tensor("train.target"), batch);
            adam = net.trainer(Agreement.frozenLayers(net, mode));
            for (int i = 0; i < 2; i++) {
                float loss = step(this);
                if (!Float.isFinite(loss)) {
                    throw new IllegalStateException("LibTorch training loss not finite: " + loss);
                }
            }
        }

        void threads() {
            Threads.one();
        }
    }

    /** The same step on every core of the machine. */
    public static class AllCoresState extends TorchState {
        @Override
        void threads() {
            Threads.allCores();
        }
    }

    static float step(TorchState s) {
        try (PointerScope scope = new PointerScope()) {
            return s.net.step(s.adam, s.x, s.y).item_float();
        }
    }

    @Benchmark
    public float libtorch(TorchState s) {
        return step(s);
    }

    /** LibTorch on all cores (result name TrainStep.allcores[...]). */
    @Benchmark
    public float libtorch_allcores(AllCoresState s) {
        return step(s);
    }
}
