package io.tickgrad.nn.reference;

import io.tickgrad.nativeio.Abi;
import io.tickgrad.nn.DropoutMask;

/**
 * Every op of tickgrad.h in double precision with plain loops: the oracle the native and CUDA kernels
 * are tested against. Semantics, shapes and argument order follow the header exactly (outputs first,
 * then inputs, then weights, then sizes; row-major; parameter gradients accumulate (+=), input
 * gradients are overwritten). Each array comes with the offset of its first element; a nullable
 * array is passed as {@code null} (its offset is then ignored).
 *
 * <p>Written for clarity, not speed: no blocking, no vectorisation, no reordering of sums beyond the
 * obvious, so a reader can check each line against the formula in the header.
 */
public final class ReferenceKernels {
    private ReferenceKernels() {
    }

    private static final double SQRT_HALF = 0.7071067811865476;
    private static final double INV_SQRT_TWO_PI = 0.3989422804014327;
    /** sqrt(2 / pi), the scale inside the tanh approximation of GELU. */
    private static final double GELU_TANH_SCALE = 0.7978845608028654;
    private static final double GELU_TANH_CUBIC = 0.044715;

    // ---------------------------------------------------------------- dense

    /**
     * y[B,O] = x[B,I] w[I,O] + bias[O]; bias nullable.
     *
     * @param y     the output (overwritten)
     * @param yOff  index of {@code y}'s first element
     * @param x     the input
     * @param xOff  index of {@code x}'s first element
     * @param w     the weights, in x out, row-major
     * @param wOff  index of {@code w}'s first element
     * @param bias  the bias, out values, or null
     * @param bOff  index of {@code bias}'s first element
     * @param batch rows B
     * @param in    input features I
     * @param out   output features O
     */
    public static void denseForward(double[] y, int yOff, double[] x, int xOff, double[] w, int wOff,
                                    double[] bias, int bOff, int batch, int in, int out) {
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < out; o++) {
                double s = bias == null ? 0.0 : bias[bOff + o];
                for (int i = 0; i < in; i++) {
                    s += x[xOff + b * in + i] * w[wOff + i * out + o];
                }
                y[yOff + b * out + o] = s;
            }
        }
    }

    /**
     * dx[B,I] = dy w^T (overwritten), dw[I,O] += x^T dy, dbias[O] += sum_b dy; each output nullable.
     * dy[B,O], x[B,I], w[I,O].
     *
     * @param dx    the input gradient (overwritten), or null where the method allows
     * @param dxOff index of {@code dx}'s first element
     * @param dw    the weight gradient (accumulated), or null
     * @param dwOff index of {@code dw}'s first element
     * @param dbias the bias gradient (accumulated), or null
     * @param dbOff index of {@code dbias}'s first element
     * @param dy    the output gradient
     * @param dyOff index of {@code dy}'s first element
     * @param x     the input
     * @param xOff  index of {@code x}'s first element
     * @param w     the weights, in x out, row-major
     * @param wOff  index of {@code w}'s first element
     * @param batch rows B
     * @param in    input features I
     * @param out   output features O
     */
    public static void denseBackward(double[] dx, int dxOff, double[] dw, int dwOff, double[] dbias, int dbOff,
                                     double[] dy, int dyOff, double[] x, int xOff, double[] w, int wOff,
                                     int batch, int in, int out) {
        if (dx != null) {
            for (int b = 0; b < batch; b++) {
                for (int i = 0; i < in; i++) {
                    double s = 0.0;
                    for (int o = 0; o < out; o++) {
                        s += dy[dyOff + b * out + o] * w[wOff + i * out + o];
                    }
                    dx[dxOff + b * in + i] = s;
                }
            }
        }
        if (dw != null) {
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    double s = 0.0;
                    for (int b = 0; b < batch; b++) {
                        s += x[xOff + b * in + i] * dy[dyOff + b * out + o];
                    }
                    dw[dwOff + i * out + o] += s;
                }
            }
        }
        if (dbias != null) {
            for (int o = 0; o < out; o++) {
                double s = 0.0;
                for (int b = 0; b < batch; b++) {
                    s += dy[dyOff + b * out + o];
                }
                dbias[dbOff + o] += s;
            }
        }
    }

    // ---------------------------------------------------------------- activations

    /**
     * f(x) for an {@code Abi.ACT_*} kind; alpha is the negative slope of leaky ReLU.
     *
     * @param kind  an {@code Abi.ACT_*} code
     * @param x     the input
     * @param alpha the negative slope of leaky ReLU (ignored by other kinds)
     * @return f(x)
     */
    public static double activation(int kind, double x, double alpha) {
        switch (kind) {
            case Abi.ACT_IDENTITY: return x;
            case Abi.ACT_RELU: return x > 0.0 ? x : 0.0;
            case Abi.ACT_LEAKY_RELU: return x > 0.0 ? x : alpha * x;
            case Abi.ACT_GELU: return gelu(x);
            case Abi.ACT_GELU_TANH: return geluTanh(x);
            case Abi.ACT_TANH: return Math.tanh(x);
            case Abi.ACT_SIGMOID: return sigmoid(x);
            default: throw new IllegalArgumentException("unknown activation kind " + kind);
        }
    }

    /**
     * f'(x); at the kinks of ReLU and leaky ReLU (x = 0) the left derivative (0, alpha) is used.
     *
     * @param kind  an {@code Abi.ACT_*} code
     * @param x     the input
     * @param alpha the negative slope of leaky ReLU (ignored by other kinds)
     * @return f'(x)
     */
    public static double activationDerivative(int kind, double x, double alpha) {
        switch (kind) {
            case Abi.ACT_IDENTITY: return 1.0;
            case Abi.ACT_RELU: return x > 0.0 ? 1.0 : 0.0;
            case Abi.ACT_LEAKY_RELU: return x > 0.0 ? 1.0 : alpha;
            case Abi.ACT_GELU: return geluDerivative(x);
            case Abi.ACT_GELU_TANH: return geluTanhDerivative(x);
            case Abi.ACT_TANH: {
                double t = Math.tanh(x);
                return 1.0 - t * t;
            }
            case Abi.ACT_SIGMOID: {
                double s = sigmoid(x);
                return s * (1.0 - s);
            }
            default: throw new IllegalArgumentException("unknown activation kind " + kind);
        }
    }

    /**
     * y = f(x) over n values; y and x may be the same array range.
     *
     * @param y     the output (overwritten)
     * @param yOff  index of {@code y}'s first element
     * @param x     the input
     * @param xOff  index of {@code x}'s first element
     * @param n     number of values
     * @param kind  an {@code Abi.ACT_*} code
     * @param alpha the negative slope of leaky ReLU (ignored by other kinds)
     */
    public static void activationForward(double[] y, int yOff, double[] x, int xOff, int n, int kind, double alpha) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = activation(kind, x[xOff + i], alpha);
        }
    }

    /**
     * dx = dy * f'(x) over n values, from the forward input x (the forward output is not needed in
     * double precision); dx and dy may be the same array range.
     *
     * @param dx    the input gradient (overwritten), or null where the method allows
     * @param dxOff index of {@code dx}'s first element
     * @param dy    the output gradient
     * @param dyOff index of {@code dy}'s first element
     * @param x     the input
     * @param xOff  index of {@code x}'s first element
     * @param n     number of values
     * @param kind  an {@code Abi.ACT_*} code
     * @param alpha the negative slope of leaky ReLU (ignored by other kinds)
     */
    public static void activationBackward(double[] dx, int dxOff, double[] dy, int dyOff, double[] x, int xOff,
                                          int n, int kind, double alpha) {
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = dy[dyOff + i] * activationDerivative(kind, x[xOff + i], alpha);
        }
    }

    /**
     * Exact GELU, x Phi(x) = 0.5 x erfc(-x / sqrt 2); erfc keeps the tail accurate for negative x.
     *
     * @param x the input
     * @return GELU(x)
     */
    public static double gelu(double x) {
        return 0.5 * x * Erf.erfc(-x * SQRT_HALF);
    }

    /**
     * d/dx x Phi(x) = Phi(x) + x phi(x).
     *
     * @param x the input
     * @return GELU'(x)
     */
    public static double geluDerivative(double x) {
        double cdf = 0.5 * Erf.erfc(-x * SQRT_HALF);
        double pdf = INV_SQRT_TWO_PI * Math.exp(-0.5 * x * x);
        return cdf + x * pdf;
    }

    /**
     * 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
     *
     * @param x the input
     * @return the approximation at x
     */
    public static double geluTanh(double x) {
        double t = Math.tanh(GELU_TANH_SCALE * (x + GELU_TANH_CUBIC * x * x * x));
        return 0.5 * x * (1.0 + t);
    }

    /**
     * Derivative of {@link #geluTanh(double)}.
     *
     * @param x the input
     * @return its derivative at x
     */
    public static double geluTanhDerivative(double x) {
        double t = Math.tanh(GELU_TANH_SCALE * (x + GELU_TANH_CUBIC * x * x * x));
        double du = GELU_TANH_SCALE * (1.0 + 3.0 * GELU_TANH_CUBIC * x * x);
        return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * du;
    }

    /**
     * 1 / (1 + e^-x), evaluated so that exp never overflows.
     *
     * @param x the input
     * @return the sigmoid of x, in [0, 1]
     */
    public static double sigmoid(double x) {
        if (x >= 0.0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    // ---------------------------------------------------------------- softmax

    /**
     * y[B,C] = softmax of each row of x[B,C], with the row max subtracted first.
     *
     * @param y       the output (overwritten)
     * @param yOff    index of {@code y}'s first element
     * @param x       the input
     * @param xOff    index of {@code x}'s first element
     * @param batch   rows B
     * @param classes columns C per row
     */
    public static void softmaxForward(double[] y, int yOff, double[] x, int xOff, int batch, int classes) {
        for (int b = 0; b < batch; b++) {
            int row = b * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, x[xOff + row + c]);
            }
            double sum = 0.0;
            for (int c = 0; c < classes; c++) {
                double e = Math.exp(x[xOff + row + c] - max);
                y[yOff + row + c] = e;
                sum += e;
            }
            for (int c = 0; c < classes; c++) {
                y[yOff + row + c] /= sum;
            }
        }
    }

    /**
     * dx[B,C] = y * (dy - sum_c dy y), overwritten; dx may be the same range as dy.
     *
     * @param dx      the input gradient (overwritten), or null where the method allows
     * @param dxOff   index of {@code dx}'s first element
     * @param dy      the output gradient
     * @param dyOff   index of {@code dy}'s first element
     * @param y       the output (overwritten)
     * @param yOff    index of {@code y}'s first element
     * @param batch   rows B
     * @param classes columns C per row
     */
    public static void softmaxBackward(double[] dx, int dxOff, double[] dy, int dyOff, double[] y, int yOff,
                                       int batch, int classes) {
        for (int b = 0; b < batch; b++) {
            int row = b * classes;
            double dot = 0.0;
            for (int c = 0; c < classes; c++) {
                dot += dy[dyOff + row + c] * y[yOff + row + c];
            }
            for (int c = 0; c < classes; c++) {
                dx[dxOff + row + c] = y[yOff + row + c] * (dy[dyOff + row + c] - dot);
            }
        }
    }

    // ---------------------------------------------------------------- layer normalisation

    /**
     * y[B,D] = (x - mean) * rstd * gamma + beta over each row, with the biased variance and
     * rstd = 1 / sqrt(var + eps). mean[B] and rstd[B] (nullable) are saved for the backward pass;
     * beta[D] is nullable.
     *
     * @param y     the output (overwritten)
     * @param yOff  index of {@code y}'s first element
     * @param mean  the row means, batch values (written forward, read backward; null = not saved)
     * @param mOff  index of {@code mean}'s first element
     * @param rstd  the reciprocal standard deviations, batch values (null = not saved)
     * @param rOff  index of {@code rstd}'s first element
     * @param x     the input
     * @param xOff  index of {@code x}'s first element
     * @param gamma the scale, dim values
     * @param gOff  index of {@code gamma}'s first element
     * @param beta  the shift, dim values, or null
     * @param bOff  index of {@code beta}'s first element
     * @param batch rows B
     * @param dim   features D per row
     * @param eps   added to the variance
     */
    public static void layerNormForward(double[] y, int yOff, double[] mean, int mOff, double[] rstd, int rOff,
                                        double[] x, int xOff, double[] gamma, int gOff, double[] beta, int bOff,
                                        int batch, int dim, double eps) {
        for (int b = 0; b < batch; b++) {
            int row = xOff + b * dim;
            double mu = 0.0;
            for (int d = 0; d < dim; d++) {
                mu += x[row + d];
            }
            mu /= dim;
            // two-pass variance: no cancellation when the mean is large against the spread
            double var = 0.0;
            for (int d = 0; d < dim; d++) {
                double c = x[row + d] - mu;
                var += c * c;
            }
            var /= dim;
            double r = 1.0 / Math.sqrt(var + eps);
            for (int d = 0; d < dim; d++) {
                double v = (x[row + d] - mu) * r * gamma[gOff + d];
                y[yOff + b * dim + d] = beta == null ? v : v + beta[bOff + d];
            }
            if (mean != null) {
                mean[mOff + b] = mu;
            }
            if (rstd != null) {
                rstd[rOff + b] = r;
            }
        }
    }

    /**
     * dx[B,D] (overwritten) = rstd * (g - mean_d(g) - xhat * mean_d(g xhat)) with g = dy * gamma and
     * xhat = (x - mean) * rstd; dgamma[D] += sum_b dy xhat and dbeta[D] += sum_b dy, both nullable.
     *
     * @param dx     the input gradient (overwritten), or null where the method allows
     * @param dxOff  index of {@code dx}'s first element
     * @param dgamma the scale gradient (accumulated), or null
     * @param dgOff  index of {@code dgamma}'s first element
     * @param dbeta  the shift gradient (accumulated), or null
     * @param dbOff  index of {@code dbeta}'s first element
     * @param dy     the output gradient
     * @param dyOff  index of {@code dy}'s first element
     * @param x      the input
     * @param xOff   index of {@code x}'s first element
     * @param mean   the row means saved by the forward pass
     * @param mOff   index of {@code mean}'s first element
     * @param rstd   the reciprocal standard deviations saved by the forward pass
     * @param rOff   index of {@code rstd}'s first element
     * @param gamma  the scale, dim values
     * @param gOff   index of {@code gamma}'s first element
     * @param batch  rows B
     * @param dim    features D per row
     */
    public static void layerNormBackward(double[] dx, int dxOff, double[] dgamma, int dgOff, double[] dbeta, int dbOff,
                                         double[] dy, int dyOff, double[] x, int xOff, double[] mean, int mOff,
                                         double[] rstd, int rOff, double[] gamma, int gOff, int batch, int dim) {
        for (int b = 0; b < batch; b++) {
            double mu = mean[mOff + b];
            double r = rstd[rOff + b];
            int row = b * dim;
            double meanG = 0.0;
            double meanGXhat = 0.0;
            for (int d = 0; d < dim; d++) {
                double xhat = (x[xOff + row + d] - mu) * r;
                double g = dy[dyOff + row + d] * gamma[gOff + d];
                meanG += g;
                meanGXhat += g * xhat;
            }
            meanG /= dim;
            meanGXhat /= dim;
            for (int d = 0; d < dim; d++) {
                double xhat = (x[xOff + row + d] - mu) * r;
                double dyv = dy[dyOff + row + d];
                double g = dyv * gamma[gOff + d];
                if (dgamma != null) {
                    dgamma[dgOff + d] += dyv * xhat;
                }
                if (dbeta != null) {
                    dbeta[dbOff + d] += dyv;
                }
                dx[dxOff + row + d] = r * (g - meanG - xhat * meanGXhat);
            }
        }
    }

    // ---------------------------------------------------------------- dropout

    /**
     * Inverted dropout: mask[i] = {@link DropoutMask#value(long, long, float)} with i counted from 0 at
     * the first element, y[i] = x[i] * mask[i]. Rounding y to float afterwards gives the float product
     * exactly, since the product of two floats is exact in double.
     *
     * @param y    the output (overwritten)
     * @param yOff index of {@code y}'s first element
     * @param mask the mask, n values (written)
     * @param mOff index of {@code mask}'s first element
     * @param x    the input
     * @param xOff index of {@code x}'s first element
     * @param n    number of values
     * @param rate the drop probability, in [0, 1)
     * @param seed the mask's seed
     */
    public static void dropoutForward(double[] y, int yOff, double[] mask, int mOff, double[] x, int xOff,
                                      int n, float rate, long seed) {
        for (int i = 0; i < n; i++) {
            double m = DropoutMask.value(seed, i, rate);
            mask[mOff + i] = m;
            y[yOff + i] = x[xOff + i] * m;
        }
    }

    /**
     * dx = dy * mask.
     *
     * @param dx    the input gradient (overwritten), or null where the method allows
     * @param dxOff index of {@code dx}'s first element
     * @param dy    the output gradient
     * @param dyOff index of {@code dy}'s first element
     * @param mask  the mask written by the forward pass
     * @param mOff  index of {@code mask}'s first element
     * @param n     number of values
     */
    public static void dropoutBackward(double[] dx, int dxOff, double[] dy, int dyOff, double[] mask, int mOff, int n) {
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = dy[dyOff + i] * mask[mOff + i];
        }
    }

    // ---------------------------------------------------------------- losses

    /**
     * Loss = (1/B) sum_b w_b loss_b, where loss_b sums the per-element loss over the C columns
     * (for softmax cross-entropy, loss_b = -sum_c t_c log softmax(z)_c). weights[B] nullable (all 1);
     * grad[B,C] nullable, overwritten with d loss / d pred. param is the probability clip of
     * {@code LOSS_BCE_PROBS} and the delta of {@code LOSS_HUBER}.
     *
     * @param grad    d loss / d pred, batch x cols (overwritten), or null
     * @param gOff    index of {@code grad}'s first element
     * @param pred    the predictions, batch x cols
     * @param pOff    index of {@code pred}'s first element
     * @param target  the targets, batch x cols
     * @param tOff    index of {@code target}'s first element
     * @param weights per-sample weights, batch values, or null for all 1
     * @param wOff    index of {@code weights}'s first element
     * @param batch   rows B
     * @param cols    columns C per row
     * @param kind    an {@code Abi.LOSS_*} code
     * @param param   the loss's parameter (BCE probability clip, Huber delta)
     * @return the loss, in double
     */
    public static double loss(double[] grad, int gOff, double[] pred, int pOff, double[] target, int tOff,
                              double[] weights, int wOff, int batch, int cols, int kind, float param) {
        double total = 0.0;
        for (int b = 0; b < batch; b++) {
            double w = weights == null ? 1.0 : weights[wOff + b];
            double scale = w / batch;
            int row = b * cols;
            double sampleLoss;
            switch (kind) {
                case Abi.LOSS_BCE_LOGITS:
                    sampleLoss = bceLogitsRow(grad, gOff + row, pred, pOff + row, target, tOff + row, cols, scale);
                    break;
                case Abi.LOSS_BCE_PROBS:
                    sampleLoss = bceProbsRow(grad, gOff + row, pred, pOff + row, target, tOff + row, cols, scale, param);
                    break;
                case Abi.LOSS_SOFTMAX_XENT:
                    sampleLoss = softmaxXentRow(grad, gOff + row, pred, pOff + row, target, tOff + row, cols, scale);
                    break;
                case Abi.LOSS_MSE:
                    sampleLoss = mseRow(grad, gOff + row, pred, pOff + row, target, tOff + row, cols, scale);
                    break;
                case Abi.LOSS_HUBER:
                    sampleLoss = huberRow(grad, gOff + row, pred, pOff + row, target, tOff + row, cols, scale, param);
                    break;
                case Abi.LOSS_QLIKE:
                    sampleLoss = qlikeRow(grad, gOff + row, pred, pOff + row, target, tOff + row, cols, scale);
                    break;
                default:
                    throw new IllegalArgumentException("unknown loss kind " + kind);
            }
            total += w * sampleLoss;
        }
        return total / batch;
    }

    /** max(z,0) - z t + log(1 + e^-|z|); d/dz = sigmoid(z) - t. */
    private static double bceLogitsRow(double[] grad, int g, double[] z, int p, double[] t, int q, int cols,
                                       double scale) {
        double sum = 0.0;
        for (int c = 0; c < cols; c++) {
            double zc = z[p + c];
            double tc = t[q + c];
            sum += Math.max(zc, 0.0) - zc * tc + Math.log1p(Math.exp(-Math.abs(zc)));
            if (grad != null) {
                grad[g + c] = scale * (sigmoid(zc) - tc);
            }
        }
        return sum;
    }

    /**
     * -(t log p + (1-t) log(1-p)) with p clipped to [eps, 1 - eps]; the gradient is 0 where p was
     * clipped (strictly outside the interval), as for Keras' clip. The upper bound 1 - eps is formed in
     * float, like Keras' fp32 clip and the C kernels: 1 - 1e-7f rounds to 1 - 2^-23, which makes
     * -log(1 - p_max) = 15.94 rather than 16.12, a difference no tolerance would hide.
     */
    private static double bceProbsRow(double[] grad, int g, double[] prob, int p, double[] t, int q, int cols,
                                      double scale, float eps) {
        double lo = eps;
        double hi = 1.0f - eps;
        double sum = 0.0;
        for (int c = 0; c < cols; c++) {
            double raw = prob[p + c];
            double pc = Math.min(Math.max(raw, lo), hi);
            double tc = t[q + c];
            sum += -(tc * Math.log(pc) + (1.0 - tc) * Math.log(1.0 - pc));
            if (grad != null) {
                boolean clipped = raw < lo || raw > hi;
                grad[g + c] = clipped ? 0.0 : scale * (-tc / pc + (1.0 - tc) / (1.0 - pc));
            }
        }
        return sum;
    }

    /**
     * -sum_c t_c log softmax(z)_c with log softmax = z - max - log sum e^(z - max);
     * d/dz_j = softmax(z)_j sum_c t_c - t_j (t need not sum to 1).
     */
    private static double softmaxXentRow(double[] grad, int g, double[] z, int p, double[] t, int q, int cols,
                                         double scale) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < cols; c++) {
            max = Math.max(max, z[p + c]);
        }
        double sumExp = 0.0;
        for (int c = 0; c < cols; c++) {
            sumExp += Math.exp(z[p + c] - max);
        }
        double logSum = Math.log(sumExp);
        double loss = 0.0;
        double targetMass = 0.0;
        for (int c = 0; c < cols; c++) {
            loss -= t[q + c] * (z[p + c] - max - logSum);
            targetMass += t[q + c];
        }
        if (grad != null) {
            for (int c = 0; c < cols; c++) {
                double s = Math.exp(z[p + c] - max - logSum);
                grad[g + c] = scale * (s * targetMass - t[q + c]);
            }
        }
        return loss;
    }

    /** (y - t)^2 summed over the columns; d/dy = 2 (y - t). */
    private static double mseRow(double[] grad, int g, double[] y, int p, double[] t, int q, int cols, double scale) {
        double sum = 0.0;
        for (int c = 0; c < cols; c++) {
            double r = y[p + c] - t[q + c];
            sum += r * r;
            if (grad != null) {
                grad[g + c] = scale * 2.0 * r;
            }
        }
        return sum;
    }

    /** QLIKE's bound on d = ln y - s: e^80 stays finite in float. */
    public static final double QLIKE_MAX_EXP = 80.0;

    /**
     * QLIKE on a log-variance forecast s (h = e^s) and a realised variance y: y/h - ln(y/h) - 1 = e^d - d - 1 with
     * d = min(ln y - s, {@link #QLIKE_MAX_EXP}); d/ds = 1 - e^d. A target y &lt;= 0 gives s (d/ds = 1): the constant
     * -ln y - 1 has no gradient and is dropped.
     */
    private static double qlikeRow(double[] grad, int g, double[] s, int p, double[] t, int q, int cols,
                                   double scale) {
        double sum = 0.0;
        for (int c = 0; c < cols; c++) {
            double y = t[q + c];
            double gc;
            if (y > 0) {
                double d = Math.min(Math.log(y) - s[p + c], QLIKE_MAX_EXP);
                double r = Math.exp(d);
                sum += r - d - 1.0;
                gc = 1.0 - r;
            } else {
                sum += s[p + c];
                gc = 1.0;
            }
            if (grad != null) {
                grad[g + c] = scale * gc;
            }
        }
        return sum;
    }

    /** 0.5 r^2 if |r| &lt;= delta else delta (|r| - 0.5 delta); d/dy = r, or delta sign(r) outside. */
    private static double huberRow(double[] grad, int g, double[] y, int p, double[] t, int q, int cols,
                                   double scale, double delta) {
        double sum = 0.0;
        for (int c = 0; c < cols; c++) {
            double r = y[p + c] - t[q + c];
            double a = Math.abs(r);
            boolean quadratic = a <= delta;
            sum += quadratic ? 0.5 * r * r : delta * (a - 0.5 * delta);
            if (grad != null) {
                grad[g + c] = scale * (quadratic ? r : delta * Math.signum(r));
            }
        }
        return sum;
    }

    // ---------------------------------------------------------------- optimizers

    /**
     * SGD with PyTorch semantics over n parameters: g' = g + wd p; if momentum != 0,
     * v = momentum v + g' and g' = nesterov ? g' + momentum v : v; p -= lr g'.
     * velocity may be null when momentum == 0.
     *
     * @param p           the parameters, updated in place
     * @param pOff        index of {@code p}'s first element
     * @param velocity    the momentum buffer, or null when momentum is 0
     * @param vOff        index of {@code velocity}'s first element
     * @param g           the gradients
     * @param gOff        index of {@code g}'s first element
     * @param n           number of values
     * @param lr          learning rate
     * @param momentum    momentum factor
     * @param weightDecay weight decay
     * @param nesterov    whether to use Nesterov momentum
     */
    public static void sgdStep(double[] p, int pOff, double[] velocity, int vOff, double[] g, int gOff, int n,
                               double lr, double momentum, double weightDecay, boolean nesterov) {
        for (int i = 0; i < n; i++) {
            double grad = g[gOff + i] + weightDecay * p[pOff + i];
            if (momentum != 0.0) {
                double v = momentum * velocity[vOff + i] + grad;
                velocity[vOff + i] = v;
                grad = nesterov ? grad + momentum * v : v;
            }
            p[pOff + i] -= lr * grad;
        }
    }

    /**
     * Adam (decoupled = false: g' = g + wd p) or AdamW (decoupled = true: p -= lr wd p first, g' = g);
     * m = b1 m + (1-b1) g'; v = b2 v + (1-b2) g'^2; p -= lr mhat / (sqrt(vhat) + eps) with the bias
     * corrections mhat = m / (1 - b1^t), vhat = v / (1 - b2^t); step t &gt;= 1.
     *
     * @param p           the parameters, updated in place
     * @param pOff        index of {@code p}'s first element
     * @param m           the first moments (updated)
     * @param mOff        index of {@code m}'s first element
     * @param v           the second moments (updated)
     * @param vOff        index of {@code v}'s first element
     * @param g           the gradients
     * @param gOff        index of {@code g}'s first element
     * @param n           number of values
     * @param lr          learning rate
     * @param beta1       decay of the first moment
     * @param beta2       decay of the second moment
     * @param eps         added to the denominator
     * @param weightDecay weight decay
     * @param t           the step number, from 1
     * @param decoupled   true for AdamW, false for Adam with L2
     */
    public static void adamStep(double[] p, int pOff, double[] m, int mOff, double[] v, int vOff, double[] g, int gOff,
                                int n, double lr, double beta1, double beta2, double eps, double weightDecay,
                                long t, boolean decoupled) {
        double correction1 = 1.0 - Math.pow(beta1, t);
        double correction2 = 1.0 - Math.pow(beta2, t);
        for (int i = 0; i < n; i++) {
            double param = p[pOff + i];
            double grad = g[gOff + i];
            if (decoupled) {
                param -= lr * weightDecay * param;
            } else {
                grad += weightDecay * param;
            }
            double mi = beta1 * m[mOff + i] + (1.0 - beta1) * grad;
            double vi = beta2 * v[vOff + i] + (1.0 - beta2) * grad * grad;
            m[mOff + i] = mi;
            v[vOff + i] = vi;
            double mhat = mi / correction1;
            double vhat = vi / correction2;
            p[pOff + i] = param - lr * mhat / (Math.sqrt(vhat) + eps);
        }
    }

    // ---------------------------------------------------------------- reductions

    /**
     * sum x^2 over n values.
     *
     * @param x   the input
     * @param off index of {@code x}'s first element
     * @param n   number of values
     * @return the sum, in double
     */
    public static double sumSquares(double[] x, int off, int n) {
        double s = 0.0;
        for (int i = 0; i < n; i++) {
            s += x[off + i] * x[off + i];
        }
        return s;
    }

    /**
     * x *= s over n values.
     *
     * @param x   the input
     * @param off index of {@code x}'s first element
     * @param n   number of values
     * @param s   the factor
     */
    public static void scale(double[] x, int off, int n, double s) {
        for (int i = 0; i < n; i++) {
            x[off + i] *= s;
        }
    }
}
