package io.tickgrad.bench.dl4j;

import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.TransferLearningHelper;
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
 * Deeplearning4j's side of io.tickgrad.bench.HeadStepBench (same class name and parameter, so results pair by name):
 * Deeplearning4j's own way to fine-tune a head over a frozen base, {@code TransferLearningHelper}: the five trunk
 * layers are frozen and run once in setup ({@code featurize}) over tickgrad's batch, and each step is one
 * {@code fitFeaturized} of the softmax head (MCXENT, Adam lr 1e-4, one thread). Setup checks that the head's loss on
 * the features equals tickgrad's loss on the inputs, then takes two steps, before anything is timed.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HeadStepBench {

    @State(Scope.Thread)
    public static class Dl4jState {
        @Param({"256"})
        public int batch;

        TransferLearningHelper helper;
        DataSet features;

        @Setup(Level.Trial)
        public void setUp() {
            Dl4jNetworks.singleThreaded();
            Fixture fixture = Dl4jNetworks.fixture("chart");
            MultiLayerNetwork full = Dl4jNetworks.build(fixture);
            helper = new TransferLearningHelper(full, full.getnLayers() - 2);   // layers 0..4 frozen
            features = helper.featurize(Dl4jNetworks.trainingBatch(fixture, batch));
            Dl4jNetworks.checkTrainingLoss("head loss on the features", helper.unfrozenMLN().score(features, false),
                fixture, batch);
            helper.fitFeaturized(features);
            helper.fitFeaturized(features);
            if (!Double.isFinite(helper.unfrozenMLN().score())) {
                throw new IllegalStateException("DL4J head training loss not finite: " + helper.unfrozenMLN().score());
            }
        }
    }

    @Benchmark
    public MultiLayerNetwork dl4j(Dl4jState s) {
        s.helper.fitFeaturized(s.features);
        return s.helper.unfrozenMLN();
    }
}
