package io.tickgrad.nn.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.nativeio.Abi;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The reference kernels against values known independently: closed forms, values computed with 40-digit
 * arithmetic (mpmath), and optimizer steps worked by hand.
 */
class ReferenceKernelsKnownValuesTest {

    /** A few ulps: the erf expansions are accurate to about 1e-15 relative. */
    private static final double ERF_TOLERANCE = 2e-15;

    @Test
    void erfShouldMatchFortyDigitValues() {
        // mpmath.erf / erfc at 40 digits, rounded to 20
        assertRelative(0.1124629160182848984, Erf.erf(0.1), ERF_TOLERANCE);
        assertRelative(0.52049987781304653768, Erf.erf(0.5), ERF_TOLERANCE);
        assertRelative(0.84270079294971486934, Erf.erf(1.0), ERF_TOLERANCE);
        assertRelative(0.99532226501895273416, Erf.erf(2.0), ERF_TOLERANCE);
        assertRelative(0.99997790950300141456, Erf.erf(3.0), ERF_TOLERANCE);
        assertRelative(0.15729920705028513066, Erf.erfc(1.0), ERF_TOLERANCE);
        assertRelative(0.0046777349810472658379, Erf.erfc(2.0), ERF_TOLERANCE);
        assertRelative(0.000022090496998585441373, Erf.erfc(3.0), ERF_TOLERANCE);
        assertRelative(1.5374597944280348502e-12, Erf.erfc(5.0), ERF_TOLERANCE);
        assertRelative(2.088487583762544757e-45, Erf.erfc(10.0), ERF_TOLERANCE);
        assertRelative(1.84270079294971486934, Erf.erfc(-1.0), ERF_TOLERANCE);
    }

    @Test
    void erfShouldBeOddAndSaturate() {
        for (double x = -6; x <= 6; x += 0.37) {
            assertEquals(-Erf.erf(x), Erf.erf(-x), 0.0);
            assertEquals(1.0, Erf.erf(x) + Erf.erfc(x), 4e-16);
        }
        assertEquals(0.0, Erf.erf(0.0), 0.0);
        assertEquals(1.0, Erf.erf(Double.POSITIVE_INFINITY), 0.0);
        assertEquals(-1.0, Erf.erf(Double.NEGATIVE_INFINITY), 0.0);
        assertEquals(0.0, Erf.erfc(40.0), 0.0);
        assertEquals(2.0, Erf.erfc(-40.0), 0.0);
        assertTrue(Double.isNaN(Erf.erf(Double.NaN)));
    }

    @Test
    void geluShouldMatchKnownValues() {
        assertRelative(0.8413447460685429, ReferenceKernels.gelu(1.0), 4e-16);
        assertRelative(-0.15865525393145705141, ReferenceKernels.gelu(-1.0), 4e-15);
        assertRelative(0.34573123063700655182, ReferenceKernels.gelu(0.5), 4e-15);
        assertRelative(-0.00404969409489028358, ReferenceKernels.gelu(-3.0), 4e-15);
        assertRelative(2.9959503059051097164, ReferenceKernels.gelu(3.0), 4e-15);
        assertRelative(0.84119199060827670478, ReferenceKernels.geluTanh(1.0), 4e-15);
        assertEquals(0.5, ReferenceKernels.geluDerivative(0.0), 0.0);
    }

    @Test
    void simpleActivationsShouldMatchClosedForms() {
        assertEquals(-0.2, ReferenceKernels.activation(Abi.ACT_LEAKY_RELU, -2.0, 0.1), 1e-17);
        assertEquals(0.1, ReferenceKernels.activationDerivative(Abi.ACT_LEAKY_RELU, -2.0, 0.1), 0.0);
        assertEquals(0.0, ReferenceKernels.activation(Abi.ACT_RELU, -2.0, 0.1), 0.0);
        assertEquals(3.0, ReferenceKernels.activation(Abi.ACT_RELU, 3.0, 0.1), 0.0);
        assertEquals(0.5, ReferenceKernels.activation(Abi.ACT_SIGMOID, 0.0, 0), 0.0);
        // no overflow to NaN at the extremes
        assertEquals(1.0, ReferenceKernels.sigmoid(800.0), 0.0);
        assertEquals(0.0, ReferenceKernels.sigmoid(-800.0), 0.0);
        assertEquals(Math.tanh(0.7), ReferenceKernels.activation(Abi.ACT_TANH, 0.7, 0), 0.0);
    }

    @Test
    void denseForwardShouldMatchHandComputation() {
        double[] x = {1, 2};
        double[] w = {1, 2, 3, 4, 5, 6}; // [2,3]
        double[] bias = {0.5, -0.5, 1};
        double[] y = new double[3];
        ReferenceKernels.denseForward(y, 0, x, 0, w, 0, bias, 0, 1, 2, 3);
        assertArrayEquals(new double[] {9.5, 11.5, 16}, y, 0.0);
    }

    @Test
    void softmaxRowsShouldSumToOneAndIgnoreAShift() {
        SplittableRandom random = FiniteDifferences.seeded("softmax sums");
        int batch = 3, classes = 17;
        double[] x = FiniteDifferences.uniform(random, batch * classes, -10, 10);
        double[] shifted = x.clone();
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] += 1000.0; // would overflow exp without the max subtraction
        }
        double[] y = new double[x.length];
        double[] ys = new double[x.length];
        ReferenceKernels.softmaxForward(y, 0, x, 0, batch, classes);
        ReferenceKernels.softmaxForward(ys, 0, shifted, 0, batch, classes);
        for (int b = 0; b < batch; b++) {
            double s = 0;
            for (int c = 0; c < classes; c++) {
                s += y[b * classes + c];
            }
            assertEquals(1.0, s, 1e-15);
        }
        assertArrayEquals(y, ys, 1e-12);
    }

    @Test
    void layerNormShouldGiveZeroMeanAndBiasedUnitVariance() {
        double[] x = {1, 2, 3, 4};
        double[] gamma = {1, 1, 1, 1};
        double[] y = new double[4];
        double[] mean = new double[1];
        double[] rstd = new double[1];
        double eps = 1e-5;
        ReferenceKernels.layerNormForward(y, 0, mean, 0, rstd, 0, x, 0, gamma, 0, null, 0, 1, 4, eps);
        assertEquals(2.5, mean[0], 0.0);
        // biased variance of 1..4 is 1.25; eps goes inside the square root
        assertEquals(1.0 / Math.sqrt(1.25 + eps), rstd[0], 1e-16);
        assertEquals(-1.5 / Math.sqrt(1.25 + eps), y[0], 1e-15);
    }

    /**
     * BCE on probabilities clips like Keras' fp32 clip with epsilon 1e-7: p = 0 counts as 1e-7f and
     * p = 1 as the float 1 - 1e-7f = 1 - 2^-23; the clipped elements get no gradient.
     */
    @Test
    void bceOnProbabilitiesShouldClipLikeKeras() {
        float eps = 1e-7f;
        double[] pred = {0.0, 1.0};
        double[] target = {1.0, 0.0};
        double[] grad = {9, 9};
        double loss = ReferenceKernels.loss(grad, 0, pred, 0, target, 0, null, 0, 2, 1, Abi.LOSS_BCE_PROBS, eps);
        double lossAtZero = 16.118095639272222433; // -log((double) 1e-7f)
        double lossAtOne = 15.942385152878742117;  // -log(2^-23) = 23 log 2
        assertEquals((lossAtZero + lossAtOne) / 2, loss, 1e-14);
        assertArrayEquals(new double[] {0, 0}, grad, 0.0);

        // inside the interval: the plain formula, and the same value as BCE on the logit
        double p = 0.3;
        double[] g = new double[1];
        double l = ReferenceKernels.loss(g, 0, new double[] {p}, 0, new double[] {0.8}, 0, null, 0, 1, 1,
                Abi.LOSS_BCE_PROBS, eps);
        assertEquals(-(0.8 * Math.log(p) + 0.2 * Math.log(1 - p)), l, 1e-15);
        assertEquals(-0.8 / p + 0.2 / (1 - p), g[0], 1e-14);
        double logit = Math.log(p / (1 - p));
        double fromLogit = ReferenceKernels.loss(null, 0, new double[] {logit}, 0, new double[] {0.8}, 0, null, 0,
                1, 1, Abi.LOSS_BCE_LOGITS, 0f);
        assertEquals(l, fromLogit, 1e-14);
    }

    @Test
    void regressionLossesShouldMatchHandComputation() {
        double[] pred = {3.0, 0.5, -1.0, 1.0};
        double[] target = {1.0, 0.0, 0.0, 1.0};
        double[] weights = {2.0, 0.5};
        double[] grad = new double[4];
        // Huber, delta 1: rows [2, 0.5] -> 1.5 + 0.125 and [-1, 0] -> 0.5 + 0
        double huber = ReferenceKernels.loss(grad, 0, pred, 0, target, 0, weights, 0, 2, 2, Abi.LOSS_HUBER, 1f);
        assertEquals((2.0 * 1.625 + 0.5 * 0.5) / 2, huber, 1e-15);
        assertArrayEquals(new double[] {1.0, 0.5, -0.25, 0.0}, grad, 1e-15);
        // MSE sums the squares over columns: rows 4.25 and 1
        double mse = ReferenceKernels.loss(grad, 0, pred, 0, target, 0, null, 0, 2, 2, Abi.LOSS_MSE, 0f);
        assertEquals((4.25 + 1.0) / 2, mse, 1e-15);
        assertArrayEquals(new double[] {2.0, 0.5, -1.0, 0.0}, grad, 1e-15);
    }

    @Test
    void softmaxCrossEntropyOfEqualLogitsShouldBeLogOfClasses() {
        double[] logits = {0.3, 0.3, 0.3, 0.3, 0.3};
        double[] target = {0, 0, 1, 0, 0};
        double[] grad = new double[5];
        double loss = ReferenceKernels.loss(grad, 0, logits, 0, target, 0, null, 0, 1, 5, Abi.LOSS_SOFTMAX_XENT, 0f);
        assertEquals(Math.log(5), loss, 1e-15);
        assertArrayEquals(new double[] {0.2, 0.2, -0.8, 0.2, 0.2}, grad, 1e-15);
    }

    @Test
    void adamShouldMatchTwoStepsByHand() {
        double[] p = {1.0};
        double[] m = {0.0};
        double[] v = {0.0};
        // step 1, g = 0.5: m = 0.05, v = 0.00025, mhat = 0.5, vhat = 0.25
        ReferenceKernels.adamStep(p, 0, m, 0, v, 0, new double[] {0.5}, 0, 1, 0.1, 0.9, 0.999, 1e-8, 0.0, 1, false);
        assertEquals(0.05, m[0], 1e-16);
        assertEquals(0.00025, v[0], 1e-18);
        assertEquals(1.0 - 0.1 * 0.5 / (0.5 + 1e-8), p[0], 1e-16);
        // step 2, g = -0.25: m = 0.02, v = 0.00031225, mhat = 0.02 / 0.19, vhat = 0.00031225 / 0.001999
        double before = p[0];
        ReferenceKernels.adamStep(p, 0, m, 0, v, 0, new double[] {-0.25}, 0, 1, 0.1, 0.9, 0.999, 1e-8, 0.0, 2, false);
        assertEquals(0.02, m[0], 1e-16);
        assertEquals(0.00031225, v[0], 1e-18);
        double expected = before - 0.1 * (0.02 / 0.19) / (Math.sqrt(0.00031225 / 0.001999) + 1e-8);
        assertEquals(expected, p[0], 1e-15);
        assertEquals(0.8733663, p[0], 1e-7); // 0.900000002 - 0.1 * 0.105263 / 0.395225
    }

    @Test
    void adamWeightDecayShouldBeL2ForAdamAndDecoupledForAdamW() {
        double[] p = {1.0};
        ReferenceKernels.adamStep(p, 0, new double[1], 0, new double[1], 0, new double[] {0.5}, 0, 1,
                0.1, 0.9, 0.999, 1e-8, 0.01, 1, false);
        assertEquals(1.0 - 0.1 * 0.51 / (0.51 + 1e-8), p[0], 1e-16); // g' = g + wd p = 0.51
        double[] q = {1.0};
        ReferenceKernels.adamStep(q, 0, new double[1], 0, new double[1], 0, new double[] {0.5}, 0, 1,
                0.1, 0.9, 0.999, 1e-8, 0.01, 1, true);
        assertEquals(0.999 - 0.1 * 0.5 / (0.5 + 1e-8), q[0], 1e-16); // p -= lr wd p first
    }

    @Test
    void sgdShouldMatchPyTorchByHand() {
        // nesterov, momentum 0.9, weight decay 0.1, lr 0.1
        double[] p = {1.0};
        double[] vel = {0.0};
        ReferenceKernels.sgdStep(p, 0, vel, 0, new double[] {0.5}, 0, 1, 0.1, 0.9, 0.1, true);
        // g' = 0.6, v = 0.6, g'' = 0.6 + 0.9 * 0.6 = 1.14
        assertEquals(0.6, vel[0], 1e-16);
        assertEquals(0.886, p[0], 1e-16);
        ReferenceKernels.sgdStep(p, 0, vel, 0, new double[] {0.2}, 0, 1, 0.1, 0.9, 0.1, true);
        // g' = 0.2 + 0.0886 = 0.2886, v = 0.54 + 0.2886 = 0.8286, g'' = 0.2886 + 0.74574 = 1.03434
        assertEquals(0.8286, vel[0], 1e-15);
        assertEquals(0.782566, p[0], 1e-15);

        double[] classic = {1.0};
        ReferenceKernels.sgdStep(classic, 0, new double[1], 0, new double[] {0.5}, 0, 1, 0.1, 0.9, 0.1, false);
        assertEquals(0.94, classic[0], 1e-16);
        double[] plain = {1.0};
        ReferenceKernels.sgdStep(plain, 0, null, 0, new double[] {0.5}, 0, 1, 0.1, 0.0, 0.0, false);
        assertEquals(0.95, plain[0], 1e-16);
    }

    @Test
    void sumSquaresAndScaleShouldMatchHandComputation() {
        double[] x = {9, 1, -2, 3};
        assertEquals(14.0, ReferenceKernels.sumSquares(x, 1, 3), 0.0);
        ReferenceKernels.scale(x, 1, 2, -0.5);
        assertArrayEquals(new double[] {9, -0.5, 1, 3}, x, 0.0);
    }

    private static void assertRelative(double expected, double actual, double tolerance) {
        assertEquals(expected, actual, Math.abs(expected) * tolerance, () -> "relative error "
                + Math.abs(actual - expected) / Math.abs(expected));
    }
}
