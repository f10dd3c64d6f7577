package io.tickgrad.bench;

import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.NetworkBuilder;
import java.util.SplittableRandom;

/** The networks the benchmarks time, built with the same weights on any backend. */
final class Networks {
    private Networks() {
    }

    /** "mlp32": 32-64-64-1 ReLU MLP; "chart": 400-256x5-6 ReLU MLP with softmax (the pretrained network's shape). */
    static NetworkBuilder spec(String name) {
        switch (name) {
            case "mlp32":
                return Network.builder(32).dense(64).relu().dense(64).relu().dense(1);
            case "chart":
                return Network.builder(400).dense(256).relu().dense(256).relu().dense(256).relu().dense(256).relu()
                    .dense(256).relu().dense(6).softmax();
            default:
                throw new IllegalArgumentException("unknown network '" + name + "'");
        }
    }

    static Network build(String name, Backend backend, int maxBatch) {
        return spec(name).build(backend, maxBatch, 17);
    }

    /** Fills the first {@code rows} input rows with uniform values in [-1, 1). */
    static void randomInput(Network net, int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < rows * net.inputs(); i++) {
            net.input().putFloat(i * Float.BYTES, (float) (r.nextDouble() * 2 - 1));
        }
    }

    /** Weight floats of a network: what single-sample inference must stream through the cache. */
    static long weightFloats(Network net) {
        return net.parameters().parameterCount();
    }
}
