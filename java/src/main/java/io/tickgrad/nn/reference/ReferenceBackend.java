package io.tickgrad.nn.reference;

import io.tickgrad.nativeio.Abi;
import io.tickgrad.nn.Backend;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The oracle backend: reads the fp32 operands from off-heap memory into double scratch arrays, runs
 * {@link ReferenceKernels} in double precision, and writes each result back rounded once to float.
 * Parameter gradients accumulate: the existing float values are read, the new terms are added in double,
 * and the sum is rounded once.
 *
 * <p>Every access goes through an Agrona {@link UnsafeBuffer} wrapped on the exact byte range the sizes
 * imply, so an index outside it fails with an exception instead of touching foreign memory. Operands
 * are all read before any output is written, so in-place calls (y == x, dx == dy) behave as the header
 * allows. The scratch arrays grow to the largest call seen and are then reused: after warm-up nothing
 * is allocated. Not thread-safe; use one instance per thread.
 */
public final class ReferenceBackend implements Backend {
    /** Scratch slots; each call uses distinct slots for its operands. */
    private static final int SLOTS = 8;
    private static final int MAX_FLOATS = Integer.MAX_VALUE / Float.BYTES;

    private final double[][] scratch = new double[SLOTS][];
    private final UnsafeBuffer view = new UnsafeBuffer(0L, 0);
    private final UnsafeBuffer planView = new UnsafeBuffer(0L, 0);

    /** Creates a backend with empty scratch space. */
    public ReferenceBackend() {
        for (int i = 0; i < SLOTS; i++) {
            scratch[i] = new double[0];
        }
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public void denseForward(long y, long x, long w, long bias, int batch, int in, int out) {
        double[] xs = load(0, x, count(batch, in));
        double[] ws = load(1, w, count(in, out));
        double[] bs = load(2, bias, out);
        double[] ys = slot(3, count(batch, out));
        ReferenceKernels.denseForward(ys, 0, xs, 0, ws, 0, bs, 0, batch, in, out);
        store(y, ys, count(batch, out));
    }

    @Override
    public void denseBackward(long dx, long dw, long dbias, long dy, long x, long w, int batch, int in, int out) {
        double[] dys = load(0, dy, count(batch, out));
        double[] xs = load(1, x, count(batch, in));
        double[] ws = load(2, w, count(in, out));
        double[] dws = load(3, dw, count(in, out));
        double[] dbs = load(4, dbias, out);
        double[] dxs = dx == 0 ? null : slot(5, count(batch, in));
        ReferenceKernels.denseBackward(dxs, 0, dws, 0, dbs, 0, dys, 0, xs, 0, ws, 0, batch, in, out);
        store(dx, dxs, count(batch, in));
        store(dw, dws, count(in, out));
        store(dbias, dbs, out);
    }

    @Override
    public void activationForward(long y, long x, long n, int kind, float alpha) {
        int len = count(n);
        double[] xs = load(0, x, len);
        double[] ys = slot(1, len);
        ReferenceKernels.activationForward(ys, 0, xs, 0, len, kind, alpha);
        store(y, ys, len);
    }

    /** Uses the forward input x only: in double the output y adds nothing. */
    @Override
    public void activationBackward(long dx, long dy, long x, long y, long n, int kind, float alpha) {
        int len = count(n);
        double[] dys = load(0, dy, len);
        double[] xs = load(1, x, len);
        double[] dxs = slot(2, len);
        ReferenceKernels.activationBackward(dxs, 0, dys, 0, xs, 0, len, kind, alpha);
        store(dx, dxs, len);
    }

    @Override
    public void softmaxForward(long y, long x, int batch, int classes) {
        int len = count(batch, classes);
        double[] xs = load(0, x, len);
        double[] ys = slot(1, len);
        ReferenceKernels.softmaxForward(ys, 0, xs, 0, batch, classes);
        store(y, ys, len);
    }

    @Override
    public void softmaxBackward(long dx, long dy, long y, int batch, int classes) {
        int len = count(batch, classes);
        double[] dys = load(0, dy, len);
        double[] ys = load(1, y, len);
        double[] dxs = slot(2, len);
        ReferenceKernels.softmaxBackward(dxs, 0, dys, 0, ys, 0, batch, classes);
        store(dx, dxs, len);
    }

    @Override
    public void layerNormForward(long y, long mean, long rstd, long x, long gamma, long beta, int batch, int dim,
                                 float eps) {
        int len = count(batch, dim);
        double[] xs = load(0, x, len);
        double[] gs = load(1, gamma, dim);
        double[] bs = load(2, beta, dim);
        double[] ys = slot(3, len);
        double[] means = mean == 0 ? null : slot(4, batch);
        double[] rstds = rstd == 0 ? null : slot(5, batch);
        ReferenceKernels.layerNormForward(ys, 0, means, 0, rstds, 0, xs, 0, gs, 0, bs, 0, batch, dim, eps);
        store(y, ys, len);
        store(mean, means, batch);
        store(rstd, rstds, batch);
    }

    /** Uses mean and rstd as saved (rounded to float) by the forward pass, as the native kernels do. */
    @Override
    public void layerNormBackward(long dx, long dgamma, long dbeta, long dy, long x, long mean, long rstd, long gamma,
                                  int batch, int dim) {
        int len = count(batch, dim);
        double[] dys = load(0, dy, len);
        double[] xs = load(1, x, len);
        double[] means = load(2, mean, batch);
        double[] rstds = load(3, rstd, batch);
        double[] gs = load(4, gamma, dim);
        double[] dgs = load(5, dgamma, dim);
        double[] dbs = load(6, dbeta, dim);
        double[] dxs = slot(7, len);
        ReferenceKernels.layerNormBackward(dxs, 0, dgs, 0, dbs, 0, dys, 0, xs, 0, means, 0, rstds, 0, gs, 0,
                batch, dim);
        store(dx, dxs, len);
        store(dgamma, dgs, dim);
        store(dbeta, dbs, dim);
    }

    @Override
    public void dropoutForward(long y, long mask, long x, long n, float rate, long seed) {
        int len = count(n);
        double[] xs = load(0, x, len);
        double[] ys = slot(1, len);
        double[] ms = slot(2, len);
        ReferenceKernels.dropoutForward(ys, 0, ms, 0, xs, 0, len, rate, seed);
        store(y, ys, len);
        store(mask, ms, len);
    }

    @Override
    public void dropoutBackward(long dx, long dy, long mask, long n) {
        int len = count(n);
        double[] dys = load(0, dy, len);
        double[] ms = load(1, mask, len);
        double[] dxs = slot(2, len);
        ReferenceKernels.dropoutBackward(dxs, 0, dys, 0, ms, 0, len);
        store(dx, dxs, len);
    }

    @Override
    public float loss(long grad, long pred, long target, long weights, int batch, int cols, int kind, float param) {
        int len = count(batch, cols);
        double[] ps = load(0, pred, len);
        double[] ts = load(1, target, len);
        double[] ws = load(2, weights, batch);
        double[] gs = grad == 0 ? null : slot(3, len);
        double value = ReferenceKernels.loss(gs, 0, ps, 0, ts, 0, ws, 0, batch, cols, kind, param);
        store(grad, gs, len);
        return (float) value;
    }

    @Override
    public float weightedLoss(long grad, long pred, long target, long sampleWeights, long columnWeights, int batch,
                              int cols, int kind, float param) {
        int len = count(batch, cols);
        double[] ps = load(0, pred, len);
        double[] ts = load(1, target, len);
        double[] ws = load(2, sampleWeights, batch);
        double[] gs = grad == 0 ? null : slot(3, len);
        double[] cw = load(4, columnWeights, cols);
        double value = ReferenceWeightedLoss.loss(gs, ps, ts, ws, cw, batch, cols, kind, param);
        store(grad, gs, len);
        return (float) value;
    }

    @Override
    public void sgdStep(long p, long velocity, long g, long n, float lr, float momentum, float weightDecay,
                        boolean nesterov) {
        int len = count(n);
        double[] ps = load(0, p, len);
        double[] vs = momentum == 0.0f ? null : load(1, velocity, len);
        double[] gs = load(2, g, len);
        ReferenceKernels.sgdStep(ps, 0, vs, 0, gs, 0, len, lr, momentum, weightDecay, nesterov);
        store(p, ps, len);
        if (vs != null) {
            store(velocity, vs, len);
        }
    }

    @Override
    public void adamStep(long p, long m, long v, long g, long n, float lr, float beta1, float beta2, float eps,
                         float weightDecay, long t, boolean decoupled) {
        int len = count(n);
        double[] ps = load(0, p, len);
        double[] ms = load(1, m, len);
        double[] vs = load(2, v, len);
        double[] gs = load(3, g, len);
        ReferenceKernels.adamStep(ps, 0, ms, 0, vs, 0, gs, 0, len, lr, beta1, beta2, eps, weightDecay, t, decoupled);
        store(p, ps, len);
        store(m, ms, len);
        store(v, vs, len);
    }

    @Override
    public double sumSquares(long x, long n) {
        int len = count(n);
        return ReferenceKernels.sumSquares(load(0, x, len), 0, len);
    }

    @Override
    public void scale(long x, long n, float s) {
        int len = count(n);
        double[] xs = load(0, x, len);
        ReferenceKernels.scale(xs, 0, len, s);
        store(x, xs, len);
    }

    /**
     * Decodes the plan (see tg_plan_forward) and runs each entry through the per-op methods above, so the
     * activations are rounded to float between ops exactly as in the slab the native path writes.
     *
     * @throws IllegalArgumentException for an unknown op or a non-positive size, before that entry runs
     */
    @Override
    public void planForward(long act, long params, long plan, int nOps, int batch) {
        if (nOps < 1 || batch < 1) {
            throw new IllegalArgumentException("plan needs nOps >= 1 and batch >= 1, got " + nOps + ", " + batch);
        }
        planView.wrap(plan, Math.multiplyExact(nOps, Abi.PLAN_WORDS * Long.BYTES));
        for (int e = 0; e < nOps; e++) {
            int base = e * Abi.PLAN_WORDS * Long.BYTES;
            long op = planView.getLong(base);
            int in = (int) planView.getLong(base + Long.BYTES);
            int out = (int) planView.getLong(base + 2 * Long.BYTES);
            long p0 = planView.getLong(base + 3 * Long.BYTES);
            long p1 = planView.getLong(base + 4 * Long.BYTES);
            long x = act + planView.getLong(base + 5 * Long.BYTES) * Float.BYTES;
            long y = act + planView.getLong(base + 6 * Long.BYTES) * Float.BYTES;
            int aux = (int) planView.getLong(base + 7 * Long.BYTES);
            float fparam = Float.intBitsToFloat((int) planView.getLong(base + 8 * Long.BYTES));
            if (in < 1 || out < 1) {
                throw new IllegalArgumentException("plan entry " + e + ": sizes must be >= 1, got in=" + in
                        + " out=" + out);
            }
            long first = params + p0 * Float.BYTES;
            long second = p1 < 0 ? 0L : params + p1 * Float.BYTES;
            switch ((int) op) {
                case Abi.OP_DENSE:
                    denseForward(y, x, first, second, batch, in, out);
                    break;
                case Abi.OP_ACTIVATION:
                    activationForward(y, x, (long) batch * in, aux, fparam);
                    break;
                case Abi.OP_SOFTMAX:
                    softmaxForward(y, x, batch, in);
                    break;
                case Abi.OP_LAYERNORM:
                    layerNormForward(y, 0L, 0L, x, first, second, batch, in, fparam);
                    break;
                case Abi.OP_COPY: {
                    int len = count(batch, in);
                    store(y, load(0, x, len), len);
                    break;
                }
                default:
                    throw new IllegalArgumentException("plan entry " + e + ": unknown op " + op);
            }
        }
    }

    /** Nothing native is held; a repeated call is harmless. */
    @Override
    public void close() {
    }

    // ---------------------------------------------------------------- off-heap transfer

    /** Reads count floats at address into scratch slot i; address 0 (a null pointer) gives null. */
    private double[] load(int i, long address, int count) {
        if (address == 0L) {
            return null;
        }
        double[] dst = slot(i, count);
        view.wrap(address, count * Float.BYTES);
        for (int k = 0; k < count; k++) {
            dst[k] = view.getFloat(k * Float.BYTES);
        }
        return dst;
    }

    /** Writes count values rounded to float at address; a null address or array writes nothing. */
    private void store(long address, double[] src, int count) {
        if (address == 0L || src == null) {
            return;
        }
        view.wrap(address, count * Float.BYTES);
        for (int k = 0; k < count; k++) {
            view.putFloat(k * Float.BYTES, (float) src[k]);
        }
    }

    /** Scratch slot i with room for at least count values. */
    private double[] slot(int i, int count) {
        if (scratch[i].length < count) {
            scratch[i] = new double[count];
        }
        return scratch[i];
    }

    private static int count(int rows, int cols) {
        return count((long) rows * cols);
    }

    /** A float count that fits one UnsafeBuffer; the reference backend is for tests, not huge slabs. */
    private static int count(long n) {
        if (n < 1 || n > MAX_FLOATS) {
            throw new IllegalArgumentException("element count must be in [1, " + MAX_FLOATS + "], got " + n);
        }
        return (int) n;
    }
}
