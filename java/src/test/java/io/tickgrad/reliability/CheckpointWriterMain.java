package io.tickgrad.reliability;

import io.tickgrad.model.CheckpointStore;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.tensor.ParamEntry;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The process {@link CrashSafetyTest} kills: saves checkpoints into a store in a loop, forever, each with every
 * parameter equal to its version, and prints {@code saved <version>} after each save returns.
 * Arguments: the store directory, how many to keep.
 */
public final class CheckpointWriterMain {
    private CheckpointWriterMain() {
    }

    public static void main(String[] args) {
        CheckpointStore store = new CheckpointStore(Path.of(args[0]), Integer.parseInt(args[1]));
        try (NativeCpuBackend backend = NativeCpuBackend.create();
             Network net = CrashSafetyTest.network(backend)) {
            System.out.println("ready");
            System.out.flush();
            while (true) {
                long next = store.versions().isEmpty() ? 1 : store.versions().get(store.versions().size() - 1) + 1;
                for (ParamEntry e : net.parameters().entries()) {
                    float[] v = new float[(int) e.length()];
                    Arrays.fill(v, next);
                    net.setParameter(e.name(), v);
                }
                long saved = store.save(net);
                System.out.println("saved " + saved);
                System.out.flush();
            }
        }
    }
}
