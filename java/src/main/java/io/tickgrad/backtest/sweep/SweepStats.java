package io.tickgrad.backtest.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The statistics of a sweep's report: means with standard errors over groups of rows, configurations (rows that
 * differ only in data, window and seed), their pooled per-period returns, and the deflated Sharpe ratio of the best
 * configuration (Bailey and Lopez de Prado, "The Deflated Sharpe Ratio", Journal of Portfolio Management 40(5),
 * 2014): the probability that its true Sharpe ratio exceeds the largest Sharpe ratio expected among that many
 * skill-less trials, given its track length, skewness and kurtosis.
 */
final class SweepStats {
    static final double EULER_GAMMA = 0.5772156649015329;

    private SweepStats() {
    }

    /** Mean, standard error of the mean (NaN below two values) and count of the finite values. */
    record MeanSe(double mean, double se, int n) {
        static MeanSe of(List<Double> values) {
            double sum = 0;
            int n = 0;
            for (double v : values) {
                if (Double.isFinite(v)) {
                    sum += v;
                    n++;
                }
            }
            if (n == 0) {
                return new MeanSe(Double.NaN, Double.NaN, 0);
            }
            double mean = sum / n;
            double ss = 0;
            for (double v : values) {
                if (Double.isFinite(v)) {
                    ss += (v - mean) * (v - mean);
                }
            }
            return new MeanSe(mean, n < 2 ? Double.NaN : Math.sqrt(ss / (n - 1) / n), n);
        }
    }

    /** Per-period net returns pooled over a configuration's tasks: count, mean, sample std, skew, kurtosis. */
    record Pooled(long periods, double mean, double std, double skew, double kurtosis) {
        double sharpe() {
            return std > 0 ? mean / std : Double.NaN;
        }
    }

    /** A configuration: its parameter values (config columns) and its ok rows. */
    record Config(Map<String, String> key, List<TaskResult> rows) {
        MeanSe metric(String column) {
            List<Double> v = new ArrayList<>();
            for (TaskResult r : rows) {
                v.add(r.number(column));
            }
            return MeanSe.of(v);
        }

        /** The configuration's non-empty values of the parameters in {@code shown} (and always its arm). */
        String label(List<String> shown) {
            StringBuilder sb = new StringBuilder();
            key.forEach((k, v) -> {
                if (!v.isEmpty() && (k.equals("arm") || shown.contains(k))) {
                    sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=').append(v);
                }
            });
            return sb.toString();
        }
    }

    /** The ok rows grouped by their configuration columns, in first-seen order. */
    static List<Config> configs(List<TaskResult> rows) {
        Map<Map<String, String>, List<TaskResult>> groups = new LinkedHashMap<>();
        for (TaskResult r : rows) {
            if (!r.ok()) {
                continue;
            }
            Map<String, String> key = new LinkedHashMap<>();
            for (String c : SweepTask.CONFIG_COLUMNS) {
                key.put(c, r.get(c));
            }
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<Config> out = new ArrayList<>();
        groups.forEach((k, v) -> out.add(new Config(k, v)));
        return out;
    }

    /** Pools the per-period net returns of rows from their count, mean, std, skew and kurtosis (exact). */
    static Pooled pool(List<TaskResult> rows) {
        double n = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        for (TaskResult r : rows) {
            double k = r.number("periods");
            double mu = r.number("mean_net_bps");
            if (!(k >= 1) || !Double.isFinite(mu)) {
                continue;
            }
            double sd = r.number("std_net_bps");
            double m2 = Double.isFinite(sd) ? sd * sd * (k - 1) / k : 0;
            double skew = r.number("skew_net");
            double kurt = r.number("kurtosis_net");
            double m3 = m2 > 0 && Double.isFinite(skew) ? skew * Math.pow(m2, 1.5) : 0;
            double m4 = m2 > 0 && Double.isFinite(kurt) ? kurt * m2 * m2 : 0;
            double c2 = k * m2;
            double c3 = k * m3;
            double c4 = k * m4;
            n += k;
            s1 += k * mu;
            s2 += c2 + k * mu * mu;
            s3 += c3 + 3 * mu * c2 + k * mu * mu * mu;
            s4 += c4 + 4 * mu * c3 + 6 * mu * mu * c2 + k * mu * mu * mu * mu;
        }
        if (n < 2) {
            return new Pooled((long) n, n == 1 ? s1 : Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double m = s1 / n;
        double c2 = s2 / n - m * m;
        double c3 = s3 / n - 3 * m * s2 / n + 2 * m * m * m;
        double c4 = s4 / n - 4 * m * s3 / n + 6 * m * m * s2 / n - 3 * m * m * m * m;
        if (!(c2 > 0)) {
            return new Pooled((long) n, m, 0, Double.NaN, Double.NaN);
        }
        return new Pooled((long) n, m, Math.sqrt(c2 * n / (n - 1)), c3 / Math.pow(c2, 1.5), c4 / (c2 * c2));
    }

    /**
     * The deflated Sharpe ratio.
     *
     * @param sharpe   the best configuration's per-period Sharpe ratio
     * @param periods  its track length in periods
     * @param skew     skewness of its per-period returns
     * @param kurtosis kurtosis (normal: 3)
     * @param trials   configurations tried (N)
     * @param trialVar variance of the per-period Sharpe ratios across the trials
     * @return {expected maximum Sharpe of N skill-less trials (SR0), DSR = P(true Sharpe > SR0)}
     */
    static double[] deflatedSharpe(double sharpe, long periods, double skew, double kurtosis, int trials,
                                   double trialVar) {
        double sr0 = 0;
        if (trials > 1 && trialVar > 0) {
            sr0 = Math.sqrt(trialVar) * ((1 - EULER_GAMMA) * inverseNormal(1 - 1.0 / trials)
                + EULER_GAMMA * inverseNormal(1 - 1.0 / (trials * Math.E)));
        }
        double g3 = Double.isFinite(skew) ? skew : 0;
        double g4 = Double.isFinite(kurtosis) ? kurtosis : 3;
        double denom = 1 - g3 * sharpe + (g4 - 1) / 4 * sharpe * sharpe;
        if (!(periods > 1) || !Double.isFinite(sharpe) || !(denom > 0)) {
            return new double[] {sr0, Double.NaN};
        }
        return new double[] {sr0, normalCdf((sharpe - sr0) * Math.sqrt(periods - 1) / Math.sqrt(denom))};
    }

    /** Standard normal CDF (erfc by Numerical Recipes' Chebyshev fit, |error| < 1.2e-7). */
    static double normalCdf(double x) {
        double z = Math.abs(x) / Math.sqrt(2);
        double t = 1 / (1 + 0.5 * z);
        double erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
            + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223
            + t * 0.17087277)))))))));
        return x >= 0 ? 1 - erfc / 2 : erfc / 2;
    }

    /** Inverse standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
    static double inverseNormal(double p) {
        if (!(p > 0 && p < 1)) {
            return p == 0 ? Double.NEGATIVE_INFINITY : p == 1 ? Double.POSITIVE_INFINITY : Double.NaN;
        }
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
            -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
            -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
            4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double low = 0.02425;
        if (p < low) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low) {
            double q = Math.sqrt(-2 * Math.log(1 - p));
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
