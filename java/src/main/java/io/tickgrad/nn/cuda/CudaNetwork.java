package io.tickgrad.nn.cuda;

import io.tickgrad.nativeio.Abi;
import io.tickgrad.nativeio.TickgradCuda;
import io.tickgrad.tensor.Slab;
import java.util.Arrays;

/**
 * A dense network on one GPU, run by libtickgrad_cuda's MLP runner: the fixed-shape inference forward and the
 * whole training step (copy in, forward, loss, backward, optimizer, copy out) are captured once as CUDA Graphs and
 * replayed. Parameters keep the Java slab layout of the network they come from ({@link CudaLayout}: the runner
 * takes every tensor's offset from the {@link io.tickgrad.tensor.ParamTable}), so {@code setParams(
 * network.parameterSlab())} and {@code getParams(network.parameterSlab())} move whole slabs unchanged. Parameters,
 * gradients, optimizer state and activations are each one device allocation; inputs and outputs go through pinned
 * host buffers ({@link #inferInput()}, ...), which callers fill in place; inference and training run on separate
 * streams, each with its own parameter copy ({@link #publish()} copies the trained one to inference on the
 * device, ordered after training, without stopping predictions).
 *
 * <p>Create only after {@link CudaRuntime#detect()} reports a GPU; {@link #create} throws otherwise. Not
 * thread-safe: one inference thread and one training thread may share it only if they coordinate
 * {@link #publish()} and {@link #setParams}. Free it with {@link #close()}.
 */
public final class CudaNetwork implements AutoCloseable {
    /**
     * Optimizer settings: SGD (lr, momentum, weight decay, Nesterov) or Adam / AdamW (lr, b1, b2, eps, wd).
     *
     * @param kind   {@code TickgradCuda.CUDA_OPT_*}
     * @param params five hyperparameters in the runner's order (see the factories)
     */
    public record Optimizer(int kind, float[] params) {
        /**
         * SGD settings, with PyTorch's semantics.
         *
         * @param lr          learning rate
         * @param momentum    momentum factor, 0 for plain SGD
         * @param weightDecay L2 weight decay
         * @param nesterov    whether to use Nesterov momentum
         * @return the settings
         */
        public static Optimizer sgd(float lr, float momentum, float weightDecay, boolean nesterov) {
            return new Optimizer(TickgradCuda.CUDA_OPT_SGD, new float[] {lr, momentum, weightDecay, nesterov ? 1 : 0, 0});
        }

        /**
         * Adam or AdamW settings.
         *
         * @param lr          learning rate
         * @param beta1       decay of the first moment
         * @param beta2       decay of the second moment
         * @param eps         added to the denominator
         * @param weightDecay weight decay
         * @param decoupled   true for AdamW, false for Adam with L2
         * @return the settings
         */
        public static Optimizer adam(float lr, float beta1, float beta2, float eps, float weightDecay,
                                     boolean decoupled) {
            return new Optimizer(decoupled ? TickgradCuda.CUDA_OPT_ADAMW : TickgradCuda.CUDA_OPT_ADAM,
                new float[] {lr, beta1, beta2, eps, weightDecay});
        }
    }

    private final CudaLayout layout;
    private final int[] dims;
    private final int inferBatch;
    private final int trainBatch;
    private final long handle;
    private final long paramCount;
    private final Slab scratch;  // [0, 4): loss; [8, ...): trainable flags
    private boolean closed;

    private CudaNetwork(CudaLayout layout, int inferBatch, int trainBatch, long handle, Slab scratch) {
        this.layout = layout;
        this.dims = layout.dims();
        this.inferBatch = inferBatch;
        this.trainBatch = trainBatch;
        this.handle = handle;
        this.scratch = scratch;
        this.paramCount = TickgradCuda.tg_cuda_mlp_param_count(handle);
    }

    /**
     * A runner for the widths alone, laid out as a {@link io.tickgrad.nn.Network} of Dense layers would be.
     *
     * @param dims        layer widths, inputs first: {400, 256, 256, 256, 256, 256, 6}
     * @param hiddenAct   {@code Abi.ACT_*} of the hidden layers (not leaky ReLU); the last layer is linear
     * @param outSoftmax  predict applies a softmax to the last layer
     * @param inferBatch  rows per {@link #predict()}
     * @param trainBatch  rows per {@link #trainStep()}
     * @param lossKind    {@code Abi.LOSS_*} on the linear outputs (softmax cross-entropy for classifiers)
     * @param lossParam   as {@code tg_loss}
     * @param optimizer   the optimizer settings
     * @return the runner, owning device and pinned memory until {@link #close()}
     * @throws IllegalStateException when no GPU is available or the runtime refuses the runner
     */
    public static CudaNetwork create(int[] dims, int hiddenAct, boolean outSoftmax, int inferBatch, int trainBatch,
                                     int lossKind, float lossParam, Optimizer optimizer) {
        for (int d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException("every width must be >= 1, got " + Arrays.toString(dims));
            }
        }
        return create(CudaLayout.of(dims, hiddenAct, outSoftmax), inferBatch, trainBatch, lossKind, lossParam,
            optimizer);
    }

    /**
     * A runner for this network's shape and parameter layout, with its frozen tensors frozen; copy the weights in
     * with {@code setParams(net.parameterSlab())}.
     *
     * @param net        the network whose shape, layout and frozen tensors to take (read only)
     * @param inferBatch rows per {@link #predict()}
     * @param trainBatch rows per {@link #trainStep()}
     * @param lossKind   {@code Abi.LOSS_*} on the linear outputs
     * @param lossParam  as {@code tg_loss}
     * @param optimizer  the optimizer settings
     * @return the runner; the caller frees it with {@link #close()}
     * @throws IllegalArgumentException when the network is not Dense layers with one hidden activation
     */
    public static CudaNetwork of(io.tickgrad.nn.Network net, int inferBatch, int trainBatch, int lossKind,
                                 float lossParam, Optimizer optimizer) {
        CudaNetwork cuda = create(CudaLayout.of(net), inferBatch, trainBatch, lossKind, lossParam, optimizer);
        try {
            cuda.setTrainable(net.parameters());
            return cuda;
        } catch (RuntimeException e) {
            cuda.close();
            throw e;
        }
    }

    /**
     * A runner for a layout; see {@link #create(int[], int, boolean, int, int, int, float, Optimizer)}.
     *
     * @param layout     the parameter layout
     * @param inferBatch rows per {@link #predict()}
     * @param trainBatch rows per {@link #trainStep()}
     * @param lossKind   {@code Abi.LOSS_*} on the linear outputs
     * @param lossParam  as {@code tg_loss}
     * @param optimizer  the optimizer settings
     * @return the runner; the caller frees it with {@link #close()}
     * @throws IllegalStateException when no GPU is available or the runtime refuses the runner
     */
    public static CudaNetwork create(CudaLayout layout, int inferBatch, int trainBatch, int lossKind, float lossParam,
                                     Optimizer optimizer) {
        CudaRuntime.detect().requireAvailable();
        if (inferBatch < 1 || trainBatch < 1) {
            throw new IllegalArgumentException("batches must be >= 1, got " + inferBatch + " and " + trainBatch);
        }
        int[] dims = layout.dims();
        int nOff = 2 * layout.layers();
        try (Slab args = Slab.ofBytes("cuda-mlp-args", 8 + 8L * nOff + 4L * dims.length + 4 * 5)) {
            long handleAt = args.address();
            long offsetsAt = handleAt + 8;
            long dimsAt = offsetsAt + 8L * nOff;
            long optAt = dimsAt + 4L * dims.length;
            layout.write(args, offsetsAt, dimsAt);
            for (int i = 0; i < 5; i++) {
                args.buffer().putFloat((int) (optAt - handleAt) + 4 * i, optimizer.params()[i]);
            }
            CudaRuntime.check(TickgradCuda.tg_cuda_mlp_create(handleAt, dimsAt, layout.layers(), offsetsAt,
                layout.paramFloats(), layout.hiddenActivation(), layout.outputSoftmax() ? 1 : 0, inferBatch,
                trainBatch, lossKind, lossParam, optimizer.kind(), optAt), "tg_cuda_mlp_create " + layout);
            long h = args.buffer().getLong(0);
            return new CudaNetwork(layout, inferBatch, trainBatch, h,
                Slab.ofBytes("cuda-mlp-scratch", 8 + 4L * nOff));
        }
    }

    /**
     * The chart-pattern network's shape: 400-256x5-6, ReLU, softmax output, softmax cross-entropy.
     *
     * @param inferBatch rows per {@link #predict()}
     * @param trainBatch rows per {@link #trainStep()}
     * @param optimizer  the optimizer settings
     * @return the runner; the caller frees it with {@link #close()}
     */
    public static CudaNetwork chartPatterns(int inferBatch, int trainBatch, Optimizer optimizer) {
        return create(new int[] {400, 256, 256, 256, 256, 256, 6}, Abi.ACT_RELU, true, inferBatch, trainBatch,
            Abi.LOSS_SOFTMAX_XENT, 0f, optimizer);
    }

    /**
     * Floats of the parameter slab (the layout's, padding included): what set/getParams copy.
     *
     * @return floats
     */
    public long paramCount() {
        return paramCount;
    }

    /**
     * The parameter layout the runner uses.
     *
     * @return the layout
     */
    public CudaLayout layout() {
        return layout;
    }

    /**
     * Freezes the tensors the table marks as not trainable (matched by offset to this runner's layout): the
     * optimizer leaves them, and the backward stops below the lowest trainable layer.
     *
     * @param table the table of a network with this layout
     * @throws IllegalStateException naming the native call and the CUDA error when the runtime refuses it, or after
     *                               {@link #close()}
     */
    public void setTrainable(io.tickgrad.tensor.ParamTable table) {
        open();
        long[] offsets = layout.offsets();
        for (int t = 0; t < offsets.length; t++) {
            boolean trainable = true;
            for (io.tickgrad.tensor.ParamEntry e : table.entries()) {
                if (e.offset() == offsets[t]) {
                    trainable = e.trainable();
                }
            }
            scratch.buffer().putInt(8 + 4 * t, trainable ? 1 : 0);
        }
        CudaRuntime.check(TickgradCuda.tg_cuda_mlp_set_trainable(handle, scratch.address() + 8),
            "tg_cuda_mlp_set_trainable");
    }

    /**
     * The input width.
     *
     * @return floats per input row
     */
    public int inputs() {
        return dims[0];
    }

    /**
     * The output width.
     *
     * @return floats per output row
     */
    public int outputs() {
        return dims[dims.length - 1];
    }

    /**
     * Rows per {@link #predict()}.
     *
     * @return rows
     */
    public int inferBatch() {
        return inferBatch;
    }

    /**
     * Rows per {@link #trainStep()}.
     *
     * @return rows
     */
    public int trainBatch() {
        return trainBatch;
    }

    /**
     * Copies {@link #paramCount()} floats (a whole slab in the layout's order) from host memory into both parameter
     * copies; resets optimizer state.
     *
     * @param hostAddress host address of the floats
     * @param count       floats, equal to {@link #paramCount()}
     * @throws IllegalStateException naming the native call and the CUDA error when the runtime refuses it, or after
     *                               {@link #close()}
     */
    public void setParams(long hostAddress, long count) {
        open();
        CudaRuntime.check(TickgradCuda.tg_cuda_mlp_set_params(handle, hostAddress, count), "tg_cuda_mlp_set_params");
    }

    /**
     * Copies a whole parameter slab (a network's {@code parameterSlab()}) into both parameter copies; resets optimizer
     * state.
     *
     * @param slab a slab of at least {@link #paramCount()} floats in this layout
     * @throws IllegalArgumentException when the slab is too small
     * @throws IllegalStateException naming the native call and the CUDA error when the runtime refuses it, or after
     *                               {@link #close()}
     */
    public void setParams(Slab slab) {
        requireCapacity(slab);
        setParams(slab.address(), paramCount);
    }

    /**
     * Copies the training parameters to host memory.
     *
     * @param hostAddress host address of room for count floats
     * @param count       floats, equal to {@link #paramCount()}
     * @throws IllegalStateException naming the native call and the CUDA error when the runtime refuses it, or after
     *                               {@link #close()}
     */
    public void getParams(long hostAddress, long count) {
        open();
        CudaRuntime.check(TickgradCuda.tg_cuda_mlp_get_params(handle, hostAddress, count), "tg_cuda_mlp_get_params");
    }

    /**
     * Copies the training parameters into a slab (a network's {@code parameterSlab()}).
     *
     * @param slab a slab of at least {@link #paramCount()} floats in this layout
     * @throws IllegalArgumentException when the slab is too small
     * @throws IllegalStateException naming the native call and the CUDA error when the runtime refuses it, or after
     *                               {@link #close()}
     */
    public void getParams(Slab slab) {
        requireCapacity(slab);
        getParams(slab.address(), paramCount);
    }

    /**
     * Pinned host buffer [inferBatch, inputs] read by {@link #predict()}.
     *
     * @return the host address, owned by the runner, valid until {@link #close()}
     */
    public long inferInput() {
        return TickgradCuda.tg_cuda_mlp_infer_input(handle);
    }

    /**
     * Pinned host buffer [inferBatch, outputs] written by {@link #predict()}.
     *
     * @return the host address, owned by the runner, valid until {@link #close()}
     */
    public long inferOutput() {
        return TickgradCuda.tg_cuda_mlp_infer_output(handle);
    }

    /**
     * Pinned host buffer [trainBatch, inputs] read by {@link #trainStep()}.
     *
     * @return the host address, owned by the runner, valid until {@link #close()}
     */
    public long trainInput() {
        return TickgradCuda.tg_cuda_mlp_train_input(handle);
    }

    /**
     * Pinned host buffer [trainBatch, outputs] of targets read by {@link #trainStep()}.
     *
     * @return the host address, owned by the runner, valid until {@link #close()}
     */
    public long trainTarget() {
        return TickgradCuda.tg_cuda_mlp_train_target(handle);
    }

    /** Runs the forward pass on the inference input and waits for the output (graph replay). */
    public void predict() {
        open();
        CudaRuntime.check(TickgradCuda.tg_cuda_mlp_predict(handle), "tg_cuda_mlp_predict");
    }

    /**
     * One training step on the train input and target; returns the batch loss before the update.
     *
     * @return the loss
     * @throws IllegalStateException naming the native call and the CUDA error when the runtime refuses it, or after
     *                               {@link #close()}
     */
    public float trainStep() {
        open();
        CudaRuntime.check(TickgradCuda.tg_cuda_mlp_train_step(handle, scratch.address()), "tg_cuda_mlp_train_step");
        return scratch.getFloat(0);
    }

    /** Makes the trained parameters the ones {@link #predict()} uses. */
    public void publish() {
        open();
        CudaRuntime.check(TickgradCuda.tg_cuda_mlp_publish(handle), "tg_cuda_mlp_publish");
    }

    /** Forward mode: one GEMM kernel per layer. */
    public static final int LAYERED = TickgradCuda.CUDA_MLP_LAYERED;
    /** Forward mode: one kernel, one block per sample, activations in shared memory. */
    public static final int FUSED_BLOCK = TickgradCuda.CUDA_MLP_FUSED_BLOCK;
    /**
     * Forward mode: one kernel on a cluster of 8 blocks per sample (sm_90): a kernel-lab experiment
     * (native/cuda/lab/), so {@link #setForwardMode} always answers false for it.
     */
    public static final int FUSED_CLUSTER = TickgradCuda.CUDA_MLP_FUSED_CLUSTER;

    /**
     * Chooses how {@link #predict()} runs the forward ({@link #LAYERED}, {@link #FUSED_BLOCK},
     * {@link #FUSED_CLUSTER}); the default is the fused block kernel where the shape allows it, else layered.
     *
     * @param mode {@link #LAYERED}, {@link #FUSED_BLOCK} or {@link #FUSED_CLUSTER}
     * @return false when the mode cannot run here (nothing changed)
     */
    public boolean setForwardMode(int mode) {
        open();
        int st = TickgradCuda.tg_cuda_mlp_set_fused(handle, mode);
        if (st == io.tickgrad.nativeio.Status.ERR_UNSUPPORTED) {
            return false;
        }
        CudaRuntime.check(st, "tg_cuda_mlp_set_fused");
        return true;
    }

    /**
     * Replay CUDA Graphs (default) or launch kernel by kernel.
     *
     * @param graphs true to replay graphs
     */
    public void setGraphs(boolean graphs) {
        open();
        CudaRuntime.check(TickgradCuda.tg_cuda_mlp_set_graphs(handle, graphs ? 1 : 0), "tg_cuda_mlp_set_graphs");
    }

    private void requireCapacity(Slab slab) {
        if (slab.floatCapacity() < paramCount) {
            throw new IllegalArgumentException("slab " + slab.name() + " holds " + slab.floatCapacity()
                + " floats, the network has " + paramCount + " parameters");
        }
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("CudaNetwork is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        TickgradCuda.tg_cuda_mlp_destroy(handle);
        scratch.close();
    }
}
