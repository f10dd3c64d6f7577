package io.tickgrad.nn.cuda;

import io.tickgrad.nativeio.Abi;
import io.tickgrad.nativeio.TickgradCuda;
import io.tickgrad.nn.ActivationLayer;
import io.tickgrad.nn.Activation;
import io.tickgrad.nn.Dense;
import io.tickgrad.nn.Layer;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.Softmax;
import io.tickgrad.tensor.ParamEntry;
import io.tickgrad.tensor.ParamTable;
import io.tickgrad.tensor.Slab;
import java.util.Arrays;
import java.util.List;

/**
 * What the CUDA MLP runner needs to know about a dense network: its widths, hidden activation, output softmax,
 * and the offset of every parameter tensor in the Java parameter slab ({@link ParamTable}). The runner never lays
 * out parameters itself; it takes these offsets (through {@code tg_cuda_mlp_layout}), so
 * {@code CudaNetwork.setParams(network.parameterSlab())} is right for any widths.
 *
 * <p>Immutable; holds no native memory.
 *
 * <p>An immutable value on the Java heap: any thread.
 */
public final class CudaLayout {
    private final int[] dims;
    private final long[] offsets;
    private final long paramFloats;
    private final int hiddenActivation;
    private final boolean outputSoftmax;

    private CudaLayout(int[] dims, long[] offsets, long paramFloats, int hiddenActivation, boolean outputSoftmax) {
        this.dims = dims;
        this.offsets = offsets;
        this.paramFloats = paramFloats;
        this.hiddenActivation = hiddenActivation;
        this.outputSoftmax = outputSoftmax;
    }

    /**
     * The layout of a network the runner can run: Dense layers with bias, each hidden one followed by the same
     * activation (not leaky ReLU), the last one linear, optionally followed by a Softmax.
     *
     * @param net the network (read only)
     * @return the layout
     * @throws IllegalArgumentException naming the layer that does not fit
     */
    public static CudaLayout of(Network net) {
        List<Layer> layers = net.layers();
        int denseCount = 0;
        for (Layer layer : layers) {
            if (layer instanceof Dense) {
                denseCount++;
            }
        }
        if (denseCount < 1 || denseCount > TickgradCuda.CUDA_MLP_MAX_LAYERS) {
            throw new IllegalArgumentException("the CUDA runner needs 1 to " + TickgradCuda.CUDA_MLP_MAX_LAYERS
                + " Dense layers, the network has " + denseCount);
        }
        int[] dims = new int[denseCount + 1];
        long[] offsets = new long[2 * denseCount];
        dims[0] = net.inputs();
        Activation hidden = null;
        boolean softmax = false;
        int d = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            if (layer instanceof Dense) {
                Dense dense = (Dense) layer;
                if (!dense.useBias()) {
                    throw new IllegalArgumentException("layer '" + layer.name()
                        + "': the CUDA runner needs a bias on every Dense layer");
                }
                offsets[2 * d] = dense.weight().offset();
                offsets[2 * d + 1] = dense.bias().offset();
                dims[++d] = dense.units();
                boolean last = d == denseCount;
                Layer next = i + 1 < layers.size() ? layers.get(i + 1) : null;
                if (!last) {
                    if (!(next instanceof ActivationLayer)) {
                        throw new IllegalArgumentException("layer '" + layer.name()
                            + "': the CUDA runner needs an activation after every hidden Dense layer");
                    }
                    Activation a = ((ActivationLayer) next).activation();
                    if (a == Activation.LEAKY_RELU || (hidden != null && a != hidden)) {
                        throw new IllegalArgumentException("layer '" + next.name() + "': the CUDA runner needs one"
                            + " hidden activation, not leaky ReLU, for every layer; found " + a.configName()
                            + (hidden == null ? "" : " after " + hidden.configName()));
                    }
                    hidden = a;
                    i++;
                } else if (next instanceof Softmax && i + 2 == layers.size()) {
                    softmax = true;
                    i++;
                } else if (next != null) {
                    throw new IllegalArgumentException("layer '" + next.name() + "': the CUDA runner takes only a"
                        + " Softmax after the last Dense layer, found " + next.type());
                }
            } else {
                throw new IllegalArgumentException("layer '" + layer.name() + "' (" + layer.type()
                    + "): the CUDA runner runs Dense layers with one hidden activation and an optional Softmax");
            }
        }
        return new CudaLayout(dims, offsets, net.parameters().totalFloats(),
            hidden == null ? Abi.ACT_IDENTITY : hidden.code(), softmax);
    }

    /**
     * The layout a {@link Network} of these widths would have (tensors named as {@link Dense} names them, laid
     * out by {@link ParamTable}), for runners built from widths alone.
     *
     * @param dims             layer widths, inputs first
     * @param hiddenActivation {@code Abi.ACT_*} of the hidden layers
     * @param outputSoftmax    whether predict applies a softmax to the last layer
     * @return the layout
     */
    public static CudaLayout of(int[] dims, int hiddenActivation, boolean outputSoftmax) {
        if (dims.length < 2 || dims.length - 1 > TickgradCuda.CUDA_MLP_MAX_LAYERS) {
            throw new IllegalArgumentException("dims needs inputs, outputs and at most "
                + TickgradCuda.CUDA_MLP_MAX_LAYERS + " layers, got " + Arrays.toString(dims));
        }
        ParamTable.Builder tb = ParamTable.builder();
        long[] offsets = new long[2 * (dims.length - 1)];
        for (int l = 0; l + 1 < dims.length; l++) {
            ParamEntry w = tb.add("dense_" + l + ".weight", dims[l], dims[l + 1]);
            ParamEntry b = tb.add("dense_" + l + ".bias", dims[l + 1]);
            offsets[2 * l] = w.offset();
            offsets[2 * l + 1] = b.offset();
        }
        return new CudaLayout(dims.clone(), offsets, tb.build().totalFloats(), hiddenActivation, outputSoftmax);
    }

    /**
     * Layer widths, inputs first.
     *
     * @return a copy
     */
    public int[] dims() {
        return dims.clone();
    }

    /**
     * Number of Dense layers.
     *
     * @return dims().length - 1
     */
    public int layers() {
        return dims.length - 1;
    }

    /**
     * Per layer, the float offset of W [in, out] and then of its bias, as in the Java parameter slab.
     *
     * @return a copy, 2 x layers values
     */
    public long[] offsets() {
        return offsets.clone();
    }

    /**
     * Floats of the parameter slab, padding included.
     *
     * @return floats
     */
    public long paramFloats() {
        return paramFloats;
    }

    /**
     * {@code Abi.ACT_*} of the hidden layers.
     *
     * @return the code
     */
    public int hiddenActivation() {
        return hiddenActivation;
    }

    /**
     * Whether predict applies a softmax after the last (linear) layer.
     *
     * @return the flag
     */
    public boolean outputSoftmax() {
        return outputSoftmax;
    }

    /**
     * The offsets the CUDA runner would use for this layout, as {@code tg_cuda_mlp_layout} returns them: the same
     * function {@code tg_cuda_mlp_create} takes its offsets from. A host function: needs no GPU (it is in the stub
     * library too), only libtickgrad_cuda.
     *
     * @return 2 x layers float offsets
     * @throws IllegalStateException when the library refuses the layout (a tensor outside the slab, two overlapping)
     */
    public long[] runnerOffsets() {
        TickgradCuda.load();
        int n = layers();
        try (Slab args = Slab.ofBytes("cuda-layout", 8L * offsets.length * 2 + 4L * dims.length)) {
            long inAt = args.address();
            long outAt = inAt + 8L * offsets.length;
            long dimsAt = outAt + 8L * offsets.length;
            write(args, inAt, dimsAt);
            for (int t = 0; t < offsets.length; t++) {
                args.buffer().putLong(8 * offsets.length + 8 * t, -1L);
            }
            CudaRuntime.check(TickgradCuda.tg_cuda_mlp_layout(outAt, dimsAt, n, inAt, paramFloats),
                "tg_cuda_mlp_layout " + Arrays.toString(dims));
            long[] out = new long[offsets.length];
            for (int t = 0; t < out.length; t++) {
                out[t] = args.buffer().getLong(8 * offsets.length + 8 * t);
            }
            return out;
        }
    }

    /** Writes offsets (int64) at {@code offsetsAt} and dims (int32) at {@code dimsAt}, both inside {@code slab}. */
    void write(Slab slab, long offsetsAt, long dimsAt) {
        long base = slab.address();
        for (int t = 0; t < offsets.length; t++) {
            slab.buffer().putLong((int) (offsetsAt - base) + 8 * t, offsets[t]);
        }
        for (int i = 0; i < dims.length; i++) {
            slab.buffer().putInt((int) (dimsAt - base) + 4 * i, dims[i]);
        }
    }

    @Override
    public String toString() {
        return "CudaLayout" + Arrays.toString(dims) + " offsets " + Arrays.toString(offsets) + " of " + paramFloats;
    }
}
