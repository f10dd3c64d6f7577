package io.tickgrad.model.keras;

import io.tickgrad.nativeio.Abi;
import io.tickgrad.nn.Backend;

/**
 * Test-only stand-in for the reference backend, for trees that have neither it nor working native kernels:
 * the forward ops of a predict plan in plain double loops (dense, relu / leaky relu / tanh / sigmoid / identity,
 * softmax, layer norm, copy). Training ops are not implemented.
 */
final class PlainTestBackend implements Backend {
    @Override
    public String name() {
        return "plain-test";
    }

    private static float get(long base, long index) {
        return UnsafeAccess.getFloat(base + index * Float.BYTES);
    }

    private static void put(long base, long index, float v) {
        UnsafeAccess.putFloat(base + index * Float.BYTES, v);
    }

    @Override
    public void denseForward(long y, long x, long w, long bias, int batch, int in, int out) {
        for (int r = 0; r < batch; r++) {
            for (int j = 0; j < out; j++) {
                double s = bias == 0 ? 0 : get(bias, j);
                for (int i = 0; i < in; i++) {
                    s += (double) get(x, (long) r * in + i) * get(w, (long) i * out + j);
                }
                put(y, (long) r * out + j, (float) s);
            }
        }
    }

    @Override
    public void activationForward(long y, long x, long n, int kind, float alpha) {
        for (long i = 0; i < n; i++) {
            double v = get(x, i);
            double f;
            if (kind == Abi.ACT_IDENTITY) {
                f = v;
            } else if (kind == Abi.ACT_RELU) {
                f = Math.max(0, v);
            } else if (kind == Abi.ACT_LEAKY_RELU) {
                f = v >= 0 ? v : alpha * v;
            } else if (kind == Abi.ACT_TANH) {
                f = Math.tanh(v);
            } else if (kind == Abi.ACT_SIGMOID) {
                f = 1 / (1 + Math.exp(-v));
            } else {
                throw new UnsupportedOperationException("plain test backend: activation kind " + kind);
            }
            put(y, i, (float) f);
        }
    }

    @Override
    public void softmaxForward(long y, long x, int batch, int classes) {
        for (int r = 0; r < batch; r++) {
            long o = (long) r * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) {
                max = Math.max(max, get(x, o + j));
            }
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                sum += Math.exp(get(x, o + j) - max);
            }
            for (int j = 0; j < classes; j++) {
                put(y, o + j, (float) (Math.exp(get(x, o + j) - max) / sum));
            }
        }
    }

    @Override
    public void layerNormForward(long y, long mean, long rstd, long x, long gamma, long beta, int batch, int dim,
                                 float eps) {
        for (int r = 0; r < batch; r++) {
            long o = (long) r * dim;
            double m = 0;
            for (int j = 0; j < dim; j++) {
                m += get(x, o + j);
            }
            m /= dim;
            double v = 0;
            for (int j = 0; j < dim; j++) {
                double d = get(x, o + j) - m;
                v += d * d;
            }
            v /= dim;
            double rs = 1 / Math.sqrt(v + eps);
            for (int j = 0; j < dim; j++) {
                double n = (get(x, o + j) - m) * rs * get(gamma, j) + (beta == 0 ? 0 : get(beta, j));
                put(y, o + j, (float) n);
            }
            if (mean != 0) {
                put(mean, r, (float) m);
            }
            if (rstd != 0) {
                put(rstd, r, (float) rs);
            }
        }
    }

    @Override
    public void dropoutForward(long y, long mask, long x, long n, float rate, long seed) {
        if (rate != 0f) {
            throw new UnsupportedOperationException("plain test backend: training-mode dropout");
        }
        for (long i = 0; i < n; i++) {
            put(y, i, get(x, i));
            put(mask, i, 1f);
        }
    }

    @Override
    public void planForward(long act, long params, long plan, int nOps, int batch) {
        for (int k = 0; k < nOps; k++) {
            long e = plan + (long) k * Abi.PLAN_WORDS * Long.BYTES;
            int op = (int) word(e, 0);
            int in = (int) word(e, 1);
            int out = (int) word(e, 2);
            long p0 = word(e, 3);
            long p1 = word(e, 4);
            long x = act + word(e, 5) * Float.BYTES;
            long y = act + word(e, 6) * Float.BYTES;
            int aux = (int) word(e, 7);
            float fparam = Float.intBitsToFloat((int) word(e, 8));
            switch (op) {
                case Abi.OP_DENSE -> denseForward(y, x, params + p0 * Float.BYTES,
                    p1 < 0 ? 0 : params + p1 * Float.BYTES, batch, in, out);
                case Abi.OP_ACTIVATION -> activationForward(y, x, (long) batch * in, aux, fparam);
                case Abi.OP_SOFTMAX -> softmaxForward(y, x, batch, in);
                case Abi.OP_LAYERNORM -> layerNormForward(y, 0, 0, x, params + p0 * Float.BYTES,
                    p1 < 0 ? 0 : params + p1 * Float.BYTES, batch, in, fparam);
                case Abi.OP_COPY -> {
                    for (long i = 0; i < (long) batch * in; i++) {
                        put(y, i, get(x, i));
                    }
                }
                default -> throw new UnsupportedOperationException("plain test backend: plan op " + op);
            }
        }
    }

    private static long word(long entry, int i) {
        return UnsafeAccess.getLong(entry + (long) i * Long.BYTES);
    }

    // ---- training ops: not needed by these tests ----

    @Override
    public void denseBackward(long dx, long dw, long dbias, long dy, long x, long w, int batch, int in, int out) {
        throw unsupported();
    }

    @Override
    public void activationBackward(long dx, long dy, long x, long y, long n, int kind, float alpha) {
        throw unsupported();
    }

    @Override
    public void softmaxBackward(long dx, long dy, long y, int batch, int classes) {
        throw unsupported();
    }

    @Override
    public void layerNormBackward(long dx, long dgamma, long dbeta, long dy, long x, long mean, long rstd, long gamma,
                                  int batch, int dim) {
        throw unsupported();
    }

    @Override
    public void dropoutBackward(long dx, long dy, long mask, long n) {
        throw unsupported();
    }

    @Override
    public float loss(long grad, long pred, long target, long weights, int batch, int cols, int kind, float param) {
        throw unsupported();
    }

    @Override
    public void sgdStep(long p, long velocity, long g, long n, float lr, float momentum, float weightDecay,
                        boolean nesterov) {
        throw unsupported();
    }

    @Override
    public void adamStep(long p, long m, long v, long g, long n, float lr, float beta1, float beta2, float eps,
                         float weightDecay, long t, boolean decoupled) {
        throw unsupported();
    }

    @Override
    public double sumSquares(long x, long n) {
        throw unsupported();
    }

    @Override
    public void scale(long x, long n, float s) {
        throw unsupported();
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("plain test backend: forward ops only");
    }

    @Override
    public void close() {
    }

    /** Raw memory access through Agrona's unsafe view (the addresses come from the network's slabs). */
    private static final class UnsafeAccess {
        private static float getFloat(long address) {
            return org.agrona.UnsafeApi.getFloat(null, address);
        }

        private static void putFloat(long address, float v) {
            org.agrona.UnsafeApi.putFloat(null, address, v);
        }

        private static long getLong(long address) {
            return org.agrona.UnsafeApi.getLong(null, address);
        }
    }
}
