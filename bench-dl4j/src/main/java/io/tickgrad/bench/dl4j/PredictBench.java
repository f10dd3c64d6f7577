package io.tickgrad.bench.dl4j;

import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
 * Deeplearning4j's side of io.tickgrad.bench.PredictBench (same class name, so results pair by name): single-sample
 * inference, {@code output(input, false)} on a MultiLayerNetwork holding tickgrad's weights, the input array created
 * once and reused, the first output value read. Sampled, like tickgrad's, so the report compares medians. Setup
 * checks the output against tickgrad's for the same input before anything is timed.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PredictBench {

    @State(Scope.Thread)
    public static class Dl4jState {
        @Param({"mlp32", "chart"})
        public String network;

        MultiLayerNetwork net;
        INDArray input;

        @Setup(Level.Trial)
        public void setUp() {
            Dl4jNetworks.singleThreaded();
            Fixture fixture = Dl4jNetworks.fixture(network);
            net = Dl4jNetworks.build(fixture);
            Fixture.Tensor x = fixture.tensor("predict.input");
            input = Nd4j.create(x.data(), x.shape(), 'c');
            Dl4jNetworks.checkClose(network + " (DL4J output)", fixture.tensor("predict.output").data(), net.output(input, false));
        }
    }

    @Benchmark
    public float dl4j(Dl4jState s) {
        return s.net.output(s.input, false).getFloat(0);
    }
}
