package io.tickgrad.nn.reference;

/**
 * The error function and its complement in double precision (Java has neither).
 *
 * <p>Two classical expansions, each used where it converges fast and without cancellation:
 * <ul>
 *   <li>|x| &lt; 2.5: the all-positive series erf(x) = 2/sqrt(pi) e^(-x^2) sum_n 2^n x^(2n+1) / (1*3*...*(2n+1))
 *       (Abramowitz and Stegun 7.1.6); no alternating terms, so no cancellation.</li>
 *   <li>|x| &gt;= 2.5 for erf, x &gt;= 0.75 for erfc: Laplace's continued fraction
 *       erfc(x) = e^(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) (A and S 7.1.26),
 *       evaluated bottom-up (stable) with a depth of about 240/x^2 terms, found by experiment to reach
 *       1e-16 relative; erfc needs it lower down than erf because 1 - erf cancels there.</li>
 * </ul>
 * e^(-x^2) is evaluated with x^2 split exactly into a head and a tail (one fma), because the rounding
 * error of x*x alone would cost x^2 * 1e-16 relative accuracy. Relative error is a few ulps on the whole line.
 */
public final class Erf {
    private Erf() {
    }

    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;
    private static final double SERIES_LIMIT = 2.5;
    /** Below this, erfc = 1 - erf loses under 2 bits; above it the continued fraction converges fast enough. */
    private static final double FRACTION_LIMIT = 0.75;

    /**
     * erf(x).
     *
     * @param x the argument
     * @return erf(x), in [-1, 1]
     */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        double r = a < SERIES_LIMIT ? erfSeries(a) : 1.0 - erfcFraction(a);
        return x < 0 ? -r : r;
    }

    /**
     * erfc(x) = 1 - erf(x), accurate also where it is tiny (large positive x).
     *
     * @param x the argument
     * @return erfc(x), in [0, 2]
     */
    public static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x >= FRACTION_LIMIT) {
            return erfcFraction(x);
        }
        // erfc(x) >= 0.28 here, so 1 - erf(x) keeps almost all of erf's accuracy.
        return 1.0 - erf(x);
    }

    /** e^(-x^2) with the rounding error of x^2 compensated. */
    static double expMinusSquare(double x) {
        double hi = x * x;
        double lo = Math.fma(x, x, -hi);
        return Math.exp(-hi) * (1.0 - lo);
    }

    /** erf(a) for 0 &lt;= a &lt; 2.5 by the positive series. */
    private static double erfSeries(double a) {
        double twoA2 = 2.0 * a * a;
        double term = a;
        double sum = a;
        for (int n = 1; n < 200; n++) {
            term *= twoA2 / (2 * n + 1);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI * expMinusSquare(a) * sum;
    }

    /** erfc(a) for a &gt;= 0.75 by the continued fraction, evaluated from the bottom up (stable). */
    private static double erfcFraction(double a) {
        if (a > 27.3) {
            return 0.0; // below the smallest subnormal
        }
        int depth = 20 + (int) Math.ceil(240.0 / (a * a));
        double f = a;
        for (int k = depth; k >= 1; k--) {
            f = a + (0.5 * k) / f;
        }
        return ONE_OVER_SQRT_PI * expMinusSquare(a) / f;
    }
}
