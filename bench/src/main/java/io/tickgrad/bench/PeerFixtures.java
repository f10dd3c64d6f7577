package io.tickgrad.bench;

import io.tickgrad.model.SafeTensors;
import io.tickgrad.model.TensorEntry;
import io.tickgrad.nn.ActivationLayer;
import io.tickgrad.nn.Dense;
import io.tickgrad.nn.Layer;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.Softmax;
import io.tickgrad.nn.reference.ReferenceBackend;
import io.tickgrad.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes what a peer engine that cannot share tickgrad's classpath (Deeplearning4j needs an older JavaCPP) needs
 * to run the benchmarks' networks with the same weights and check itself against tickgrad: one safetensors file
 * per network, {@code <network>.safetensors}, holding
 * <ul>
 *   <li>{@code dense<i>.weight} [in, out] (row-major) and {@code dense<i>.bias} [out] for the i-th dense layer;</li>
 *   <li>{@code predict.input} [1, in] and {@code predict.output} [1, out]: the single sample PredictBench times and
 *       tickgrad's output for it (reference backend, double precision);</li>
 *   <li>for the chart network, {@code train.input} [256, 400] and {@code train.target} [256, 6] (one-hot): the batch
 *       TrainStepBench trains on (batch 32 uses its first 32 rows), with metadata {@code train.loss.<batch>}:
 *       tickgrad's softmax cross-entropy on it before any step; {@code train.steps} (N) and
 *       {@code train.loss.<batch>.<mode>.after}: tickgrad's loss on the same batch after N training steps from these
 *       weights (TrainStepBench's loss and optimizer, reference backend), training the whole network ({@code whole})
 *       or only the output layer with the trunk frozen ({@code head}), for batch 32 and 256;</li>
 *   <li>metadata {@code layers}: the dense layers and their activations, e.g. {@code 400,256:relu,...,6:softmax}.</li>
 * </ul>
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.tickgrad.bench.PeerFixtures DIR}
 */
public final class PeerFixtures {
    private PeerFixtures() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: PeerFixtures DIR");
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (String name : List.of("mlp32", "chart")) {
            Path file = dir.resolve(name + ".safetensors");
            write(name, file);
            System.out.println("PeerFixtures: wrote " + file);
        }
    }

    static void write(String name, Path file) throws IOException {
        int trainBatch = name.equals("chart") ? 256 : 0;
        try (ReferenceBackend backend = new ReferenceBackend();
             Network net = Networks.build(name, backend, Math.max(1, trainBatch))) {
            List<TensorEntry> tensors = new ArrayList<>();
            Map<String, String> meta = new LinkedHashMap<>();
            StringBuilder layers = new StringBuilder().append(net.inputs());
            int dense = 0;
            List<Layer> all = net.layers();
            for (int i = 0; i < all.size(); i++) {
                Layer l = all.get(i);
                if (!(l instanceof Dense)) {
                    continue;
                }
                String activation = "identity";
                if (i + 1 < all.size() && all.get(i + 1) instanceof ActivationLayer) {
                    activation = ((ActivationLayer) all.get(i + 1)).activation().configName();
                } else if (i + 1 < all.size() && all.get(i + 1) instanceof Softmax) {
                    activation = "softmax";
                }
                layers.append(',').append(l.outFeatures()).append(':').append(activation);
                tensors.add(TensorEntry.f32("dense" + dense + ".weight", new long[] {l.inFeatures(), l.outFeatures()},
                    net.getParameter(l.name() + ".weight")));
                tensors.add(TensorEntry.f32("dense" + dense + ".bias", new long[] {l.outFeatures()},
                    net.getParameter(l.name() + ".bias")));
                dense++;
            }
            meta.put("layers", layers.toString());

            Networks.randomInput(net, 1, 5);
            net.predict(1);
            tensors.add(TensorEntry.f32("predict.input", new long[] {1, net.inputs()}, read(net.input(), net.inputs())));
            tensors.add(TensorEntry.f32("predict.output", new long[] {1, net.outputs()}, read(net.output(), net.outputs())));

            if (trainBatch > 0) {
                try (Trainer trainer = TrainStepBench.trainer(net)) {
                    TrainStepBench.fillBatch(trainer, trainBatch);
                    tensors.add(TensorEntry.f32("train.input", new long[] {trainBatch, net.inputs()},
                        read(net.input(), trainBatch * net.inputs())));
                    tensors.add(TensorEntry.f32("train.target", new long[] {trainBatch, net.outputs()},
                        read(trainer.targets(), trainBatch * net.outputs())));
                    for (int batch : new int[] {32, 256}) {
                        meta.put("train.loss." + batch, String.format(Locale.ROOT, "%.9g", trainer.evaluateLoss(batch)));
                    }
                }
                meta.put("train.steps", String.valueOf(TRAIN_STEPS));
                for (int batch : new int[] {32, 256}) {
                    for (String mode : new String[] {"whole", "head"}) {
                        meta.put("train.loss." + batch + "." + mode + ".after",
                            String.format(Locale.ROOT, "%.9g", lossAfterSteps(name, batch, mode)));
                    }
                }
            }
            SafeTensors.write(file, tensors, meta);
        }
    }

    /** Training steps a peer takes before its loss is compared with tickgrad's ({@code train.steps}). */
    static final int TRAIN_STEPS = 5;

    /** tickgrad's loss on TrainStepBench's batch after {@link #TRAIN_STEPS} steps (reference backend). */
    static float lossAfterSteps(String name, int batch, String mode) {
        try (ReferenceBackend backend = new ReferenceBackend();
             Network net = Networks.build(name, backend, batch)) {
            if (mode.equals("head")) {
                net.freezeFirst(5);
            }
            try (Trainer trainer = TrainStepBench.trainer(net)) {
                TrainStepBench.fillBatch(trainer, batch);
                for (int i = 0; i < TRAIN_STEPS; i++) {
                    trainer.step(batch);
                }
                return trainer.evaluateLoss(batch);
            }
        }
    }

    private static float[] read(org.agrona.DirectBuffer buffer, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = buffer.getFloat(i * Float.BYTES);
        }
        return values;
    }
}
