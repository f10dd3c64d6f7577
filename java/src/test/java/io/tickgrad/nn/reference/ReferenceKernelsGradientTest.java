package io.tickgrad.nn.reference;

import static io.tickgrad.nn.reference.FiniteDifferences.awayFromZero;
import static io.tickgrad.nn.reference.FiniteDifferences.check;
import static io.tickgrad.nn.reference.FiniteDifferences.dot;
import static io.tickgrad.nn.reference.FiniteDifferences.seeded;
import static io.tickgrad.nn.reference.FiniteDifferences.uniform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickgrad.nativeio.Abi;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every backward op of {@link ReferenceKernels} against central finite differences of its forward op,
 * in double, on fresh random inputs and odd shapes. Each array op is reduced to a scalar by a random
 * projection L = sum r * y, so the backward pass runs with dy = r. Tolerances: see {@link FiniteDifferences}.
 */
class ReferenceKernelsGradientTest {

    @ParameterizedTest(name = "batch={0} in={1} out={2}")
    @CsvSource({"1,3,17", "3,17,1", "17,1,3", "3,3,3"})
    void denseBackwardShouldMatchFiniteDifferences(int batch, int in, int out) {
        SplittableRandom random = seeded("dense " + batch + "x" + in + "x" + out);
        double[] x = uniform(random, batch * in, -2, 2);
        double[] w = uniform(random, in * out, -1, 1);
        double[] bias = uniform(random, out, -1, 1);
        double[] r = uniform(random, batch * out, -1, 1);
        double[] y = new double[batch * out];
        DoubleSupplier objective = () -> {
            ReferenceKernels.denseForward(y, 0, x, 0, w, 0, bias, 0, batch, in, out);
            return dot(r, y, y.length);
        };
        // start from non-zero parameter gradients: the kernel must add to them, not overwrite
        double[] dwBefore = uniform(random, in * out, -1, 1);
        double[] dbBefore = uniform(random, out, -1, 1);
        double[] dw = dwBefore.clone();
        double[] db = dbBefore.clone();
        double[] dx = uniform(random, batch * in, -9, 9); // poison: must be overwritten
        ReferenceKernels.denseBackward(dx, 0, dw, 0, db, 0, r, 0, x, 0, w, 0, batch, in, out);
        double worst = check("dx", x, 0, x.length, dx, 0, objective);
        worst = Math.max(worst, check("dw", w, 0, w.length, minus(dw, dwBefore), 0, objective));
        worst = Math.max(worst, check("dbias", bias, 0, bias.length, minus(db, dbBefore), 0, objective));
        System.out.println("dense: worst error " + worst);
    }

    @Test
    void denseBackwardShouldHonourOffsetsAndNullOutputs() {
        SplittableRandom random = seeded("dense offsets");
        int batch = 3, in = 5, out = 2, pad = 7;
        double[] x = uniform(random, pad + batch * in, -2, 2);
        double[] w = uniform(random, pad + in * out, -1, 1);
        double[] r = uniform(random, pad + batch * out, -1, 1);
        double[] y = new double[pad + batch * out];
        DoubleSupplier objective = () -> {
            ReferenceKernels.denseForward(y, pad, x, pad, w, pad, null, 0, batch, in, out);
            double s = 0;
            for (int i = 0; i < batch * out; i++) {
                s += r[pad + i] * y[pad + i];
            }
            return s;
        };
        double[] dw = new double[pad + in * out];
        ReferenceKernels.denseBackward(null, 0, dw, pad, null, 0, r, pad, x, pad, w, pad, batch, in, out);
        check("dw at offset", w, pad, in * out, dw, pad, objective);
    }

    @ParameterizedTest(name = "kind={0}")
    @ValueSource(ints = {Abi.ACT_IDENTITY, Abi.ACT_RELU, Abi.ACT_LEAKY_RELU, Abi.ACT_GELU, Abi.ACT_GELU_TANH,
            Abi.ACT_TANH, Abi.ACT_SIGMOID})
    void activationBackwardShouldMatchFiniteDifferences(int kind) {
        SplittableRandom random = seeded("activation " + kind);
        int n = 17;
        double alpha = 0.13;
        // 0.05 away from the kinks of relu and leaky relu, far beyond the step 1e-5
        double[] x = awayFromZero(random, n, 4, 0.05);
        double[] r = uniform(random, n, -1, 1);
        double[] y = new double[n];
        DoubleSupplier objective = () -> {
            ReferenceKernels.activationForward(y, 0, x, 0, n, kind, alpha);
            return dot(r, y, n);
        };
        double[] dx = new double[n];
        ReferenceKernels.activationBackward(dx, 0, r, 0, x, 0, n, kind, alpha);
        System.out.println("activation " + kind + ": worst error " + check("dx", x, 0, n, dx, 0, objective));
    }

    @ParameterizedTest(name = "batch={0} classes={1}")
    @CsvSource({"1,3", "3,17", "17,1"})
    void softmaxBackwardShouldMatchFiniteDifferences(int batch, int classes) {
        SplittableRandom random = seeded("softmax " + batch + "x" + classes);
        double[] x = uniform(random, batch * classes, -3, 3);
        double[] r = uniform(random, batch * classes, -1, 1);
        double[] y = new double[x.length];
        DoubleSupplier objective = () -> {
            ReferenceKernels.softmaxForward(y, 0, x, 0, batch, classes);
            return dot(r, y, y.length);
        };
        objective.getAsDouble();
        double[] dx = new double[x.length];
        ReferenceKernels.softmaxBackward(dx, 0, r, 0, y.clone(), 0, batch, classes);
        System.out.println("softmax: worst error " + check("dx", x, 0, x.length, dx, 0, objective));
    }

    @ParameterizedTest(name = "batch={0} dim={1} beta={2}")
    @CsvSource({"1,3,true", "3,17,true", "17,3,false", "2,1,true"})
    void layerNormBackwardShouldMatchFiniteDifferences(int batch, int dim, boolean withBeta) {
        SplittableRandom random = seeded("layernorm " + batch + "x" + dim);
        double eps = 1e-3;
        double[] x = uniform(random, batch * dim, -2, 3);
        double[] gamma = uniform(random, dim, 0.5, 1.5);
        double[] beta = withBeta ? uniform(random, dim, -1, 1) : null;
        double[] r = uniform(random, batch * dim, -1, 1);
        double[] y = new double[x.length];
        double[] mean = new double[batch];
        double[] rstd = new double[batch];
        DoubleSupplier objective = () -> {
            ReferenceKernels.layerNormForward(y, 0, null, 0, null, 0, x, 0, gamma, 0, beta, 0, batch, dim, eps);
            return dot(r, y, y.length);
        };
        ReferenceKernels.layerNormForward(y, 0, mean, 0, rstd, 0, x, 0, gamma, 0, beta, 0, batch, dim, eps);
        double[] dgBefore = uniform(random, dim, -1, 1);
        double[] dbBefore = uniform(random, dim, -1, 1);
        double[] dgamma = dgBefore.clone();
        double[] dbeta = dbBefore.clone();
        double[] dx = uniform(random, x.length, -9, 9);
        ReferenceKernels.layerNormBackward(dx, 0, dgamma, 0, dbeta, 0, r, 0, x, 0, mean, 0, rstd, 0, gamma, 0,
                batch, dim);
        double worst = check("dx", x, 0, x.length, dx, 0, objective);
        worst = Math.max(worst, check("dgamma", gamma, 0, dim, minus(dgamma, dgBefore), 0, objective));
        if (withBeta) {
            worst = Math.max(worst, check("dbeta", beta, 0, dim, minus(dbeta, dbBefore), 0, objective));
        }
        System.out.println("layernorm: worst error " + worst);
    }

    @Test
    void dropoutBackwardShouldMatchFiniteDifferences() {
        SplittableRandom random = seeded("dropout");
        int n = 17;
        double[] x = uniform(random, n, -2, 2);
        double[] r = uniform(random, n, -1, 1);
        double[] y = new double[n];
        double[] mask = new double[n];
        long seed = random.nextLong();
        DoubleSupplier objective = () -> {
            ReferenceKernels.dropoutForward(y, 0, mask, 0, x, 0, n, 0.4f, seed);
            return dot(r, y, n);
        };
        objective.getAsDouble();
        double[] dx = new double[n];
        ReferenceKernels.dropoutBackward(dx, 0, r, 0, mask, 0, n);
        check("dx", x, 0, n, dx, 0, objective);
    }

    @ParameterizedTest(name = "kind={0} batch={1} cols={2} weighted={3}")
    @CsvSource({
        "1,1,1,false", "1,3,17,true", "1,17,3,false",
        "2,1,1,true", "2,3,17,false", "2,17,3,true",
        "3,1,3,false", "3,3,17,true", "3,17,1,false",
        "4,1,1,false", "4,3,17,true", "4,17,3,false",
        "5,1,1,true", "5,3,17,false", "5,17,3,true",
        "6,1,1,false", "6,3,17,true", "6,17,3,false"})
    void lossGradientShouldMatchFiniteDifferences(int kind, int batch, int cols, boolean weighted) {
        SplittableRandom random = seeded("loss " + kind + " " + batch + "x" + cols);
        int n = batch * cols;
        float param = kind == Abi.LOSS_HUBER ? 0.7f : 1e-7f;
        double[] pred = lossPredictions(random, kind, n);
        double[] target = lossTargets(random, kind, batch, cols);
        if (kind == Abi.LOSS_HUBER) {
            // keep every residual off the switch |r| = delta, where the second derivative jumps
            for (int i = 0; i < n; i++) {
                while (Math.abs(Math.abs(pred[i] - target[i]) - param) < 1e-2) {
                    pred[i] = random.nextDouble(-2, 2);
                }
            }
        }
        double[] weights = weighted ? uniform(random, batch, 0.2, 2) : null;
        DoubleSupplier objective =
                () -> ReferenceKernels.loss(null, 0, pred, 0, target, 0, weights, 0, batch, cols, kind, param);
        double[] grad = uniform(random, n, -9, 9); // poison: must be overwritten
        double value = ReferenceKernels.loss(grad, 0, pred, 0, target, 0, weights, 0, batch, cols, kind, param);
        assertEquals(objective.getAsDouble(), value, 0.0,
                "the loss must not depend on whether the gradient is asked for");
        System.out.println("loss " + kind + ": worst error " + check("grad", pred, 0, n, grad, 0, objective));
    }

    /**
     * dense -> GELU -> layernorm -> dense -> softmax cross-entropy, with gradients chained through the
     * backward kernels, against finite differences of the whole forward pass for every input and parameter.
     */
    @Test
    void compositeChainShouldMatchFiniteDifferences() {
        SplittableRandom random = seeded("chain");
        int batch = 3, in = 5, hidden = 7, classes = 4;
        double eps = 1e-5;
        double[] x = uniform(random, batch * in, -2, 2);
        double[] w1 = uniform(random, in * hidden, -0.8, 0.8);
        double[] b1 = uniform(random, hidden, -0.5, 0.5);
        double[] gamma = uniform(random, hidden, 0.5, 1.5);
        double[] beta = uniform(random, hidden, -0.5, 0.5);
        double[] w2 = uniform(random, hidden * classes, -0.8, 0.8);
        double[] b2 = uniform(random, classes, -0.5, 0.5);
        double[] target = lossTargets(random, Abi.LOSS_SOFTMAX_XENT, batch, classes);
        double[] weights = uniform(random, batch, 0.5, 1.5);

        double[] h1 = new double[batch * hidden];
        double[] a1 = new double[batch * hidden];
        double[] n1 = new double[batch * hidden];
        double[] mean = new double[batch];
        double[] rstd = new double[batch];
        double[] logits = new double[batch * classes];
        DoubleSupplier forward = () -> {
            ReferenceKernels.denseForward(h1, 0, x, 0, w1, 0, b1, 0, batch, in, hidden);
            ReferenceKernels.activationForward(a1, 0, h1, 0, h1.length, Abi.ACT_GELU, 0);
            ReferenceKernels.layerNormForward(n1, 0, mean, 0, rstd, 0, a1, 0, gamma, 0, beta, 0, batch, hidden, eps);
            ReferenceKernels.denseForward(logits, 0, n1, 0, w2, 0, b2, 0, batch, hidden, classes);
            return ReferenceKernels.loss(null, 0, logits, 0, target, 0, weights, 0, batch, classes,
                    Abi.LOSS_SOFTMAX_XENT, 0f);
        };
        forward.getAsDouble();
        double[] dLogits = new double[logits.length];
        ReferenceKernels.loss(dLogits, 0, logits, 0, target, 0, weights, 0, batch, classes,
                Abi.LOSS_SOFTMAX_XENT, 0f);
        double[] dw2 = new double[w2.length];
        double[] db2 = new double[b2.length];
        double[] dN1 = new double[n1.length];
        ReferenceKernels.denseBackward(dN1, 0, dw2, 0, db2, 0, dLogits, 0, n1, 0, w2, 0, batch, hidden, classes);
        double[] dgamma = new double[hidden];
        double[] dbeta = new double[hidden];
        double[] dA1 = new double[a1.length];
        ReferenceKernels.layerNormBackward(dA1, 0, dgamma, 0, dbeta, 0, dN1, 0, a1, 0, mean, 0, rstd, 0, gamma, 0,
                batch, hidden);
        double[] dH1 = new double[h1.length];
        ReferenceKernels.activationBackward(dH1, 0, dA1, 0, h1, 0, h1.length, Abi.ACT_GELU, 0);
        double[] dx = new double[x.length];
        double[] dw1 = new double[w1.length];
        double[] db1 = new double[b1.length];
        ReferenceKernels.denseBackward(dx, 0, dw1, 0, db1, 0, dH1, 0, x, 0, w1, 0, batch, in, hidden);

        double worst = check("dx", x, 0, x.length, dx, 0, forward);
        worst = Math.max(worst, check("dw1", w1, 0, w1.length, dw1, 0, forward));
        worst = Math.max(worst, check("db1", b1, 0, b1.length, db1, 0, forward));
        worst = Math.max(worst, check("dgamma", gamma, 0, hidden, dgamma, 0, forward));
        worst = Math.max(worst, check("dbeta", beta, 0, hidden, dbeta, 0, forward));
        worst = Math.max(worst, check("dw2", w2, 0, w2.length, dw2, 0, forward));
        worst = Math.max(worst, check("db2", b2, 0, b2.length, db2, 0, forward));
        System.out.println("chain: worst error " + worst);
    }

    private static double[] lossPredictions(SplittableRandom random, int kind, int n) {
        switch (kind) {
            case Abi.LOSS_BCE_PROBS:
                // inside the clip interval, and away from 0 and 1, where f''' ~ 2/p^2 would bring the
                // truncation error h^2 f'''/6 near the absolute tolerance where the gradient is ~0
                return uniform(random, n, 0.2, 0.8);
            case Abi.LOSS_BCE_LOGITS:
            case Abi.LOSS_SOFTMAX_XENT:
                return uniform(random, n, -4, 4);
            default:
                return uniform(random, n, -2, 2);
        }
    }

    private static double[] lossTargets(SplittableRandom random, int kind, int batch, int cols) {
        int n = batch * cols;
        switch (kind) {
            case Abi.LOSS_QLIKE: {
                // realised variances over two decades, one in ~8 exactly 0 (the branch that drops -ln y - 1)
                double[] t = uniform(random, n, -2.5, 2.5);
                for (int i = 0; i < n; i++) {
                    t[i] = t[i] < -2 ? 0 : Math.exp(t[i]);
                }
                return t;
            }
            case Abi.LOSS_BCE_PROBS:
            case Abi.LOSS_BCE_LOGITS:
                return uniform(random, n, 0, 1); // soft labels exercise both terms
            case Abi.LOSS_SOFTMAX_XENT: {
                double[] t = uniform(random, n, 0.01, 1);
                for (int b = 0; b < batch; b++) {
                    double s = 0;
                    for (int c = 0; c < cols; c++) {
                        s += t[b * cols + c];
                    }
                    for (int c = 0; c < cols; c++) {
                        t[b * cols + c] /= s;
                    }
                }
                return t;
            }
            default:
                return uniform(random, n, -2, 2);
        }
    }

    private static double[] minus(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }
}
