package io.tickgrad.model.onnx;

import io.tickgrad.nativeio.Abi;
import io.tickgrad.nn.Backend;
import org.agrona.UnsafeApi;

/**
 * Test-only forward backend: every op in double precision with plain loops, rounded once to fp32 when its
 * output is stored, so each op's result is the correctly rounded value of the exact function of its fp32
 * inputs up to one ulp. It stands in for the project's reference backend, which this branch does not have
 * yet, and it implements only what predicting needs (the training ops throw).
 */
final class DoublePrecisionBackend implements Backend {

    @Override
    public String name() {
        return "test-double";
    }

    private static float get(long address, long index) {
        return UnsafeApi.getFloat(address + index * Float.BYTES);
    }

    private static void put(long address, long index, double value) {
        UnsafeApi.putFloat(address + index * Float.BYTES, (float) value);
    }

    @Override
    public void denseForward(long y, long x, long w, long bias, int batch, int in, int out) {
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < out; o++) {
                double s = bias == 0 ? 0.0 : get(bias, o);
                for (int i = 0; i < in; i++) {
                    s += (double) get(x, (long) b * in + i) * get(w, (long) i * out + o);
                }
                put(y, (long) b * out + o, s);
            }
        }
    }

    @Override
    public void activationForward(long y, long x, long n, int kind, float alpha) {
        for (long i = 0; i < n; i++) {
            put(y, i, activation(get(x, i), kind, alpha));
        }
    }

    static double activation(double v, int kind, float alpha) {
        switch (kind) {
            case Abi.ACT_IDENTITY:
                return v;
            case Abi.ACT_RELU:
                return v > 0 ? v : 0.0;
            case Abi.ACT_LEAKY_RELU:
                return v >= 0 ? v : alpha * v;
            case Abi.ACT_GELU:
                return 0.5 * v * (1.0 + erf(v / Math.sqrt(2.0)));
            case Abi.ACT_GELU_TANH:
                return 0.5 * v * (1.0 + Math.tanh(Math.sqrt(2.0 / Math.PI) * (v + 0.044715 * v * v * v)));
            case Abi.ACT_TANH:
                return Math.tanh(v);
            case Abi.ACT_SIGMOID:
                return 1.0 / (1.0 + Math.exp(-v));
            default:
                throw new IllegalArgumentException("unknown activation kind " + kind);
        }
    }

    /**
     * erf in double, from the everywhere-convergent series erf x = 2/sqrt(pi) e^(-x^2) sum_n 2^n x^(2n+1) /
     * (1 3 5 ... (2n+1)); all its terms share the sign of x, so nothing cancels. Beyond |x| = 6,
     * 1 - |erf x| < 3e-17, below double's resolution at 1.
     */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (Math.abs(x) > 6.0) {
            return Math.signum(x);
        }
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 500; n++) {
            term *= 2.0 * x2 / (2 * n + 1);
            sum += term;
            if (Math.abs(term) <= 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return 2.0 / Math.sqrt(Math.PI) * Math.exp(-x2) * sum;
    }

    @Override
    public void softmaxForward(long y, long x, int batch, int classes) {
        double[] e = new double[classes];
        for (int b = 0; b < batch; b++) {
            long row = (long) b * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, get(x, row + c));
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                e[c] = Math.exp(get(x, row + c) - max);
                sum += e[c];
            }
            for (int c = 0; c < classes; c++) {
                put(y, row + c, e[c] / sum);
            }
        }
    }

    @Override
    public void layerNormForward(long y, long mean, long rstd, long x, long gamma, long beta, int batch, int dim,
                                 float eps) {
        for (int b = 0; b < batch; b++) {
            long row = (long) b * dim;
            double m = 0;
            for (int d = 0; d < dim; d++) {
                m += get(x, row + d);
            }
            m /= dim;
            double var = 0;
            for (int d = 0; d < dim; d++) {
                double c = get(x, row + d) - m;
                var += c * c;
            }
            var /= dim;
            double r = 1.0 / Math.sqrt(var + eps);
            for (int d = 0; d < dim; d++) {
                double v = (get(x, row + d) - m) * r * get(gamma, d) + (beta == 0 ? 0.0 : get(beta, d));
                put(y, row + d, v);
            }
            if (mean != 0) {
                put(mean, b, m);
            }
            if (rstd != 0) {
                put(rstd, b, r);
            }
        }
    }

    @Override
    public void dropoutForward(long y, long mask, long x, long n, float rate, long seed) {
        if (rate != 0f) {
            throw new UnsupportedOperationException("the test backend only predicts: dropout rate must be 0");
        }
        for (long i = 0; i < n; i++) {
            put(y, i, get(x, i));
            put(mask, i, 1.0);
        }
    }

    /** Interprets the plan words as tg_plan_forward does (see tickgrad.h). */
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
            long a0 = p0 < 0 ? 0 : params + p0 * Float.BYTES;
            long a1 = p1 < 0 ? 0 : params + p1 * Float.BYTES;
            switch (op) {
                case Abi.OP_DENSE:
                    denseForward(y, x, a0, a1, batch, in, out);
                    break;
                case Abi.OP_ACTIVATION:
                    activationForward(y, x, (long) batch * in, aux, fparam);
                    break;
                case Abi.OP_SOFTMAX:
                    softmaxForward(y, x, batch, in);
                    break;
                case Abi.OP_LAYERNORM:
                    layerNormForward(y, 0, 0, x, a0, a1, batch, in, fparam);
                    break;
                case Abi.OP_COPY:
                    for (long i = 0; i < (long) batch * in; i++) {
                        put(y, i, get(x, i));
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unknown plan op " + op + " at entry " + k);
            }
        }
    }

    private static long word(long entry, int i) {
        return UnsafeApi.getLong(entry + (long) i * Long.BYTES);
    }

    // ---- training ops: not needed to check an export ----

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
        return new UnsupportedOperationException("the test backend only predicts");
    }

    @Override
    public void close() {
    }
}
