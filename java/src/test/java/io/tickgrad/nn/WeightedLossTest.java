package io.tickgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.nativeio.Abi;
import io.tickgrad.nativeio.NativeLibrary;
import io.tickgrad.nativeio.TickgradNative;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.nn.reference.ReferenceBackend;
import io.tickgrad.nn.reference.ReferenceWeightedLoss;
import io.tickgrad.tensor.Slab;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The weighted loss (class weights, positive-class weights, sample weights; PyTorch's weighted mean): the reference
 * against values worked out by hand, its gradient against central finite differences in double, and the native
 * kernel against the reference on fresh random inputs for every ISA, outputs poisoned with NaN first.
 *
 * <p>Tolerances: native against reference as for the unweighted losses (both accumulate in double; the native
 * per-element exp/log and the fp32 rounding of the result: 1e-5 relative on the loss, 8 ulps relative + 1e-7
 * absolute on the gradient). Finite differences in double with h = 1e-5: the truncation error is O(h^2 f''') ~ 1e-10
 * and the rounding error ~ 1e-16 / h = 1e-11, so 1e-7 absolute + 1e-6 relative is a loose, honest bound.
 */
class WeightedLossTest {
    private static final double U = 0x1p-24;
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

    static java.util.stream.IntStream isas() {
        return NativeVsReferenceOpsTest.isas();
    }

    @Test
    void classWeightedCrossEntropyIsTheMeanOverTheTargetsWeights() {
        // CrossEntropyLoss(weight=[1, 3]) on logits [[2, 0], [0, 1]], targets [0, 1]:
        // (1 * -log softmax([2,0])_0 + 3 * -log softmax([0,1])_1) / (1 + 3)
        double l0 = Math.log(1 + Math.exp(-2));
        double l1 = Math.log(1 + Math.exp(-1));
        double expected = (1 * l0 + 3 * l1) / 4;
        double got = ReferenceWeightedLoss.loss(null, new double[] {2, 0, 0, 1}, new double[] {1, 0, 0, 1}, null,
            new double[] {1, 3}, 2, 2, Abi.LOSS_SOFTMAX_XENT, 0f);
        assertEquals(expected, got, 1e-15);
        // sample weights [2, 0.5] multiply the target weights in numerator and denominator
        double sampled = ReferenceWeightedLoss.loss(null, new double[] {2, 0, 0, 1}, new double[] {1, 0, 0, 1},
            new double[] {2, 0.5}, new double[] {1, 3}, 2, 2, Abi.LOSS_SOFTMAX_XENT, 0f);
        assertEquals((2 * l0 + 0.5 * 3 * l1) / (2 + 1.5), sampled, 1e-15);
    }

    @Test
    void positiveWeightScalesThePositiveTermAndKeepsTheCountAsDivisor() {
        // BCEWithLogitsLoss(pos_weight=[4]) on z = [0.5, -1], t = [1, 0]:
        // (4 * -log sigmoid(0.5) + -log(1 - sigmoid(-1))) / 2
        double pos = -Math.log(1 / (1 + Math.exp(-0.5)));
        double neg = -Math.log(1 - 1 / (1 + Math.exp(1)));
        double got = ReferenceWeightedLoss.loss(null, new double[] {0.5, -1}, new double[] {1, 0}, null,
            new double[] {4}, 2, 1, Abi.LOSS_BCE_LOGITS, 0f);
        assertEquals((4 * pos + neg) / 2, got, 1e-15);
    }

    @Test
    void sampleWeightsAloneGiveTheWeightedMean() {
        // mse with sample weights [1, 3]: (1 * (1 - 0)^2 + 3 * (0 - 2)^2) / 4
        double got = ReferenceWeightedLoss.loss(null, new double[] {1, 0}, new double[] {0, 2}, new double[] {1, 3},
            null, 2, 1, Abi.LOSS_MSE, 0f);
        assertEquals((1 + 3 * 4) / 4.0, got, 1e-15);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        SplittableRandom random = new SplittableRandom(20261202L);
        int b = 5;
        int c = 4;
        for (int kind : new int[] {Abi.LOSS_SOFTMAX_XENT, Abi.LOSS_BCE_LOGITS, Abi.LOSS_MSE, Abi.LOSS_HUBER}) {
            for (boolean columnWeighted : new boolean[] {false, true}) {
                if (columnWeighted && kind != Abi.LOSS_SOFTMAX_XENT && kind != Abi.LOSS_BCE_LOGITS) {
                    continue;
                }
                double[] pred = new double[b * c];
                double[] target = new double[b * c];
                for (int i = 0; i < pred.length; i++) {
                    pred[i] = random.nextGaussian() * 2;
                    target[i] = kind == Abi.LOSS_SOFTMAX_XENT ? 0 : kind == Abi.LOSS_BCE_LOGITS
                        ? random.nextDouble() : random.nextGaussian();
                }
                if (kind == Abi.LOSS_SOFTMAX_XENT) {
                    for (int r = 0; r < b; r++) {
                        target[r * c + random.nextInt(c)] = 1;
                    }
                }
                double[] sw = new double[b];
                for (int r = 0; r < b; r++) {
                    sw[r] = random.nextDouble() * 2;
                }
                double[] cw = null;
                if (columnWeighted) {
                    cw = new double[c];
                    for (int k = 0; k < c; k++) {
                        cw[k] = 0.25 + random.nextDouble() * 3;
                    }
                }
                double[] grad = new double[b * c];
                ReferenceWeightedLoss.loss(grad, pred, target, sw, cw, b, c, kind, 1f);
                double h = 1e-5;
                for (int i = 0; i < pred.length; i++) {
                    double keep = pred[i];
                    pred[i] = keep + h;
                    double up = ReferenceWeightedLoss.loss(null, pred, target, sw, cw, b, c, kind, 1f);
                    pred[i] = keep - h;
                    double down = ReferenceWeightedLoss.loss(null, pred, target, sw, cw, b, c, kind, 1f);
                    pred[i] = keep;
                    double fd = (up - down) / (2 * h);
                    assertEquals(fd, grad[i], 1e-7 + 1e-6 * Math.abs(fd), "kind " + kind + (columnWeighted
                        ? " column-weighted" : "") + " d/dpred[" + i + "]");
                }
            }
        }
    }

    @ParameterizedTest(name = "weighted losses on {0}")
    @MethodSource("isas")
    void nativeMatchesReference(int isa) {
        assertEquals(0, TickgradNative.tg_set_isa(isa));
        buf = new Buffers();
        int[] kinds = {Abi.LOSS_SOFTMAX_XENT, Abi.LOSS_BCE_LOGITS, Abi.LOSS_BCE_PROBS, Abi.LOSS_MSE, Abi.LOSS_HUBER};
        for (int kind : kinds) {
            for (int b : new int[] {1, 3, 17, 257}) {
                for (int c : new int[] {1, 3, 6, 70}) {
                    for (int variant = 0; variant < 4; variant++) {   // bit 0: sample weights; bit 1: column weights
                        boolean sampled = (variant & 1) != 0;
                        boolean columned = (variant & 2) != 0;
                        if (columned && kind != Abi.LOSS_SOFTMAX_XENT && kind != Abi.LOSS_BCE_LOGITS) {
                            continue;
                        }
                        long n = (long) b * c;
                        Slab pred;
                        Slab target;
                        float param = 0f;
                        if (kind == Abi.LOSS_SOFTMAX_XENT) {
                            pred = buf.gaussian(n, 3);
                            target = oneHot(b, c);
                        } else if (kind == Abi.LOSS_BCE_LOGITS) {
                            pred = buf.gaussian(n, 4);
                            target = buf.uniform(n, 0, 1);
                        } else if (kind == Abi.LOSS_BCE_PROBS) {
                            pred = buf.uniform(n, 0.01, 0.99);
                            target = buf.uniform(n, 0, 1);
                            param = 1e-7f;
                        } else {
                            pred = buf.gaussian(n, 2);
                            target = buf.gaussian(n, 2);
                            param = kind == Abi.LOSS_HUBER ? 1f : 0f;
                        }
                        long sw = sampled ? buf.uniform(b, 0, 2).address() : 0;
                        long cw = columned ? buf.uniform(c, 0.1, 4).address() : 0;
                        Slab gRef = buf.poisoned(n);
                        Slab gNat = buf.poisoned(n);
                        float lRef = reference.weightedLoss(gRef.address(), pred.address(), target.address(), sw, cw,
                            b, c, kind, param);
                        float lNat = nativeBackend.weightedLoss(gNat.address(), pred.address(), target.address(), sw,
                            cw, b, c, kind, param);
                        String where = "weighted loss " + kind + " variant " + variant + " on " + Abi.isaName(isa)
                            + " B=" + b + " C=" + c;
                        assertEquals(lRef, lNat, 1e-5 * Math.abs(lRef) + 1e-7, where + " (seed " + buf.seed + ")");
                        Buffers.assertClose(where + " grad", gRef, gNat, n, 1e-7, 8 * U, null, buf.seed);
                        float noGrad = nativeBackend.weightedLoss(0, pred.address(), target.address(), sw, cw, b, c,
                            kind, param);
                        assertEquals(lNat, noGrad, 0f, where + ": the loss must not depend on whether grad is asked");
                    }
                }
            }
        }
    }

    @Test
    void withoutWeightsItIsTheUnweightedMean() {
        buf = new Buffers();
        Slab pred = buf.gaussian(17 * 3, 2);
        Slab target = buf.gaussian(17 * 3, 2);
        float plain = nativeBackend.loss(0, pred.address(), target.address(), 0, 17, 3, Abi.LOSS_MSE, 0f);
        float weighted = nativeBackend.weightedLoss(0, pred.address(), target.address(), 0, 0, 17, 3, Abi.LOSS_MSE, 0f);
        assertEquals(plain, weighted, 2 * U * Math.abs(plain));
    }

    @Test
    void aBatchWithoutWeightContributesNothing() {
        buf = new Buffers();
        Slab pred = buf.gaussian(4 * 3, 2);
        Slab target = oneHot(4, 3);
        Slab zeros = buf.slab(4);
        zeros.fill(0f);
        for (Backend backend : new Backend[] {reference, nativeBackend}) {
            Slab grad = buf.poisoned(12);
            float loss = backend.weightedLoss(grad.address(), pred.address(), target.address(), zeros.address(), 0, 4,
                3, Abi.LOSS_SOFTMAX_XENT, 0f);
            assertEquals(0f, loss, backend.name());
            for (int i = 0; i < 12; i++) {
                assertEquals(0f, grad.getFloat(i), backend.name() + " grad " + i);
            }
        }
    }

    @Test
    void columnWeightsOnALossWithoutThemAreRefused() {
        buf = new Buffers();
        Slab pred = buf.gaussian(6, 1);
        Slab cw = buf.uniform(3, 1, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> nativeBackend.weightedLoss(0,
            pred.address(), pred.address(), 0, cw.address(), 2, 3, Abi.LOSS_MSE, 0f));
        assertTrue(e.getMessage().contains("tg_loss_weighted"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> reference.weightedLoss(0, pred.address(), pred.address(), 0,
            cw.address(), 2, 3, Abi.LOSS_MSE, 0f));
    }

    private Slab oneHot(int b, int c) {
        Slab t = buf.slab((long) b * c);
        t.fill(0f);
        for (int r = 0; r < b; r++) {
            t.putFloat((long) r * c + buf.random.nextInt(c), 1f);
        }
        return t;
    }
}
