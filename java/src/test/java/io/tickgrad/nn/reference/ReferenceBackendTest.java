package io.tickgrad.nn.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tickgrad.nativeio.Abi;
import io.tickgrad.nativeio.TickgradNative;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ReferenceBackend} on off-heap fp32 memory must give exactly (bit for bit) what
 * {@link ReferenceKernels} gives on double arrays holding the same float values, rounded to float once.
 * Outputs are poisoned with NaN before each call; parameter gradients start non-zero to catch overwriting.
 */
class ReferenceBackendTest {
    private OffHeapFloats mem;
    private ReferenceBackend backend;
    private SplittableRandom random;

    @BeforeEach
    void setUp() {
        mem = new OffHeapFloats();
        backend = new ReferenceBackend();
        random = FiniteDifferences.seeded("backend");
    }

    @AfterEach
    void tearDown() {
        backend.close();
        backend.close(); // a second close is harmless
        long before = TickgradNative.tg_allocated_bytes();
        mem.close();
        assertEquals(true, TickgradNative.tg_allocated_bytes() <= before);
    }

    @Test
    void denseShouldMatchTheKernels() {
        int batch = 3, in = 17, out = 5;
        float[] x = floats(batch * in, -2, 2);
        float[] w = floats(in * out, -1, 1);
        float[] bias = floats(out, -1, 1);
        float[] dy = floats(batch * out, -1, 1);
        float[] dw0 = floats(in * out, -1, 1);
        float[] db0 = floats(out, -1, 1);
        long xa = mem.put(x), wa = mem.put(w), ba = mem.put(bias), dya = mem.put(dy);
        long ya = mem.poisoned(batch * out), yNoBias = mem.poisoned(batch * out);
        long dxa = mem.poisoned(batch * in), dwa = mem.put(dw0), dba = mem.put(db0);

        backend.denseForward(ya, xa, wa, ba, batch, in, out);
        backend.denseForward(yNoBias, xa, wa, 0, batch, in, out);
        backend.denseBackward(dxa, dwa, dba, dya, xa, wa, batch, in, out);

        double[] y = new double[batch * out];
        ReferenceKernels.denseForward(y, 0, d(x), 0, d(w), 0, d(bias), 0, batch, in, out);
        assertArrayEquals(f(y), mem.get(ya, y.length));
        ReferenceKernels.denseForward(y, 0, d(x), 0, d(w), 0, null, 0, batch, in, out);
        assertArrayEquals(f(y), mem.get(yNoBias, y.length));
        double[] dx = new double[batch * in];
        double[] dw = d(dw0);
        double[] db = d(db0);
        ReferenceKernels.denseBackward(dx, 0, dw, 0, db, 0, d(dy), 0, d(x), 0, d(w), 0, batch, in, out);
        assertArrayEquals(f(dx), mem.get(dxa, dx.length));
        assertArrayEquals(f(dw), mem.get(dwa, dw.length));
        assertArrayEquals(f(db), mem.get(dba, db.length));
    }

    @ParameterizedTest(name = "kind={0}")
    @ValueSource(ints = {Abi.ACT_IDENTITY, Abi.ACT_RELU, Abi.ACT_LEAKY_RELU, Abi.ACT_GELU, Abi.ACT_GELU_TANH,
            Abi.ACT_TANH, Abi.ACT_SIGMOID})
    void activationsShouldMatchTheKernelsAlsoInPlace(int kind) {
        int n = 17;
        float alpha = 0.2f;
        float[] x = floats(n, -4, 4);
        float[] dy = floats(n, -1, 1);
        long xa = mem.put(x), ya = mem.poisoned(n), dya = mem.put(dy), dxa = mem.poisoned(n);
        backend.activationForward(ya, xa, n, kind, alpha);
        backend.activationBackward(dxa, dya, xa, ya, n, kind, alpha);
        double[] y = new double[n];
        double[] dx = new double[n];
        ReferenceKernels.activationForward(y, 0, d(x), 0, n, kind, alpha);
        ReferenceKernels.activationBackward(dx, 0, d(dy), 0, d(x), 0, n, kind, alpha);
        assertArrayEquals(f(y), mem.get(ya, n));
        assertArrayEquals(f(dx), mem.get(dxa, n));

        // y == x and dx == dy, as the header allows
        long inPlace = mem.put(x);
        backend.activationForward(inPlace, inPlace, n, kind, alpha);
        assertArrayEquals(f(y), mem.get(inPlace, n));
        long grad = mem.put(dy);
        backend.activationBackward(grad, grad, xa, ya, n, kind, alpha);
        assertArrayEquals(f(dx), mem.get(grad, n));
    }

    @Test
    void softmaxShouldMatchTheKernels() {
        int batch = 3, classes = 17;
        float[] x = floats(batch * classes, -5, 5);
        float[] dy = floats(batch * classes, -1, 1);
        long xa = mem.put(x), ya = mem.poisoned(x.length), dya = mem.put(dy), dxa = mem.poisoned(x.length);
        backend.softmaxForward(ya, xa, batch, classes);
        backend.softmaxBackward(dxa, dya, ya, batch, classes);
        double[] y = new double[x.length];
        ReferenceKernels.softmaxForward(y, 0, d(x), 0, batch, classes);
        assertArrayEquals(f(y), mem.get(ya, y.length));
        double[] dx = new double[x.length];
        // the backend reads y back as floats, so the kernel gets the rounded y too
        ReferenceKernels.softmaxBackward(dx, 0, d(dy), 0, d(f(y)), 0, batch, classes);
        assertArrayEquals(f(dx), mem.get(dxa, dx.length));
    }

    @Test
    void layerNormShouldMatchTheKernels() {
        int batch = 3, dim = 17;
        float eps = 1e-5f;
        float[] x = floats(batch * dim, -2, 3);
        float[] gamma = floats(dim, 0.5, 1.5);
        float[] beta = floats(dim, -1, 1);
        float[] dy = floats(batch * dim, -1, 1);
        float[] dg0 = floats(dim, -1, 1);
        float[] db0 = floats(dim, -1, 1);
        long xa = mem.put(x), ga = mem.put(gamma), ba = mem.put(beta), dya = mem.put(dy);
        long ya = mem.poisoned(x.length), ma = mem.poisoned(batch), ra = mem.poisoned(batch);
        long dxa = mem.poisoned(x.length), dga = mem.put(dg0), dba = mem.put(db0);
        backend.layerNormForward(ya, ma, ra, xa, ga, ba, batch, dim, eps);
        backend.layerNormBackward(dxa, dga, dba, dya, xa, ma, ra, ga, batch, dim);

        double[] y = new double[x.length];
        double[] mean = new double[batch];
        double[] rstd = new double[batch];
        ReferenceKernels.layerNormForward(y, 0, mean, 0, rstd, 0, d(x), 0, d(gamma), 0, d(beta), 0, batch, dim, eps);
        assertArrayEquals(f(y), mem.get(ya, y.length));
        assertArrayEquals(f(mean), mem.get(ma, batch));
        assertArrayEquals(f(rstd), mem.get(ra, batch));
        double[] dx = new double[x.length];
        double[] dg = d(dg0);
        double[] db = d(db0);
        ReferenceKernels.layerNormBackward(dx, 0, dg, 0, db, 0, d(dy), 0, d(x), 0, d(f(mean)), 0, d(f(rstd)), 0,
                d(gamma), 0, batch, dim);
        assertArrayEquals(f(dx), mem.get(dxa, dx.length));
        assertArrayEquals(f(dg), mem.get(dga, dim));
        assertArrayEquals(f(db), mem.get(dba, dim));
    }

    @Test
    void dropoutShouldMatchTheKernelsAndTheFloatProduct() {
        int n = 1001;
        float rate = 0.3f;
        long seed = random.nextLong();
        float[] x = floats(n, -2, 2);
        float[] dy = floats(n, -1, 1);
        long xa = mem.put(x), ya = mem.poisoned(n), ma = mem.poisoned(n), dya = mem.put(dy), dxa = mem.poisoned(n);
        backend.dropoutForward(ya, ma, xa, n, rate, seed);
        backend.dropoutBackward(dxa, dya, ma, n);
        float[] y = mem.get(ya, n);
        float[] mask = mem.get(ma, n);
        float[] dx = mem.get(dxa, n);
        for (int i = 0; i < n; i++) {
            float m = io.tickgrad.nn.DropoutMask.value(seed, i, rate);
            assertEquals(m, mask[i], 0.0f);
            assertEquals(x[i] * m, y[i], 0.0f); // what fp32 C computes
            assertEquals(dy[i] * m, dx[i], 0.0f);
        }
    }

    @ParameterizedTest(name = "kind={0}")
    @ValueSource(ints = {Abi.LOSS_BCE_LOGITS, Abi.LOSS_BCE_PROBS, Abi.LOSS_SOFTMAX_XENT, Abi.LOSS_MSE,
            Abi.LOSS_HUBER})
    void lossesShouldMatchTheKernels(int kind) {
        int batch = 3, cols = 17;
        float param = kind == Abi.LOSS_HUBER ? 0.5f : 1e-7f;
        float[] pred = kind == Abi.LOSS_BCE_PROBS ? floats(batch * cols, 0, 1) : floats(batch * cols, -3, 3);
        float[] target = floats(batch * cols, 0, 1);
        float[] weights = floats(batch, 0.5, 2);
        long pa = mem.put(pred), ta = mem.put(target), wa = mem.put(weights), ga = mem.poisoned(pred.length);
        float loss = backend.loss(ga, pa, ta, wa, batch, cols, kind, param);
        float unweighted = backend.loss(0, pa, ta, 0, batch, cols, kind, param);
        double[] grad = new double[pred.length];
        double expected = ReferenceKernels.loss(grad, 0, d(pred), 0, d(target), 0, d(weights), 0, batch, cols, kind,
                param);
        assertEquals((float) expected, loss, 0.0f);
        assertArrayEquals(f(grad), mem.get(ga, grad.length));
        assertEquals((float) ReferenceKernels.loss(null, 0, d(pred), 0, d(target), 0, null, 0, batch, cols, kind,
                param), unweighted, 0.0f);
    }

    @Test
    void optimizersShouldMatchTheKernels() {
        int n = 17;
        float[] p0 = floats(n, -1, 1), g = floats(n, -1, 1), v0 = floats(n, -1, 1);
        float[] m0 = floats(n, -0.1, 0.1), s0 = floats(n, 0, 0.01);
        for (boolean flag : new boolean[] {false, true}) {
            long pa = mem.put(p0), va = mem.put(v0), ga = mem.put(g);
            backend.sgdStep(pa, va, ga, n, 0.05f, 0.9f, 0.01f, flag);
            double[] p = d(p0), v = d(v0);
            ReferenceKernels.sgdStep(p, 0, v, 0, d(g), 0, n, 0.05f, 0.9f, 0.01f, flag);
            assertArrayEquals(f(p), mem.get(pa, n));
            assertArrayEquals(f(v), mem.get(va, n));

            long qa = mem.put(p0), ma = mem.put(m0), sa = mem.put(s0);
            backend.adamStep(qa, ma, sa, ga, n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, 3, flag);
            double[] q = d(p0), m = d(m0), s = d(s0);
            ReferenceKernels.adamStep(q, 0, m, 0, s, 0, d(g), 0, n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, 3, flag);
            assertArrayEquals(f(q), mem.get(qa, n));
            assertArrayEquals(f(m), mem.get(ma, n));
            assertArrayEquals(f(s), mem.get(sa, n));
        }
        // momentum 0: no velocity is needed or touched
        long pa = mem.put(p0);
        backend.sgdStep(pa, 0, mem.put(g), n, 0.05f, 0f, 0f, false);
        double[] p = d(p0);
        ReferenceKernels.sgdStep(p, 0, null, 0, d(g), 0, n, 0.05f, 0f, 0f, false);
        assertArrayEquals(f(p), mem.get(pa, n));
    }

    @Test
    void sumSquaresAndScaleShouldMatchTheKernels() {
        int n = 1001;
        float[] x = floats(n, -3, 3);
        long xa = mem.put(x);
        assertEquals(ReferenceKernels.sumSquares(d(x), 0, n), backend.sumSquares(xa, n), 0.0);
        backend.scale(xa, n, 0.37f);
        double[] xs = d(x);
        ReferenceKernels.scale(xs, 0, n, 0.37f);
        assertArrayEquals(f(xs), mem.get(xa, n));
    }

    /** dense -> GELU -> layernorm -> dense -> softmax -> copy as one plan, against the same ops called one by one. */
    @Test
    void planForwardShouldEqualTheOpsCalledOneByOne() {
        int batch = 3, in = 5, hidden = 7, classes = 4;
        float eps = 1e-5f;
        // params: W1 [5,7] @0, b1 [7] @35, gamma [7] @42, beta [7] @49, W2 [7,4] @56, b2 [4] @84 (88 floats)
        float[] params = floats(88, -1, 1);
        for (int i = 42; i < 49; i++) {
            params[i] = (float) random.nextDouble(0.5, 1.5);
        }
        // act: x @0 (15), h @15 (21), a @36 (21), n @57 (21), z @78 (12), s @90 (12), out @102 (12)
        int actSize = 114;
        float[] act = new float[actSize];
        java.util.Arrays.fill(act, Float.NaN);
        float[] x = floats(batch * in, -2, 2);
        System.arraycopy(x, 0, act, 0, x.length);
        long[] plan = {
            Abi.OP_DENSE, in, hidden, 0, 35, 0, 15, 0, 0,
            Abi.OP_ACTIVATION, hidden, hidden, 0, -1, 15, 36, Abi.ACT_GELU, 0,
            Abi.OP_LAYERNORM, hidden, hidden, 42, 49, 36, 57, 0, Float.floatToRawIntBits(eps) & 0xFFFFFFFFL,
            Abi.OP_DENSE, hidden, classes, 56, 84, 57, 78, 0, 0,
            Abi.OP_SOFTMAX, classes, classes, 0, -1, 78, 90, 0, 0,
            Abi.OP_COPY, classes, classes, 0, -1, 90, 102, 0, 0,
        };
        long pa = mem.put(params);
        long aa = mem.put(act);
        backend.planForward(aa, pa, mem.putLongs(plan), 6, batch);

        long xa = mem.put(x), h = mem.poisoned(21), a = mem.poisoned(21), nrm = mem.poisoned(21);
        long z = mem.poisoned(12), s = mem.poisoned(12);
        backend.denseForward(h, xa, pa, pa + 35 * 4, batch, in, hidden);
        backend.activationForward(a, h, 21, Abi.ACT_GELU, 0f);
        backend.layerNormForward(nrm, 0, 0, a, pa + 42 * 4, pa + 49 * 4, batch, hidden, eps);
        backend.denseForward(z, nrm, pa + 56 * 4, pa + 84 * 4, batch, hidden, classes);
        backend.softmaxForward(s, z, batch, classes);

        float[] result = mem.get(aa, actSize);
        assertArrayEquals(mem.get(h, 21), java.util.Arrays.copyOfRange(result, 15, 36));
        assertArrayEquals(mem.get(nrm, 21), java.util.Arrays.copyOfRange(result, 57, 78));
        assertArrayEquals(mem.get(s, 12), java.util.Arrays.copyOfRange(result, 90, 102));
        assertArrayEquals(mem.get(s, 12), java.util.Arrays.copyOfRange(result, 102, 114));
    }

    @Test
    void planForwardShouldRejectAnUnknownOpOrABadSize() {
        long act = mem.put(floats(8, -1, 1));
        long params = mem.put(floats(8, -1, 1));
        long unknown = mem.putLongs(new long[] {99, 2, 2, 0, -1, 0, 2, 0, 0});
        assertThrows(IllegalArgumentException.class, () -> backend.planForward(act, params, unknown, 1, 1));
        long empty = mem.putLongs(new long[] {Abi.OP_COPY, 0, 0, 0, -1, 0, 2, 0, 0});
        assertThrows(IllegalArgumentException.class, () -> backend.planForward(act, params, empty, 1, 1));
    }

    @Test
    void shouldNameItselfReference() {
        assertEquals("reference", backend.name());
    }

    private float[] floats(int n, double lo, double hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextDouble(lo, hi);
        }
        return a;
    }

    private static double[] d(float[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    private static float[] f(double[] a) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) a[i];
        }
        return out;
    }
}
