package io.tickgrad.model;

import io.tickgrad.JvmFlags;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Network;
import io.tickgrad.tensor.ParamEntry;
import java.nio.file.Path;
import java.util.Map;

/**
 * A checkpoint read from its file and checked once (format, architecture, every tensor's name, shape and
 * finiteness), kept in memory: {@link #newNetwork} builds networks from it without reading or parsing the file
 * again, as a sweep does for each of its hundreds of tasks. Immutable and safe to share between threads; it holds
 * the weights on the heap (float32, as many bytes as the file's tensors).
 */
public final class CheckpointImage {
    private final Path file;
    private final SafeTensorsFile tensors;
    private final Architecture architecture;

    private CheckpointImage(Path file, SafeTensorsFile tensors, Architecture architecture) {
        this.file = file;
        this.tensors = tensors;
        this.architecture = architecture;
    }

    /**
     * Reads and checks {@code file}.
     *
     * @param file a tickgrad checkpoint
     * @return its image
     * @throws java.io.UncheckedIOException wrapping a {@link CheckpointFormatException} that names the file and field
     *                                      when it is not a valid tickgrad checkpoint, or the I/O error
     * @throws IllegalStateException        when a JVM flag the off-heap memory needs is missing
     */
    public static CheckpointImage read(Path file) {
        JvmFlags.requireCore();
        SafeTensorsFile st = Checkpoint.read(file);
        Architecture arch = Checkpoint.architecture(st, file);
        // before anything is allocated: the tensors, read from the file, bound the network's size
        Map<String, long[]> shapes = Checkpoint.expectedShapes(arch);
        Checkpoint.requireTensors(shapes, st, file);
        for (String name : shapes.keySet()) {
            Checkpoint.requireFinite(st.tensor(name), file);
        }
        return new CheckpointImage(file, st, arch);
    }

    /** @return the file it was read from */
    public Path file() {
        return file;
    }

    /** @return the checkpoint's {@code __metadata__} strings (unmodifiable) */
    public Map<String, String> metadata() {
        return tensors.metadata();
    }

    /** @return the network's architecture */
    public Architecture architecture() {
        return architecture;
    }

    /**
     * A new network with the checkpoint's weights, trainable mask, learning-rate scales and weight-decay flags, as
     * {@link Checkpoint#load} builds from the file.
     *
     * @param backend  the backend of the new network (borrowed)
     * @param maxBatch the row capacity of the new network
     * @return a new network owned by the caller (free it with {@link Network#close()})
     * @throws IllegalArgumentException     when maxBatch is out of range for this architecture
     * @throws java.io.UncheckedIOException wrapping a {@link CheckpointFormatException} for flags that do not parse
     */
    public Network newNetwork(Backend backend, int maxBatch) {
        if (maxBatch < 1 || maxBatch > ModelLimits.maxBatch(architecture)) {
            throw new IllegalArgumentException("maxBatch " + maxBatch + " for " + file + ": expected 1 to "
                + ModelLimits.maxBatch(architecture) + " rows (" + ModelLimits.activationFloatsPerRow(architecture)
                + " floats of activations per row, at most " + ModelLimits.MAX_SLAB_FLOATS + " in all)");
        }
        Network net;
        try {
            net = Network.create(architecture.inputs(), architecture.layers(), backend, maxBatch);
        } catch (IllegalArgumentException e) {
            throw Checkpoint.invalid(file, "__metadata__." + Checkpoint.ARCHITECTURE_KEY, "describes an invalid "
                + "network: " + e.getMessage());
        }
        try {
            for (ParamEntry e : net.parameters().entries()) {
                net.setParameter(e.name(), tensors.tensor(e.name()).data());   // names and shapes checked by read
            }
            Checkpoint.applyFlags(net, tensors.metadata(), file);
            return net;
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }
}
