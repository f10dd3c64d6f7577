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

    public static Network importSequential(Path file, Architecture arch, Backend backend, int maxBatch, String prefix,
                                           Map<String, String> overrides) {
        SafeTensorsFile st;
        try {
            st = SafeTensors.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        Network net = Network.create(arch.inputs(), arch.layers(), backend, maxBatch);
        try {
            List<String> problems = new ArrayList<>();
            Set<String> used = new HashSet<>();
            List<Runnable> assignments = new ArrayList<>();
            for (int i = 0; i < net.layers().size(); i++) {
                Layer layer = net.layers().get(i);
                if (layer instanceof Dense) {
                    Dense d = (Dense) layer;
                    String w = sourceName(overrides, d.weight().name(), prefix + i + ".weight");
                    TensorEntry tw = expect(st, w, new long[] {d.units(), d.inFeatures()}, problems, used);
                    if (tw != null) {
                        assignments.add(() -> net.setParameter(d.weight().name(),
                            transpose(tw.data(), d.units(), d.inFeatures())));
                    }
                    if (d.bias() != null) {
                        String b = sourceName(overrides, d.bias().name(), prefix + i + ".bias");
                        TensorEntry tb = expect(st, b, new long[] {d.units()}, problems, used);
                        if (tb != null) {
                            assignments.add(() -> net.setParameter(d.bias().name(), tb.data()));
                        }
                    }
                } else if (layer instanceof LayerNorm) {
                    LayerNorm ln = (LayerNorm) layer;
                    int dim = ln.inFeatures();
                    TensorEntry g = expect(st, sourceName(overrides, ln.gamma().name(), prefix + i + ".weight"),
                        new long[] {dim}, problems, used);
                    TensorEntry b = expect(st, sourceName(overrides, ln.beta().name(), prefix + i + ".bias"),
                        new long[] {dim}, problems, used);
                    if (g != null && b != null) {
                        assignments.add(() -> {
                            net.setParameter(ln.gamma().name(), g.data());
                            net.setParameter(ln.beta().name(), b.data());
                        });
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
            assignments.forEach(Runnable::run);
            return net;
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
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
