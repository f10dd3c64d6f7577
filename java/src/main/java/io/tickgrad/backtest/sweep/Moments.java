package io.tickgrad.backtest.sweep;

/** Sample moments used by the sweep's statistics. */
final class Moments {
    private Moments() {
    }

    /**
     * Skewness and (non-excess) kurtosis of {@code x}, population form (m3 / m2^1.5, m4 / m2^2): the normal
     * distribution has 0 and 3. NaN, NaN with fewer than two values or no spread.
     */
    static double[] skewKurtosis(double[] x) {
        int n = x.length;
        if (n < 2) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= n;
        double m2 = 0;
        double m3 = 0;
        double m4 = 0;
        for (double v : x) {
            double d = v - mean;
            double d2 = d * d;
            m2 += d2;
            m3 += d2 * d;
            m4 += d2 * d2;
        }
        m2 /= n;
        m3 /= n;
        m4 /= n;
        if (!(m2 > 0)) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {m3 / Math.pow(m2, 1.5), m4 / (m2 * m2)};
    }
}
