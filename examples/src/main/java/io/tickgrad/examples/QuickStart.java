package io.tickgrad.examples;

import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.train.Adam;
import io.tickgrad.train.LearningRateSchedule;
import io.tickgrad.train.Loss;
import io.tickgrad.train.Trainer;
import java.util.SplittableRandom;

/** Trains a small network on a synthetic rule, then predicts one sample on the zero-allocation path. */
public final class QuickStart {
    public static void main(String[] args) {
        int features = 32;
        int batch = 256;
        float[] x = new float[batch * features];   // [256, 32], row-major
        float[] y = new float[batch];              // [256, 1]: 1 when feature 0 + feature 1 > 0
        SplittableRandom random = new SplittableRandom(7);
        try (Backend backend = NativeCpuBackend.create();
             Network net = Network.builder(features).dense(64).relu().dense(64).relu().dense(1).sigmoid()
                                  .build(backend, /* maxBatch */ batch, /* seed */ 7);
             Trainer trainer = Trainer.builder(net)
                                      .loss(Loss.binaryCrossEntropyWithLogits())   // fused with the final sigmoid
                                      .optimizer(Adam.adam(1e-3f))
                                      .schedule(LearningRateSchedule.cosineWithWarmup(20, 400, 1e-5))
                                      .clipGradientNorm(1f)
                                      .build()) {
            float loss = Float.NaN;
            for (int step = 0; step < 400; step++) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) random.nextGaussian();
                }
                for (int r = 0; r < batch; r++) {
                    y[r] = x[r * features] + x[r * features + 1] > 0 ? 1f : 0f;
                }
                loss = trainer.step(x, y, batch);          // forward, loss, backward, Adam step
            }

            for (int i = 0; i < features; i++) {          // the zero-allocation predict path: write the
                net.input().putFloat(i * Float.BYTES, 0f); // features into the off-heap input (byte offsets),
            }
            net.input().putFloat(0, 1.0f);
            net.input().putFloat(Float.BYTES, 0.5f);
            net.predict(1);                                // one native call,
            float p = net.output().getFloat(0);            // and read the output in place
            System.out.printf("loss %.4f after 400 steps; p(up) = %.4f for feature 0 + feature 1 = 1.5%n", loss, p);
        }
    }
}
