package io.tickgrad.bench.libtorch;

import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
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
 * LibTorch's side of io.tickgrad.bench.HeadStepBench (same class name and parameter, so results pair by name): the
 * chart network's five frozen trunk layers run once in setup (no grad) over tickgrad's batch, and each step trains the
 * 256-6 softmax head on those features: {@code zero_grad}, {@code addmm}, softmax cross-entropy, {@code backward},
 * Adam (lr 1e-4, epsilon 1e-7), one thread. Setup checks that the head's loss on the features equals tickgrad's loss
 * on the inputs, then takes two steps, before anything is timed.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HeadStepBench {

    @State(Scope.Thread)
    public static class TorchState {
        @Param({"256"})
        public int batch;

        Tensor weight;
        Tensor bias;
        Tensor features;
        Tensor targets;
        Adam adam;

        @Setup(Level.Trial)
        public void setUp() {
            Threads.one();
            Fixture fixture = Agreement.fixture("chart");
            TorchNet net = TorchNet.build(fixture);
            int last = net.weights.size() - 1;
            Tensor x = TorchNet.rows(fixture.tensor("train.input"), batch);
            targets = TorchNet.rows(fixture.tensor("train.target"), batch);
            try (NoGradGuard noGrad = new NoGradGuard()) {
                Tensor h = x;
                for (int i = 0; i < last; i++) {
                    h = torch.relu(torch.addmm(net.biases.get(i), h, net.weights.get(i)));
                }
                features = h;
            }
            weight = net.weights.get(last);
            bias = net.biases.get(last);
            adam = net.trainer(last);
            double expected = Double.parseDouble(fixture.meta("train.loss." + batch));
            double loss;
            try (NoGradGuard noGrad = new NoGradGuard()) {
                loss = TorchNet.crossEntropy(logits(), targets).item_float();
            }
            if (!Agreement.close(loss, expected, Agreement.OUTPUT_TOLERANCE)) {
                throw new IllegalStateException("LibTorch head loss on the features is " + loss + ", tickgrad's is " + expected);
            }
            for (int i = 0; i < 2; i++) {
                float l = step(this);
                if (!Float.isFinite(l)) {
                    throw new IllegalStateException("LibTorch head training loss not finite: " + l);
                }
            }
        }

        Tensor logits() {
            return torch.addmm(bias, features, weight);
        }
    }

    static float step(TorchState s) {
        try (PointerScope scope = new PointerScope()) {
            s.adam.zero_grad();
            Tensor loss = TorchNet.crossEntropy(s.logits(), s.targets);
            loss.backward();
            s.adam.step();
            return loss.item_float();
        }
    }

    @Benchmark
    public float libtorch(TorchState s) {
        return step(s);
    }
}
