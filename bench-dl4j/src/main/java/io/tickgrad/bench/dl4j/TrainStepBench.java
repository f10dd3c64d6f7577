package io.tickgrad.bench.dl4j;

import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
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
 * Deeplearning4j's side of io.tickgrad.bench.TrainStepBench (same class name and parameters, so results pair by
 * name): one {@code fit(DataSet)} step of the 400-256x5-6 network with tickgrad's weights, batch and targets,
 * softmax + MCXENT, Adam (lr 1e-4, betas 0.9 / 0.999, epsilon 1e-7), on one thread. {@code mode=head} freezes the five
 * trunk layers (TransferLearning feature extractor); {@code mode=whole} trains every layer. Setup checks that DL4J's
 * loss on the batch equals tickgrad's before any step, then takes two steps, before anything is timed.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TrainStepBench {

    @State(Scope.Thread)
    public static class Dl4jState {
        @Param({"32", "256"})
        public int batch;

        @Param({"whole", "head"})
        public String mode;

        MultiLayerNetwork net;
        DataSet data;

        @Setup(Level.Trial)
        public void setUp() {
            Dl4jNetworks.singleThreaded();
            Fixture fixture = Dl4jNetworks.fixture("chart");
            MultiLayerNetwork full = Dl4jNetworks.build(fixture);
            if (mode.equals("head")) {
                net = Dl4jNetworks.headOnly(full);
            } else if (mode.equals("whole")) {
                net = full;
            } else {
                throw new IllegalArgumentException("mode '" + mode + "': expected whole or head");
            }
            data = Dl4jNetworks.trainingBatch(fixture, batch);
            Dl4jNetworks.checkTrainingLoss("loss on the batch", net.score(data, false), fixture, batch);
            net.fit(data);
            net.fit(data);
            if (!Double.isFinite(net.score())) {
                throw new IllegalStateException("DL4J training loss not finite: " + net.score());
            }
        }
    }

    @Benchmark
    public MultiLayerNetwork dl4j(Dl4jState s) {
        s.net.fit(s.data);
        return s.net;
    }
}
