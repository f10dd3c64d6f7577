package io.tickgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickgrad.nativeio.Abi;
import io.tickgrad.nativeio.NativeLibrary;
import io.tickgrad.nativeio.TickgradNative;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.nn.reference.ReferenceBackend;
import io.tickgrad.tensor.Slab;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op of the native CPU backend against the reference backend (double-precision arithmetic on the same
 * fp32 inputs), for every instruction set this CPU has, on fresh random inputs and odd shapes, with the native
 * outputs poisoned with NaN first so an element a kernel forgets to write fails the test.
 *
 * <p>Tolerances, with u = 2^-24 the fp32 unit roundoff:
 * <ul>
 *   <li>Dense (dot products of length K): the classic bound for a recursively or blockwise summed fp32 dot
 *       product is |error| <= K u sum|x_i w_i| (Higham, Accuracy and Stability, 3.1), plus u|y| for rounding the
 *       reference result to fp32. The test computes sum|x_i w_i| per element with the reference backend on |x|,
 *       |w| and allows 2 K u of it (factor 2: bias add and the final rounding), plus 1e-30.</li>
 *   <li>Dense + activation in one call: the dense bound above for y and dx, times the activation's slope (1, or
 *       |alpha| for leaky ReLU) for its output and for dx, plus u of the value (the reference rounds y or dx to fp32
 *       before the activation, as the separate calls do); for GELU, tanh and sigmoid (not fused natively: a second
 *       pass) the elementwise tolerance below is added and the slope bound taken as 1.2.</li>
 *   <li>Elementwise activations: libm-quality fp32 functions are within a few ulps; we allow 8 ulps relative
 *       plus 2e-7 absolute (GELU's 1 + erf(x) cancels for negative x, so its error is absolute, not relative).</li>
 *   <li>Softmax: exp within a few ulps and a sum of C terms: (C + 16) u absolute on probabilities in [0, 1].</li>
 *   <li>Layer norm: mean and variance are sums of D fp32 terms (relative error <= D u); x - mean carries
 *       that error times |x| + |mean|, amplified by |gamma| rstd; we allow 4 (D + 4) u times the first-order
 *       magnitudes (see the test).</li>
 *   <li>Losses: sums over B C terms accumulated in double natively, so 1e-5 relative covers the fp32
 *       rounding of log/exp per term; gradients are elementwise: 8 ulps relative + 1e-7 absolute.</li>
 *   <li>Optimizers: a handful of fp32 operations per element: 16 ulps relative + 1e-9 absolute.</li>
 *   <li>Dropout: the mask is a hash of (seed, index) in both backends: exact.</li>
 * </ul>
 */
class NativeVsReferenceOpsTest {
    private static final double U = 0x1p-24;
    private static final int[] ODD = {1, 3, 17, 257};

    private static NativeCpuBackend nativeBackend;
    private static ReferenceBackend reference;
    private Buffers buf;

    @BeforeAll
    static void load() {
        NativeLibrary.ensureLoaded();
        nativeBackend = NativeCpuBackend.create();
        reference = new ReferenceBackend();
    }

    @AfterAll
    static void release() {
        TickgradNative.tg_set_isa(TickgradNative.tg_cpu_isa());
        nativeBackend.close();
        reference.close();
    }

    @AfterEach
    void free() {
        if (buf != null) {
            buf.close();
        }
    }

    static IntStream isas() {
        NativeLibrary.ensureLoaded();
        return IntStream.rangeClosed(Abi.ISA_SCALAR, TickgradNative.tg_cpu_isa());
    }

    private void useIsa(int isa) {
        assertEquals(0, TickgradNative.tg_set_isa(isa), "tg_set_isa(" + Abi.isaName(isa) + ")");
        buf = new Buffers();
    }

    private static String at(int isa, Object... shape) {
        StringBuilder sb = new StringBuilder(Abi.isaName(isa)).append(" shape");
        for (Object s : shape) {
            sb.append(' ').append(s);
        }
        return sb.toString();
    }

    @ParameterizedTest(name = "dense forward and backward on {0}")
    @MethodSource("isas")
    void denseForwardAndBackwardMatchReference(int isa) {
        useIsa(isa);
        int[][] shapes = {{1, 1, 1}, {1, 400, 256}, {3, 17, 5}, {17, 257, 3}, {257, 3, 17}, {64, 33, 65}, {5, 1, 257}};
        for (int[] s : shapes) {
            int b = s[0];
            int in = s[1];
            int out = s[2];
            Slab x = buf.gaussian((long) b * in, 1);
            Slab w = buf.gaussian((long) in * out, 1 / Math.sqrt(in));
            Slab bias = buf.gaussian(out, 0.5);
            Slab yRef = buf.poisoned((long) b * out);
            Slab yNat = buf.poisoned((long) b * out);
            reference.denseForward(yRef.address(), x.address(), w.address(), bias.address(), b, in, out);
            nativeBackend.denseForward(yNat.address(), x.address(), w.address(), bias.address(), b, in, out);
            double[] tol = dotBound(b, in, out, x, w, bias);
            Buffers.assertClose("dense forward " + at(isa, b, in, out), yRef, yNat, (long) b * out, 0, 0, tol, buf.seed);

            // backward: dx overwritten, dW and db accumulate onto non-zero values
            DenseGrads g = DenseGrads.of(buf, b, in, out);
            reference.denseBackward(g.dxRef().address(), g.dwRef().address(), g.dbRef().address(), g.dy().address(),
                x.address(), w.address(), b, in, out);
            nativeBackend.denseBackward(g.dxNat().address(), g.dwNat().address(), g.dbNat().address(), g.dy().address(),
                x.address(), w.address(), b, in, out);
            Buffers.assertClose("dense dx " + at(isa, b, in, out), g.dxRef(), g.dxNat(), (long) b * in, 0, 0,
                dxBound(b, in, out, g.dy(), w), buf.seed);
            Buffers.assertClose("dense dW " + at(isa, b, in, out), g.dwRef(), g.dwNat(), (long) in * out, 0, 0,
                dwBound(b, in, out, x, g.dy(), g.dw0()), buf.seed);
            double[] dbTol = g.dbBound(b, out);
            Buffers.assertClose("dense db " + at(isa, b, in, out), g.dbRef(), g.dbNat(), out, 0, 0, dbTol, buf.seed);
        }
    }

    @org.junit.jupiter.api.Test
    void denseMatchesReferenceWithTwoThreads() {
        buf = new Buffers();
        TickgradNative.tg_set_isa(TickgradNative.tg_cpu_isa());
        try (NativeCpuBackend threaded = NativeCpuBackend.create(2)) {
            assertEquals(2, TickgradNative.tg_num_threads());
            int b = 256;
            int in = 400;
            int out = 256;   // large enough for the GEMM to split across threads
            Slab x = buf.gaussian((long) b * in, 1);
            Slab w = buf.gaussian((long) in * out, 0.05);
            Slab bias = buf.gaussian(out, 0.5);
            Slab yRef = buf.poisoned((long) b * out);
            Slab yNat = buf.poisoned((long) b * out);
            reference.denseForward(yRef.address(), x.address(), w.address(), bias.address(), b, in, out);
            threaded.denseForward(yNat.address(), x.address(), w.address(), bias.address(), b, in, out);
            Buffers.assertClose("dense forward, 2 threads", yRef, yNat, (long) b * out, 0, 0,
                dotBound(b, in, out, x, w, bias), buf.seed);
            Slab dy = buf.gaussian((long) b * out, 1);
            Slab dxRef = buf.poisoned((long) b * in);
            Slab dxNat = buf.poisoned((long) b * in);
            Slab dwRef = buf.gaussian((long) in * out, 1);
            Slab dw0 = buf.copyOf(dwRef);
            Slab dwNat = buf.copyOf(dwRef);
            reference.denseBackward(dxRef.address(), dwRef.address(), 0, dy.address(), x.address(), w.address(), b, in,
                out);
            threaded.denseBackward(dxNat.address(), dwNat.address(), 0, dy.address(), x.address(), w.address(), b, in,
                out);
            Buffers.assertClose("dense dx, 2 threads", dxRef, dxNat, (long) b * in, 0, 0, dxBound(b, in, out, dy, w),
                buf.seed);
            Buffers.assertClose("dense dW, 2 threads", dwRef, dwNat, (long) in * out, 0, 0,
                dwBound(b, in, out, x, dy, dw0), buf.seed);
        } finally {
            TickgradNative.tg_set_num_threads(1);
        }
    }

    @ParameterizedTest(name = "dense without bias and with null gradients on {0}")
    @MethodSource("isas")
    void denseSkipsNullOutputs(int isa) {
        useIsa(isa);
        int b = 3;
        int in = 17;
        int out = 5;
        Slab x = buf.gaussian(b * in, 1);
        Slab w = buf.gaussian(in * out, 1);
        Slab yRef = buf.poisoned(b * out);
        Slab yNat = buf.poisoned(b * out);
        reference.denseForward(yRef.address(), x.address(), w.address(), 0, b, in, out);
        nativeBackend.denseForward(yNat.address(), x.address(), w.address(), 0, b, in, out);
        Buffers.assertClose("dense no bias " + at(isa), yRef, yNat, b * out, 0, 0,
            dotBound(b, in, out, x, w, null), buf.seed);
        Slab dy = buf.gaussian(b * out, 1);
        Slab dwRef = buf.gaussian(in * out, 1);
        Slab dwNat = buf.copyOf(dwRef);
        Slab before = buf.copyOf(dwRef);
        reference.denseBackward(0, dwRef.address(), 0, dy.address(), x.address(), w.address(), b, in, out);
        nativeBackend.denseBackward(0, dwNat.address(), 0, dy.address(), x.address(), w.address(), b, in, out);
        Buffers.assertClose("dense dW only " + at(isa), dwRef, dwNat, in * out, 0, 0,
            dwBound(b, in, out, x, dy, before), buf.seed);
    }

    @ParameterizedTest(name = "dense with the activation next to it, one call, on {0}")
    @MethodSource("isas")
    void denseWithActivationMatchesReference(int isa) {
        useIsa(isa);
        // GEMV batch, the narrow output layer, a swapped dx GEMM (in = 3), odd GEMM tiles, k-blocked forward (in = 600)
        // and k-blocked weight gradient with its bias column sums (batch = 600)
        int[][] shapes = {{1, 17, 5}, {37, 50, 6}, {257, 3, 17}, {64, 33, 65}, {64, 600, 256}, {600, 40, 33}};
        for (Activation a : Activation.values()) {
            boolean piecewiseLinear = a == Activation.IDENTITY || a == Activation.RELU || a == Activation.LEAKY_RELU;
            float alpha = a == Activation.LEAKY_RELU ? 0.1f : 0f;
            double slope = piecewiseLinear ? Math.max(1, Math.abs(alpha)) : 1.2;
            for (int[] s : shapes) {
                int b = s[0];
                int in = s[1];
                int out = s[2];
                String where = a + " " + at(isa, b, in, out);
                // the activation before the layer: its input (with exact zeros at the kink) and output, which is x
                Slab actX = buf.gaussian((long) b * in, 1);
                for (long i = 0; i < (long) b * in; i += 5) {
                    actX.putFloat(i, i % 2 == 0 ? 0f : -0f);
                }
                Slab x = buf.poisoned((long) b * in);
                reference.activationForward(x.address(), actX.address(), (long) b * in, a.code(), alpha);
                Slab w = buf.gaussian((long) in * out, 1 / Math.sqrt(in));
                Slab bias = buf.gaussian(out, 0.5);
                Slab yRef = buf.poisoned((long) b * out);
                Slab yNat = buf.poisoned((long) b * out);
                Slab aRef = buf.poisoned((long) b * out);
                Slab aNat = buf.poisoned((long) b * out);
                reference.denseActivationForward(yRef.address(), aRef.address(), x.address(), w.address(),
                    bias.address(), b, in, out, a.code(), alpha);
                nativeBackend.denseActivationForward(yNat.address(), aNat.address(), x.address(), w.address(),
                    bias.address(), b, in, out, a.code(), alpha);
                double[] yTol = dotBound(b, in, out, x, w, bias);
                Buffers.assertClose("dense+act y " + where, yRef, yNat, (long) b * out, 0, 0, yTol, buf.seed);
                Buffers.assertClose("dense+act a " + where, aRef, aNat, (long) b * out, 0, 0,
                    activationBound(yTol, aRef, slope, piecewiseLinear), buf.seed);

                DenseGrads g = DenseGrads.of(buf, b, in, out);
                reference.denseActivationBackward(g.dxRef().address(), g.dwRef().address(),
                    g.dbRef().address(), g.dy().address(), x.address(), w.address(), actX.address(), x.address(), b,
                    in, out, a.code(), alpha);
                nativeBackend.denseActivationBackward(g.dxNat().address(), g.dwNat().address(),
                    g.dbNat().address(), g.dy().address(), x.address(), w.address(), actX.address(), x.address(), b,
                    in, out, a.code(), alpha);
                Buffers.assertClose("dense+act dx " + where, g.dxRef(), g.dxNat(), (long) b * in, 0, 0,
                    activationBound(dxBound(b, in, out, g.dy(), w), g.dxRef(), slope, piecewiseLinear), buf.seed);
                Buffers.assertClose("dense+act dW " + where, g.dwRef(), g.dwNat(), (long) in * out, 0, 0,
                    dwBound(b, in, out, x, g.dy(), g.dw0()), buf.seed);
                double[] dbTol = g.dbBound(b, out);
                Buffers.assertClose("dense+act db " + where, g.dbRef(), g.dbNat(), out, 0, 0, dbTol, buf.seed);
            }
        }
    }

    /** An activation applied to values within inner[i]: slope times that, plus u of the value, plus the elementwise
     *  tolerance of the activation test where the activation is not piecewise linear. */
    private static double[] activationBound(double[] inner, Slab ref, double slope, boolean piecewiseLinear) {
        double[] tol = new double[inner.length];
        for (int i = 0; i < tol.length; i++) {
            double v = Math.abs(ref.getFloat(i));
            tol[i] = slope * inner[i] + U * v + (piecewiseLinear ? 0 : 2e-7 + 8 * U * v);
        }
        return tol;
    }

    @ParameterizedTest(name = "activations on {0}")
    @MethodSource("isas")
    void activationsMatchReference(int isa) {
        useIsa(isa);
        for (Activation a : Activation.values()) {
            for (int n : ODD) {
                float alpha = a == Activation.LEAKY_RELU ? 0.1f : 0f;
                Slab x = buf.gaussian(n, 3);
                Slab yRef = buf.poisoned(n);
                Slab yNat = buf.poisoned(n);
                reference.activationForward(yRef.address(), x.address(), n, a.code(), alpha);
                nativeBackend.activationForward(yNat.address(), x.address(), n, a.code(), alpha);
                Buffers.assertClose(a + " forward " + at(isa, n), yRef, yNat, n, 2e-7, 8 * U, null, buf.seed);
                Slab dy = buf.gaussian(n, 1);
                Slab dxRef = buf.poisoned(n);
                Slab dxNat = buf.poisoned(n);
                reference.activationBackward(dxRef.address(), dy.address(), x.address(), yRef.address(), n, a.code(),
                    alpha);
                nativeBackend.activationBackward(dxNat.address(), dy.address(), x.address(), yRef.address(), n,
                    a.code(), alpha);
                Buffers.assertClose(a + " backward " + at(isa, n), dxRef, dxNat, n, 2e-7, 8 * U, null, buf.seed);
            }
        }
    }

    @ParameterizedTest(name = "softmax on {0}")
    @MethodSource("isas")
    void softmaxMatchesReference(int isa) {
        useIsa(isa);
        for (int b : ODD) {
            for (int c : new int[] {1, 3, 6, 17, 257}) {
                Slab x = buf.gaussian((long) b * c, 4);
                Slab yRef = buf.poisoned((long) b * c);
                Slab yNat = buf.poisoned((long) b * c);
                reference.softmaxForward(yRef.address(), x.address(), b, c);
                nativeBackend.softmaxForward(yNat.address(), x.address(), b, c);
                Buffers.assertClose("softmax forward " + at(isa, b, c), yRef, yNat, (long) b * c, (c + 16) * U, 0,
                    null, buf.seed);
                Slab dy = buf.gaussian((long) b * c, 1);
                Slab dxRef = buf.poisoned((long) b * c);
                Slab dxNat = buf.poisoned((long) b * c);
                reference.softmaxBackward(dxRef.address(), dy.address(), yRef.address(), b, c);
                nativeBackend.softmaxBackward(dxNat.address(), dy.address(), yRef.address(), b, c);
                // dx = y (dy - <dy, y>): the inner product has C terms of size |dy| <= ~4
                Buffers.assertClose("softmax backward " + at(isa, b, c), dxRef, dxNat, (long) b * c,
                    4 * (c + 16) * U, 8 * U, null, buf.seed);
            }
        }
    }

    @ParameterizedTest(name = "layer norm on {0}")
    @MethodSource("isas")
    void layerNormMatchesReference(int isa) {
        useIsa(isa);
        for (int b : ODD) {
            for (int d : new int[] {1, 3, 17, 257}) {
                long n = (long) b * d;
                Slab x = buf.gaussian(n, 2);
                for (long i = 0; i < n; i++) {
                    x.putFloat(i, x.getFloat(i) + 3f);   // a non-zero mean exercises the centring
                }
                Slab gamma = buf.gaussian(d, 1);
                Slab beta = buf.gaussian(d, 1);
                Slab yRef = buf.poisoned(n);
                Slab yNat = buf.poisoned(n);
                Slab meanRef = buf.poisoned(b);
                Slab meanNat = buf.poisoned(b);
                Slab rstdRef = buf.poisoned(b);
                Slab rstdNat = buf.poisoned(b);
                float eps = 1e-3f;
                reference.layerNormForward(yRef.address(), meanRef.address(), rstdRef.address(), x.address(),
                    gamma.address(), beta.address(), b, d, eps);
                nativeBackend.layerNormForward(yNat.address(), meanNat.address(), rstdNat.address(), x.address(),
                    gamma.address(), beta.address(), b, d, eps);
                // first order: y = gamma (x - mean) rstd + beta; x - mean carries the rounding of x and of the
                // D-term mean (<= (D + 2) u (|x| + |mean|)), scaled by |gamma| rstd; rstd itself carries a relative
                // error of about (D + 4) u, seen in |y - beta|; the final multiply-add adds u (|y| + |beta|)
                double[] tol = new double[(int) n];
                for (int i = 0; i < n; i++) {
                    int r = (int) (i / d);
                    double xi = Math.abs(x.getFloat(i));
                    double mean = Math.abs(meanRef.getFloat(r));
                    double g = Math.abs(gamma.getFloat(i % d));
                    tol[i] = 4 * (d + 4) * U * (g * rstdRef.getFloat(r) * (xi + mean) + Math.abs(yRef.getFloat(i))
                        + Math.abs(beta.getFloat(i % d))) + 1e-30;
                }
                Buffers.assertClose("layernorm forward " + at(isa, b, d), yRef, yNat, n, 0, 0, tol, buf.seed);
                Buffers.assertClose("layernorm mean " + at(isa, b, d), meanRef, meanNat, b, 0, 4 * (d + 4) * U,
                    null, buf.seed);
                Buffers.assertClose("layernorm rstd " + at(isa, b, d), rstdRef, rstdNat, b, 0, 4 * (d + 4) * U,
                    null, buf.seed);

                Slab dy = buf.gaussian(n, 1);
                Slab dxRef = buf.poisoned(n);
                Slab dxNat = buf.poisoned(n);
                Slab dg0 = buf.gaussian(d, 1);
                Slab dgRef = buf.copyOf(dg0);
                Slab dgNat = buf.copyOf(dg0);
                Slab dbRef = buf.copyOf(dg0);
                Slab dbNat = buf.copyOf(dg0);
                reference.layerNormBackward(dxRef.address(), dgRef.address(), dbRef.address(), dy.address(),
                    x.address(), meanRef.address(), rstdRef.address(), gamma.address(), b, d);
                nativeBackend.layerNormBackward(dxNat.address(), dgNat.address(), dbNat.address(), dy.address(),
                    x.address(), meanRef.address(), rstdRef.address(), gamma.address(), b, d);
                // dx sums 2 D terms of size |gamma dy xhat| per row: allow 8 D u times the row's magnitude
                double[] dxTol = new double[(int) n];
                for (int r = 0; r < b; r++) {
                    double mag = 0;
                    for (int j = 0; j < d; j++) {
                        mag += Math.abs(gamma.getFloat(j) * dy.getFloat((long) r * d + j));
                    }
                    mag = mag / d * Math.max(1, rstdRef.getFloat(r)) * 4;
                    for (int j = 0; j < d; j++) {
                        dxTol[r * d + j] = 8 * (d + 4) * U * (mag + Math.abs(dxRef.getFloat((long) r * d + j)));
                    }
                }
                Buffers.assertClose("layernorm dx " + at(isa, b, d), dxRef, dxNat, n, 0, 0, dxTol, buf.seed);
                // dgamma, dbeta: sums over B rows of |dy| * O(3) values, on top of the accumulated start value
                Buffers.assertClose("layernorm dgamma " + at(isa, b, d), dgRef, dgNat, d, 16 * (b + 4) * U * 4,
                    4 * U, null, buf.seed);
                Buffers.assertClose("layernorm dbeta " + at(isa, b, d), dbRef, dbNat, d, 16 * (b + 4) * U * 4,
                    4 * U, null, buf.seed);
            }
        }
    }

    @ParameterizedTest(name = "dropout on {0}")
    @MethodSource("isas")
    void dropoutMasksAreBitIdentical(int isa) {
        useIsa(isa);
        for (int n : ODD) {
            for (float rate : new float[] {0f, 0.1f, 0.5f, 0.9f}) {
                long seed = buf.random.nextLong();
                Slab x = buf.gaussian(n, 1);
                Slab yRef = buf.poisoned(n);
                Slab yNat = buf.poisoned(n);
                Slab mRef = buf.poisoned(n);
                Slab mNat = buf.poisoned(n);
                reference.dropoutForward(yRef.address(), mRef.address(), x.address(), n, rate, seed);
                nativeBackend.dropoutForward(yNat.address(), mNat.address(), x.address(), n, rate, seed);
                Buffers.assertClose("dropout mask " + at(isa, n, rate), mRef, mNat, n, 0, 0, null, buf.seed);
                Buffers.assertClose("dropout y " + at(isa, n, rate), yRef, yNat, n, 0, 0, null, buf.seed);
                Slab dy = buf.gaussian(n, 1);
                Slab dxRef = buf.poisoned(n);
                Slab dxNat = buf.poisoned(n);
                reference.dropoutBackward(dxRef.address(), dy.address(), mRef.address(), n);
                nativeBackend.dropoutBackward(dxNat.address(), dy.address(), mRef.address(), n);
                Buffers.assertClose("dropout dx " + at(isa, n, rate), dxRef, dxNat, n, 0, 0, null, buf.seed);
            }
        }
    }

    @ParameterizedTest(name = "losses on {0}")
    @MethodSource("isas")
    void lossesMatchReference(int isa) {
        useIsa(isa);
        int[] kinds = {Abi.LOSS_BCE_LOGITS, Abi.LOSS_BCE_PROBS, Abi.LOSS_SOFTMAX_XENT, Abi.LOSS_MSE, Abi.LOSS_HUBER,
            Abi.LOSS_QLIKE};
        for (int kind : kinds) {
            for (int b : ODD) {
                for (int c : new int[] {1, 3, 6}) {
                    for (boolean weighted : new boolean[] {false, true}) {
                        long n = (long) b * c;
                        Slab pred;
                        Slab target;
                        float param = 0f;
                        if (kind == Abi.LOSS_BCE_PROBS) {
                            pred = buf.uniform(n, -0.05, 1.05);   // some beyond the clip range
                            target = buf.uniform(n, 0, 1);
                            param = 1e-7f;
                        } else if (kind == Abi.LOSS_SOFTMAX_XENT) {
                            pred = buf.gaussian(n, 3);
                            target = oneHotish(b, c);
                        } else if (kind == Abi.LOSS_QLIKE) {
                            // log-variance forecasts; realised variances over 4 decades, one in ~7 exactly 0
                            pred = buf.gaussian(n, 3);
                            target = buf.uniform(n, -5, 4);
                            for (long i = 0; i < n; i++) {
                                float u = target.getFloat(i);
                                target.putFloat(i, u < -4 ? 0f : (float) Math.exp(2.3 * u));
                            }
                        } else if (kind == Abi.LOSS_BCE_LOGITS) {
                            pred = buf.gaussian(n, 4);
                            target = buf.uniform(n, 0, 1);
                        } else {
                            pred = buf.gaussian(n, 2);
                            target = buf.gaussian(n, 2);
                            param = kind == Abi.LOSS_HUBER ? 1f : 0f;
                        }
                        Slab weights = weighted ? buf.uniform(b, 0, 2) : null;
                        long w = weights == null ? 0 : weights.address();
                        Slab gRef = buf.poisoned(n);
                        Slab gNat = buf.poisoned(n);
                        float lRef = reference.loss(gRef.address(), pred.address(), target.address(), w, b, c, kind,
                            param);
                        float lNat = nativeBackend.loss(gNat.address(), pred.address(), target.address(), w, b, c,
                            kind, param);
                        String where = "loss " + kind + (weighted ? " weighted " : " ") + at(isa, b, c);
                        assertEquals(lRef, lNat, 1e-5 * Math.abs(lRef) + 1e-7, where + " value (seed " + buf.seed + ")");
                        Buffers.assertClose(where + " grad", gRef, gNat, n, 1e-7, 8 * U, null, buf.seed);
                        float lNoGrad = nativeBackend.loss(0, pred.address(), target.address(), w, b, c, kind, param);
                        assertEquals(lNat, lNoGrad, 0f, where + ": the loss must not depend on whether grad is asked");
                    }
                }
            }
        }
    }

    private Slab oneHotish(int b, int c) {
        Slab t = buf.slab((long) b * c);
        for (int r = 0; r < b; r++) {
            // a smoothed one-hot: a distribution, as the header requires
            int k = buf.random.nextInt(c);
            for (int j = 0; j < c; j++) {
                t.putFloat((long) r * c + j, c == 1 ? 1f : (j == k ? 0.9f : 0.1f / (c - 1)));
            }
        }
        return t;
    }

    @ParameterizedTest(name = "optimizers on {0}")
    @MethodSource("isas")
    void optimizerStepsMatchReference(int isa) {
        useIsa(isa);
        for (int n : ODD) {
            for (int variant = 0; variant < 4; variant++) {
                Slab p0 = buf.gaussian(n, 1);
                Slab g = buf.gaussian(n, 0.1);
                Slab v0 = buf.gaussian(n, 0.05);
                Slab pRef = buf.copyOf(p0);
                Slab pNat = buf.copyOf(p0);
                Slab vRef = buf.copyOf(v0);
                Slab vNat = buf.copyOf(v0);
                float momentum = variant == 0 ? 0f : 0.9f;
                boolean nesterov = variant == 2;
                float wd = variant == 3 ? 0.01f : 0f;
                reference.sgdStep(pRef.address(), vRef.address(), g.address(), n, 0.05f, momentum, wd, nesterov);
                nativeBackend.sgdStep(pNat.address(), vNat.address(), g.address(), n, 0.05f, momentum, wd, nesterov);
                String where = "sgd variant " + variant + " " + at(isa, n);
                // each fp32 operation rounds relative to its operands, not to a result that may cancel:
                // bound 8 u times the sum of the magnitudes of every term that enters v and p
                double[] vTol = new double[n];
                double[] pTol = new double[n];
                for (int i = 0; i < n; i++) {
                    double terms = Math.abs(momentum * v0.getFloat(i)) + Math.abs(g.getFloat(i))
                        + Math.abs(wd * p0.getFloat(i));
                    vTol[i] = 8 * U * (terms + Math.abs(vRef.getFloat(i))) + 1e-30;
                    pTol[i] = 8 * U * (Math.abs(p0.getFloat(i)) + 0.05 * 2 * (terms + Math.abs(vRef.getFloat(i))))
                        + 1e-30;
                }
                Buffers.assertClose(where + " p", pRef, pNat, n, 0, 0, pTol, buf.seed);
                Buffers.assertClose(where + " v", vRef, vNat, n, 0, 0, vTol, buf.seed);
            }
            for (boolean decoupled : new boolean[] {false, true}) {
                Slab p0 = buf.gaussian(n, 1);
                Slab g = buf.gaussian(n, 0.1);
                Slab m0 = buf.gaussian(n, 0.01);
                Slab v0 = buf.uniform(n, 0, 0.01);
                Slab pRef = buf.copyOf(p0);
                Slab pNat = buf.copyOf(p0);
                Slab mRef = buf.copyOf(m0);
                Slab mNat = buf.copyOf(m0);
                Slab vRef = buf.copyOf(v0);
                Slab vNat = buf.copyOf(v0);
                for (long t = 1; t <= 3; t++) {
                    reference.adamStep(pRef.address(), mRef.address(), vRef.address(), g.address(), n, 1e-3f, 0.9f,
                        0.999f, 1e-7f, 0.01f, t, decoupled);
                    nativeBackend.adamStep(pNat.address(), mNat.address(), vNat.address(), g.address(), n, 1e-3f,
                        0.9f, 0.999f, 1e-7f, 0.01f, t, decoupled);
                }
                String where = (decoupled ? "adamw " : "adam ") + at(isa, n);
                // as for SGD, rounding is relative to the terms that enter each value, not to a result that may
                // cancel: m mixes |m0| and |g|, v mixes |v0| and g^2, p moves from |p0| by at most ~lr per step
                // (plus lr wd |p| for the decay); three steps, 16 u per term
                double[] pTol = new double[n];
                double[] mTol = new double[n];
                double[] vTol = new double[n];
                for (int i = 0; i < n; i++) {
                    double gi = Math.abs(g.getFloat(i));
                    pTol[i] = 16 * U * (Math.abs(p0.getFloat(i)) + Math.abs(pRef.getFloat(i)) + 3 * 1e-3 * 2) + 1e-30;
                    mTol[i] = 16 * U * (Math.abs(m0.getFloat(i)) + 3 * gi + Math.abs(mRef.getFloat(i))) + 1e-30;
                    vTol[i] = 16 * U * (Math.abs(v0.getFloat(i)) + 3 * gi * gi + Math.abs(vRef.getFloat(i))) + 1e-30;
                }
                Buffers.assertClose(where + " p", pRef, pNat, n, 0, 0, pTol, buf.seed);
                Buffers.assertClose(where + " m", mRef, mNat, n, 0, 0, mTol, buf.seed);
                Buffers.assertClose(where + " v", vRef, vNat, n, 0, 0, vTol, buf.seed);
            }
        }
    }

    @ParameterizedTest(name = "sum of squares and scale on {0}")
    @MethodSource("isas")
    void reductionsMatchReference(int isa) {
        useIsa(isa);
        for (int n : new int[] {1, 3, 17, 257, 100_003}) {
            Slab x = buf.gaussian(n, 2);
            double ref = reference.sumSquares(x.address(), n);
            double nat = nativeBackend.sumSquares(x.address(), n);
            // both accumulate in double: only the summation order differs
            assertEquals(ref, nat, 1e-12 * ref, "sum of squares " + at(isa, n));
            Slab a = buf.copyOf(x);
            Slab b = buf.copyOf(x);
            reference.scale(a.address(), n, 0.37f);
            nativeBackend.scale(b.address(), n, 0.37f);
            Buffers.assertClose("scale " + at(isa, n), a, b, n, 0, U, null, buf.seed);
        }
    }

    /** Per-element bound 2 K u sum_k |x_bk w_ko| + |bias| u, computed in double. */
    private static double[] dotBound(int b, int in, int out, Slab x, Slab w, Slab bias) {
        double[] tol = new double[b * out];
        for (int r = 0; r < b; r++) {
            for (int o = 0; o < out; o++) {
                double mag = bias == null ? 0 : Math.abs(bias.getFloat(o));
                for (int k = 0; k < in; k++) {
                    mag += Math.abs((double) x.getFloat((long) r * in + k) * w.getFloat((long) k * out + o));
                }
                tol[r * out + o] = 2 * (in + 1) * U * mag + 1e-30;
            }
        }
        return tol;
    }

    private static double[] dxBound(int b, int in, int out, Slab dy, Slab w) {
        double[] tol = new double[b * in];
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < in; i++) {
                double mag = 0;
                for (int o = 0; o < out; o++) {
                    mag += Math.abs((double) dy.getFloat((long) r * out + o) * w.getFloat((long) i * out + o));
                }
                tol[r * in + i] = 2 * (out + 1) * U * mag + 1e-30;
            }
        }
        return tol;
    }

    private static double[] dwBound(int b, int in, int out, Slab x, Slab dy, Slab dw0) {
        double[] tol = new double[in * out];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                double mag = Math.abs(dw0.getFloat((long) i * out + o));
                for (int r = 0; r < b; r++) {
                    mag += Math.abs((double) x.getFloat((long) r * in + i) * dy.getFloat((long) r * out + o));
                }
                tol[i * out + o] = 2 * (b + 2) * U * mag + 1e-30;
            }
        }
        return tol;
    }
    /** dy, poisoned dx on both sides, and dW / db starting from the same non-zero values (they accumulate). */
    private record DenseGrads(Slab dy, Slab dxRef, Slab dxNat, Slab dw0, Slab dwRef, Slab dwNat, Slab db0, Slab dbRef,
                              Slab dbNat) {
        static DenseGrads of(Buffers buf, int b, int in, int out) {
            Slab dy = buf.gaussian((long) b * out, 1);
            Slab dxRef = buf.poisoned((long) b * in);
            Slab dxNat = buf.poisoned((long) b * in);
            Slab dw0 = buf.gaussian((long) in * out, 1);
            Slab db0 = buf.gaussian(out, 1);
            return new DenseGrads(dy, dxRef, dxNat, dw0, buf.copyOf(dw0), buf.copyOf(dw0), db0, buf.copyOf(db0),
                buf.copyOf(db0));
        }

        /** fp32 bound on db = db0 + column sums of dy: (b + 1) additions of |values|. */
        double[] dbBound(int b, int out) {
            double[] tol = new double[out];
            for (int o = 0; o < out; o++) {
                double mag = Math.abs(db0.getFloat(o));
                for (int r = 0; r < b; r++) {
                    mag += Math.abs(dy.getFloat((long) r * out + o));
                }
                tol[o] = 2 * (b + 1) * U * mag + 1e-30;
            }
            return tol;
        }
    }
}
