package io.tickgrad.nn.cuda;

import io.tickgrad.nativeio.Abi;
import io.tickgrad.nativeio.TickgradCuda;
import io.tickgrad.nn.Backend;
import io.tickgrad.tensor.Slab;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The CUDA backend behind the {@link Backend} seam: every op runs as the CUDA kernel of libtickgrad_cuda, so
 * {@link io.tickgrad.nn.Network}, the trainer, fine-tuning with frozen layers and online learning run on the GPU
 * unchanged. The seam passes host addresses, so each op stages its operands through device buffers (copied in,
 * computed, copied out, stream synchronised before returning): correct by construction for any layout, but paying
 * PCIe copies per op. The fast paths keep everything on the device: {@link CudaNetwork} (a whole predict or
 * training step as one CUDA Graph, weights published to the inference copy on the device).
 *
 * <p>{@link #create()} refuses, with {@link CudaRuntime#reason()} as a one-line message, on a machine without a GPU,
 * without a driver, or with a library built without nvcc. Device buffers grow to the largest op seen and are then
 * reused: after warm-up an op allocates nothing. Used by one thread at a time; {@link #close()} frees the device
 * memory.
 */
public final class CudaBackend implements Backend {
    private static final int SLOTS = 8;

    private final long stream;
    private final long[] device = new long[SLOTS];
    private final long[] deviceBytes = new long[SLOTS];
    private final String name;
    private final Slab hostScratch = Slab.ofBytes("cuda-backend-scratch", 64);  // a loss or a sum read back
    private final UnsafeBuffer planView = new UnsafeBuffer(new byte[0]);  // rewrapped per call: no allocation
    private boolean closed;

    private CudaBackend(long stream, String name) {
        this.stream = stream;
        this.name = name;
    }

    /**
     * The CUDA backend on GPU 0.
     *
     * @return a backend owning a stream and device buffers on GPU 0; the caller frees them with {@link #close()}
     * @throws IllegalStateException "CUDA backend unavailable: ..." naming the missing GPU, driver or library
     */
    public static CudaBackend create() {
        CudaRuntime runtime = CudaRuntime.detect().requireAvailable();
        CudaRuntime.check(TickgradCuda.tg_cuda_set_device(0), "tg_cuda_set_device");
        long stream = TickgradCuda.tg_cuda_stream_create();
        if (stream == 0) {
            throw new IllegalStateException(CudaRuntime.UNAVAILABLE + "cannot create a CUDA stream: "
                + CudaRuntime.describe(TickgradCuda.CUDA_ERR_RUNTIME));
        }
        return new CudaBackend(stream, "cuda-" + runtime.devices().get(0).name().replace(' ', '-'));
    }

    @Override
    public String name() {
        return name;
    }

    // ---- staging ----

    /** Device buffer `slot` of at least `floats` floats (grown, never shrunk). */
    private long dev(int slot, long floats) {
        long bytes = Math.max(8, floats * Float.BYTES);
        if (deviceBytes[slot] < bytes) {
            TickgradCuda.tg_cuda_free(device[slot]);
            device[slot] = 0;
            deviceBytes[slot] = 0;
            long p = TickgradCuda.tg_cuda_malloc(bytes);
            if (p == 0) {
                throw new IllegalStateException("CUDA backend: cannot allocate " + bytes + " bytes of device memory: "
                    + CudaRuntime.describe(TickgradCuda.CUDA_ERR_RUNTIME));
            }
            device[slot] = p;
            deviceBytes[slot] = bytes;
        }
        return device[slot];
    }

    /** Copies `floats` host floats at `host` into slot `slot`; returns the device address (0 for host 0). */
    private long in(int slot, long host, long floats) {
        if (host == 0) {
            return 0;
        }
        long d = dev(slot, floats);
        CudaRuntime.check(TickgradCuda.tg_cuda_memcpy(d, host, floats * Float.BYTES, stream), "tg_cuda_memcpy");
        return d;
    }

    private void out(long host, long deviceAddress, long floats) {
        if (host != 0) {
            CudaRuntime.check(TickgradCuda.tg_cuda_memcpy(host, deviceAddress, floats * Float.BYTES, stream),
                "tg_cuda_memcpy");
        }
    }

    private void sync() {
        CudaRuntime.check(TickgradCuda.tg_cuda_stream_synchronize(stream), "tg_cuda_stream_synchronize");
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("CudaBackend is closed");
        }
    }

    // ---- ops ----

    @Override
    public void denseForward(long y, long x, long w, long bias, int batch, int in, int out) {
        open();
        long dy = dev(0, (long) batch * out);
        CudaRuntime.check(TickgradCuda.tg_cuda_dense_forward(dy, in(1, x, (long) batch * in),
            in(2, w, (long) in * out), in(3, bias, out), batch, in, out, stream), "tg_cuda_dense_forward");
        out(y, dy, (long) batch * out);
        sync();
    }

    @Override
    public void denseBackward(long dx, long dw, long dbias, long dy, long x, long w, int batch, int in, int out) {
        open();
        long ddx = dx == 0 ? 0 : dev(0, (long) batch * in);
        long ddw = in(1, dw, (long) in * out);       // accumulates: the current values go in first
        long ddb = in(2, dbias, out);
        CudaRuntime.check(TickgradCuda.tg_cuda_dense_backward(ddx, ddw, ddb, in(3, dy, (long) batch * out),
            in(4, x, (long) batch * in), in(5, w, (long) in * out), batch, in, out, stream), "tg_cuda_dense_backward");
        out(dx, ddx, (long) batch * in);
        out(dw, ddw, (long) in * out);
        out(dbias, ddb, out);
        sync();
    }

    @Override
    public void activationForward(long y, long x, long n, int kind, float alpha) {
        open();
        long d = in(0, x, n);
        CudaRuntime.check(TickgradCuda.tg_cuda_activation_forward(d, d, n, kind, alpha, stream),
            "tg_cuda_activation_forward");
        out(y, d, n);
        sync();
    }

    @Override
    public void activationBackward(long dx, long dy, long x, long y, long n, int kind, float alpha) {
        open();
        long d = in(0, dy, n);
        CudaRuntime.check(TickgradCuda.tg_cuda_activation_backward(d, d, in(1, x, n), in(2, y, n), n, kind, alpha,
            stream), "tg_cuda_activation_backward");
        out(dx, d, n);
        sync();
    }

    @Override
    public void softmaxForward(long y, long x, int batch, int classes) {
        open();
        long n = (long) batch * classes;
        long d = in(0, x, n);
        CudaRuntime.check(TickgradCuda.tg_cuda_softmax_forward(d, d, batch, classes, stream), "tg_cuda_softmax_forward");
        out(y, d, n);
        sync();
    }

    @Override
    public void softmaxBackward(long dx, long dy, long y, int batch, int classes) {
        open();
        long n = (long) batch * classes;
        long d = dev(0, n);
        CudaRuntime.check(TickgradCuda.tg_cuda_softmax_backward(d, in(1, dy, n), in(2, y, n), batch, classes, stream),
            "tg_cuda_softmax_backward");
        out(dx, d, n);
        sync();
    }

    @Override
    public void layerNormForward(long y, long mean, long rstd, long x, long gamma, long beta, int batch, int dim,
                                 float eps) {
        open();
        long n = (long) batch * dim;
        long d = dev(0, n);
        long dm = mean == 0 ? 0 : dev(1, batch);
        long dr = rstd == 0 ? 0 : dev(2, batch);
        CudaRuntime.check(TickgradCuda.tg_cuda_layernorm_forward(d, dm, dr, in(3, x, n), in(4, gamma, dim),
            in(5, beta, dim), batch, dim, eps, stream), "tg_cuda_layernorm_forward");
        out(y, d, n);
        out(mean, dm, batch);
        out(rstd, dr, batch);
        sync();
    }

    @Override
    public void layerNormBackward(long dx, long dgamma, long dbeta, long dy, long x, long mean, long rstd, long gamma,
                                  int batch, int dim) {
        open();
        long n = (long) batch * dim;
        long d = dev(0, n);
        long dg = in(1, dgamma, dim);
        long db = in(2, dbeta, dim);
        CudaRuntime.check(TickgradCuda.tg_cuda_layernorm_backward(d, dg, db, in(3, dy, n), in(4, x, n),
            in(5, mean, batch), in(6, rstd, batch), in(7, gamma, dim), batch, dim, stream),
            "tg_cuda_layernorm_backward");
        out(dx, d, n);
        out(dgamma, dg, dim);
        out(dbeta, db, dim);
        sync();
    }

    @Override
    public void dropoutForward(long y, long mask, long x, long n, float rate, long seed) {
        open();
        long d = in(0, x, n);
        long dm = dev(1, n);
        CudaRuntime.check(TickgradCuda.tg_cuda_dropout_forward(d, dm, d, n, rate, seed, stream),
            "tg_cuda_dropout_forward");
        out(y, d, n);
        out(mask, dm, n);
        sync();
    }

    @Override
    public void dropoutBackward(long dx, long dy, long mask, long n) {
        open();
        long d = in(0, dy, n);
        CudaRuntime.check(TickgradCuda.tg_cuda_dropout_backward(d, d, in(1, mask, n), n, stream),
            "tg_cuda_dropout_backward");
        out(dx, d, n);
        sync();
    }

    @Override
    public float loss(long grad, long pred, long target, long weights, int batch, int cols, int kind, float param) {
        open();
        long n = (long) batch * cols;
        long dg = grad == 0 ? 0 : dev(0, n);
        long dl = dev(1, 1);
        CudaRuntime.check(TickgradCuda.tg_cuda_loss(dg, dl, in(2, pred, n), in(3, target, n), in(4, weights, batch),
            batch, cols, kind, param, stream), "tg_cuda_loss");
        out(grad, dg, n);
        return readFloat(dl);
    }

    /**
     * On the host: the seam's operands are host memory and a loss reads only B x C values, so the CPU kernel of
     * libtickgrad computes it in place (no device copy).
     */
    @Override
    public float weightedLoss(long grad, long pred, long target, long sampleWeights, long columnWeights, int batch,
                              int cols, int kind, float param) {
        open();
        int st = io.tickgrad.nativeio.TickgradNative.tg_loss_weighted(grad, hostScratch.address(), pred, target,
            sampleWeights, columnWeights, batch, cols, kind, param);
        if (st != 0) {
            throw new IllegalStateException("tg_loss_weighted failed: " + io.tickgrad.nativeio.Status.describe(st));
        }
        return hostScratch.buffer().getFloat(0);
    }

    @Override
    public void sgdStep(long p, long velocity, long g, long n, float lr, float momentum, float weightDecay,
                        boolean nesterov) {
        open();
        long dp = in(0, p, n);
        long dv = in(1, velocity, n);
        CudaRuntime.check(TickgradCuda.tg_cuda_sgd_step(dp, dv, in(2, g, n), n, lr, momentum, weightDecay,
            nesterov ? 1 : 0, stream), "tg_cuda_sgd_step");
        out(p, dp, n);
        out(velocity, dv, n);
        sync();
    }

    @Override
    public void adamStep(long p, long m, long v, long g, long n, float lr, float beta1, float beta2, float eps,
                         float weightDecay, long t, boolean decoupled) {
        open();
        long dp = in(0, p, n);
        long dm = in(1, m, n);
        long dv = in(2, v, n);
        CudaRuntime.check(TickgradCuda.tg_cuda_adam_step(dp, dm, dv, in(3, g, n), n, lr, beta1, beta2, eps,
            weightDecay, t, decoupled ? 1 : 0, stream), "tg_cuda_adam_step");
        out(p, dp, n);
        out(m, dm, n);
        out(v, dv, n);
        sync();
    }

    @Override
    public double sumSquares(long x, long n) {
        open();
        long acc = dev(0, 2);
        CudaRuntime.check(TickgradCuda.tg_cuda_memset(acc, 0, Double.BYTES, stream), "tg_cuda_memset");
        CudaRuntime.check(TickgradCuda.tg_cuda_sum_squares(acc, in(1, x, n), n, stream), "tg_cuda_sum_squares");
        sync();
        return Double.longBitsToDouble(readLong(acc));
    }

    @Override
    public void scale(long x, long n, float s) {
        open();
        long d = in(0, x, n);
        CudaRuntime.check(TickgradCuda.tg_cuda_scale(d, n, s, stream), "tg_cuda_scale");
        out(x, d, n);
        sync();
    }

    /**
     * The whole plan on the device: the parameter and activation ranges the plan touches are copied in, the plan
     * runs as the CUDA ops, and the activation range is copied back.
     */
    @Override
    public void planForward(long act, long params, long plan, int nOps, int batch) {
        open();
        planView.wrap(plan, nOps * Abi.PLAN_WORDS * Long.BYTES);
        long actFloats = 0;
        long paramFloats = 1;
        for (int i = 0; i < nOps; i++) {
            int e = i * Abi.PLAN_WORDS * Long.BYTES;
            long op = word(e, 0);
            long in = word(e, 1);
            long outW = word(e, 2);
            actFloats = Math.max(actFloats, Math.max(word(e, 5) + batch * in, word(e, 6) + batch * outW));
            if (op == Abi.OP_DENSE) {
                paramFloats = Math.max(paramFloats, word(e, 3) + in * outW);
                if (word(e, 4) >= 0) {
                    paramFloats = Math.max(paramFloats, word(e, 4) + outW);
                }
            } else if (op == Abi.OP_LAYERNORM) {
                paramFloats = Math.max(paramFloats, word(e, 3) + in);
                if (word(e, 4) >= 0) {
                    paramFloats = Math.max(paramFloats, word(e, 4) + in);
                }
            }
        }
        long da = in(0, act, actFloats);
        long dp = in(1, params, paramFloats);
        CudaRuntime.check(TickgradCuda.tg_cuda_plan_forward(da, dp, plan, nOps, batch, stream),
            "tg_cuda_plan_forward");
        out(act, da, actFloats);
        sync();
    }

    private long word(int entry, int i) {
        return planView.getLong(entry + i * Long.BYTES);
    }

    private long readLong(long deviceAddress) {
        long host = hostScratch.address();
        CudaRuntime.check(TickgradCuda.tg_cuda_memcpy(host, deviceAddress, Long.BYTES, stream), "tg_cuda_memcpy");
        sync();
        return hostScratch.buffer().getLong(0);
    }

    private float readFloat(long deviceAddress) {
        long host = hostScratch.address();
        CudaRuntime.check(TickgradCuda.tg_cuda_memcpy(host, deviceAddress, Float.BYTES, stream), "tg_cuda_memcpy");
        sync();
        return hostScratch.buffer().getFloat(0);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        TickgradCuda.tg_cuda_stream_synchronize(stream);
        for (int i = 0; i < SLOTS; i++) {
            TickgradCuda.tg_cuda_free(device[i]);
            device[i] = 0;
        }
        TickgradCuda.tg_cuda_stream_destroy(stream);
        hostScratch.close();
    }
}
