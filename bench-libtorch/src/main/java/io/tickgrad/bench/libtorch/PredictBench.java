package io.tickgrad.bench.libtorch;

import java.util.concurrent.TimeUnit;
import org.bytedeco.pytorch.InferenceMode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * LibTorch's side of io.tickgrad.bench.PredictBench (same class name, so results pair by name): single-sample
 * inference on one thread under {@code c10::InferenceMode} (entered once per trial on the benchmark thread), every
 * tensor allocated once: per layer {@code addmm_out} into a reused buffer and the activation in place, then
 * {@code softmax_out} into the reused output; the first output value is read through its data pointer. This is the
 * fastest way LibTorch offers for a small MLP (a {@code torch::nn::Sequential} forward would allocate each layer's
 * output on every call). Sampled, like tickgrad's, so the report compares medians. Setup checks the output against
 * tickgrad's for the same input before anything is timed.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PredictBench {

    @State(Scope.Thread)
    public static class TorchState {
        @Param({"mlp32", "chart"})
        public String network;

        TorchNet.Predictor predictor;
        InferenceMode inference;

        @Setup(Level.Trial)
        public void setUp() {
            Threads.one();
            Fixture fixture = Agreement.fixture(network);
            predictor = TorchNet.build(fixture).new Predictor(fixture.tensor("predict.input").data());
            Agreement.checkPredict(network, fixture, predictor);
            inference = new InferenceMode();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            inference.close();
        }
    }

    @Benchmark
    public float libtorch(TorchState s) {
        s.predictor.run();
        return s.predictor.outputData.get(0);
    }
}
