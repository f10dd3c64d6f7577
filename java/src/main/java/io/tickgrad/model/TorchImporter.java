package io.tickgrad.model;

import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Dense;
import io.tickgrad.nn.Layer;
import io.tickgrad.nn.LayerNorm;
import io.tickgrad.nn.Network;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Imports PyTorch weights saved with safetensors into a network of a given architecture.
 *
 * <p>Names follow {@code torch.nn.Sequential}: the layer at index i of the architecture (activations and
 * dropout count, as they do in a Sequential) owns {@code <prefix>i.weight} and {@code <prefix>i.bias}. A Linear
 * weight is [out, in] in PyTorch and is transposed into tickgrad's [in, out]; a LayerNorm's weight and bias become
 * gamma and beta. Explicit {@code overrides} map a tickgrad tensor name to a file tensor name. F16, BF16 and F64
 * tensors are converted to F32. Any missing, unexpected or mis-shaped tensor is refused with a message listing
 * every difference.
 */
public final class TorchImporter {
    private TorchImporter() {
    }

    /**
     * Builds a network of {@code arch} and fills it with the tensors of a PyTorch safetensors file.
     *
     * @param file      the safetensors file (e.g. from {@code safetensors.torch.save_file(model.state_dict(), ...)})
     * @param arch      the architecture, layer for layer as the Sequential
     * @param backend   the backend of the new network (borrowed)
     * @param maxBatch  the new network's row capacity
     * @param prefix    the prefix of the tensor names ("" for a bare Sequential, e.g. "net." for a submodule)
     * @param overrides tickgrad tensor name to file tensor name, for names that do not follow the Sequential scheme
     * @return a new network owned by the caller (free it with {@link Network#close()})
     * @throws IllegalArgumentException when maxBatch is out of range for the architecture
     * @throws java.io.UncheckedIOException wrapping a {@link CheckpointFormatException} listing every missing,
     *                                      unexpected or mis-shaped tensor, or the I/O error
     */
    public static Network importSequential(Path file, Architecture arch, Backend backend, int maxBatch, String prefix,
                                           Map<String, String> overrides) {
        SafeTensorsFile st;
        try {
            st = SafeTensors.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        try {
            ModelLimits.requireBackedInput(arch, true, file.toString(), "--arch inputs");
        } catch (IllegalArgumentException e) {
            throw new UncheckedIOException(new CheckpointFormatException(file, "tensors", e.getMessage()
                .substring(file.toString().length() + 2), e));
        }
        // names and shapes first, from the architecture alone: nothing is allocated for a network the file cannot fill
        List<String> problems = new ArrayList<>();
        Set<String> used = new HashSet<>();
        List<Assignment> assignments = new ArrayList<>();
        long width = arch.inputs();
        for (int i = 0; i < arch.layers().size(); i++) {
            Layer layer = arch.layers().get(i);
            if (layer instanceof Dense d) {
                String w = sourceName(overrides, d.name() + ".weight", prefix + i + ".weight");
                TensorEntry tw = expect(st, w, new long[] {d.units(), width}, problems, used);
                if (tw != null) {
                    assignments.add(new Assignment(d.name() + ".weight", tw, d.units(), (int) width));
                }
                if (d.useBias()) {
                    String b = sourceName(overrides, d.name() + ".bias", prefix + i + ".bias");
                    TensorEntry tb = expect(st, b, new long[] {d.units()}, problems, used);
                    if (tb != null) {
                        assignments.add(new Assignment(d.name() + ".bias", tb, 0, 0));
                    }
                }
                width = d.units();
            } else if (layer instanceof LayerNorm ln) {
                TensorEntry g = expect(st, sourceName(overrides, ln.name() + ".gamma", prefix + i + ".weight"),
                    new long[] {width}, problems, used);
                TensorEntry b = expect(st, sourceName(overrides, ln.name() + ".beta", prefix + i + ".bias"),
                    new long[] {width}, problems, used);
                if (g != null) {
                    assignments.add(new Assignment(ln.name() + ".gamma", g, 0, 0));
                }
                if (b != null) {
                    assignments.add(new Assignment(ln.name() + ".beta", b, 0, 0));
                }
            }
        }
        for (TensorEntry t : st.tensors()) {
            if (!used.contains(t.name())) {
                problems.add("unexpected tensor '" + t.name() + "' " + Arrays.toString(t.shape()));
            }
        }
        if (!problems.isEmpty()) {
            throw new UncheckedIOException(new CheckpointFormatException(file, "tensors",
                "do not match the architecture: " + String.join("; ", problems)));
        }
        for (Assignment a : assignments) {
            Checkpoint.requireFinite(a.source(), file);
        }
        if (maxBatch < 1 || maxBatch > ModelLimits.maxBatch(arch)) {
            throw new IllegalArgumentException("maxBatch " + maxBatch + ": expected 1 to " + ModelLimits.maxBatch(arch)
                + " rows for this architecture");
        }
        Network net = Network.create(arch.inputs(), arch.layers(), backend, maxBatch);
        try {
            for (Assignment a : assignments) {
                float[] data = a.rows() > 0 ? transpose(a.source().data(), a.rows(), a.cols()) : a.source().data();
                net.setParameter(a.target(), data);
            }
            return net;
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /** A file tensor for a network parameter; {@code rows > 0}: a [rows, cols] Linear weight to transpose. */
    private record Assignment(String target, TensorEntry source, int rows, int cols) {
    }

    private static String sourceName(Map<String, String> overrides, String ours, String theirs) {
        return overrides.getOrDefault(ours, theirs);
    }

    private static TensorEntry expect(SafeTensorsFile st, String name, long[] shape, List<String> problems,
                                      Set<String> used) {
        TensorEntry t = st.tensor(name);
        if (t == null) {
            problems.add("missing tensor '" + name + "' " + Arrays.toString(shape));
            return null;
        }
        used.add(name);
        if (!Arrays.equals(t.shape(), shape)) {
            problems.add("tensor '" + name + "' has shape " + Arrays.toString(t.shape()) + ", expected "
                + Arrays.toString(shape));
            return null;
        }
        return t;
    }

    /** [rows, cols] to [cols, rows]. */
    static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[r * cols + c];
            }
        }
        return t;
    }
}
