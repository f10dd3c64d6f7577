package io.tickgrad.bench;

import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.train.Dataset;
import io.tickgrad.train.Featurizer;
import io.tickgrad.train.Trainer;
import java.util.concurrent.TimeUnit;
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
 * One head-only training step on cached trunk outputs: how each engine fine-tunes a new head over a frozen base
 * when it featurizes first (tickgrad's {@code finetune} does by default, and its online learner keeps the trunk
 * outputs that serving computed; Deeplearning4j's way is {@code TransferLearningHelper.featurize} and
 * {@code fitFeaturized}). The chart network's five trunk layers run once in setup over TrainStepBench's batch; the
 * step trains the 256-6 softmax head on those outputs (softmax cross-entropy, Adam lr 1e-4). Setup checks that the
 * head's loss on the features equals the whole network's loss on the inputs. Deeplearning4j's side is the class of
 * the same name in bench-dl4j. Not a target of the issue: it shows what a head step costs once the trunk is cached.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HeadStepBench {

    @State(Scope.Thread)
    public static class TickgradState {
        @Param({"256"})
        public int batch;

        NativeCpuBackend backend;
        Network head;
        Trainer trainer;

        @Setup(Level.Trial)
        public void setUp() {
            backend = NativeCpuBackend.create(1);
            try (Network full = Networks.build("chart", backend, batch);
                 Trainer fullTrainer = TrainStepBench.trainer(frozenTrunk(full))) {
                TrainStepBench.fillBatch(fullTrainer, batch);
                float wholeLoss = fullTrainer.evaluateLoss(batch);
                float[] x = new float[batch * full.inputs()];
                float[] y = new float[batch * full.outputs()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = full.input().getFloat(i * Float.BYTES);
                }
                for (int i = 0; i < y.length; i++) {
                    y[i] = fullTrainer.targets().getFloat(i * Float.BYTES);
                }
                Featurizer featurizer = new Featurizer(full);
                Dataset features = featurizer.featurize(new Dataset(x, y, batch, full.inputs(), full.outputs()));
                head = featurizer.headNetwork(backend, batch);
                trainer = TrainStepBench.trainer(head);
                trainer.network().writeInput(features.features(), batch);
                trainer.writeTargets(features.targets(), batch);
                float headLoss = trainer.evaluateLoss(batch);
                if (!(Math.abs(headLoss - wholeLoss) <= 1e-5f * Math.max(1f, Math.abs(wholeLoss)))) {
                    throw new IllegalStateException("head loss on the features is " + headLoss
                        + ", the whole network's on the inputs " + wholeLoss);
                }
            }
            if (!Float.isFinite(trainer.step(batch)) || !Float.isFinite(trainer.step(batch))) {
                throw new IllegalStateException("head training loss not finite");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            trainer.close();
            head.close();
            backend.close();
        }
    }

    private static Network frozenTrunk(Network net) {
        net.freezeFirst(5);
        return net;
    }

    /** GEMM flops of one head step: the 256-6 layer's forward and its weight gradient. */
    public static double stepFlops(int batch) {
        return 2 * 2.0 * batch * 256 * 6;
    }

    @Benchmark
    public float tickgrad(TickgradState s) {
        return s.trainer.step(s.batch);
    }
}
