package io.tickgrad.nn.reference;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/**
 * Central finite differences in double, for checking the analytic gradients of the reference kernels.
 *
 * <p>Step and tolerance: with step h the central difference has truncation error h^2 |f'''| / 6 and
 * rounding error about eps |f| / h (eps = 1.1e-16). The objectives here are O(1..30) and smooth with
 * |f'''| = O(1..10), so h = 1e-5 (near the optimum cbrt(eps) = 5e-6) gives an error below ~5e-10.
 * The check allows 1e-6 relative + 1e-8 absolute: 20x above that estimate, yet far below any real
 * mistake (a wrong factor, sign, missed term or a missing accumulation shows up at 1e-2 or more).
 * The largest error seen is returned so the tests can print how much margin is left.
 */
final class FiniteDifferences {
    private FiniteDifferences() {
    }

    static final double STEP = 1e-5;
    static final double RELATIVE_TOLERANCE = 1e-6;
    static final double ABSOLUTE_TOLERANCE = 1e-8;

    /**
     * Checks analytic[aOff + i] against d objective / d param[off + i] for i in [0, n).
     *
     * @return the largest |numeric - analytic| seen
     */
    static double check(String what, double[] param, int off, int n, double[] analytic, int aOff,
                        DoubleSupplier objective) {
        double worst = 0.0;
        for (int i = 0; i < n; i++) {
            double saved = param[off + i];
            param[off + i] = saved + STEP;
            double up = objective.getAsDouble();
            param[off + i] = saved - STEP;
            double down = objective.getAsDouble();
            param[off + i] = saved;
            double numeric = (up - down) / (2 * STEP);
            double exact = analytic[aOff + i];
            double error = Math.abs(numeric - exact);
            worst = Math.max(worst, error);
            double allowed = RELATIVE_TOLERANCE * Math.max(Math.abs(numeric), Math.abs(exact)) + ABSOLUTE_TOLERANCE;
            if (!(error <= allowed)) {
                fail(what + "[" + i + "]: analytic " + exact + ", numeric " + numeric + ", error " + error
                        + " > " + allowed);
            }
        }
        return worst;
    }

    /** sum_i r[i] y[i]: a scalar whose gradient with respect to y is r, to drive a backward pass. */
    static double dot(double[] r, double[] y, int n) {
        double s = 0.0;
        for (int i = 0; i < n; i++) {
            s += r[i] * y[i];
        }
        return s;
    }

    /** n values uniform in [lo, hi). */
    static double[] uniform(SplittableRandom random, int n, double lo, double hi) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = random.nextDouble(lo, hi);
        }
        return a;
    }

    /** n values uniform in [-range, range), none closer than gap to zero (to stay off kinks). */
    static double[] awayFromZero(SplittableRandom random, int n, double range, double gap) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            double v;
            do {
                v = random.nextDouble(-range, range);
            } while (Math.abs(v) < gap);
            a[i] = v;
        }
        return a;
    }

    /**
     * A seeded random source, different each run; the seed is printed so that a failure can be replayed
     * with -Dtickgrad.test.seed=SEED.
     */
    static SplittableRandom seeded(String test) {
        Long fixed = Long.getLong("tickgrad.test.seed");
        long seed = fixed != null ? fixed : System.nanoTime() ^ test.hashCode();
        System.out.println(test + ": seed " + seed);
        return new SplittableRandom(seed);
    }
}
