package io.tickgrad.backtest;

import java.util.Locale;

/**
 * The standard errors of one run's headline metrics: computed once, here, and printed as they are by every place
 * that shows them ({@code summary.json}, the run's report page, the comparison page and its JSON, the console
 * tables), with the one label {@link #label()}.
 *
 * <p>Prediction metrics are averages over labelled predictions, but a prediction is made on every tick and its label
 * spans the next h ticks, so neighbouring labels share most of their move and are far from independent. Their
 * standard errors therefore count one independent label per horizon: n / h samples, h the label horizon in
 * predictions as the run shows it ({@link BacktestSummary.Strategy#inferredHorizonRows()}); when the run shows none,
 * every label is counted and {@link #label()} says so.
 * <ul>
 *   <li>accuracy: sqrt(p (1 - p) / (n / h));</li>
 *   <li>ROC AUC: the standard error of the AUC of a score unrelated to the labels at these class counts,
 *       sqrt((n1 + n0 + 1) / (12 n1 n0)), times sqrt(h): the noise around 0.5 (Hanley and McNeil's null case);</li>
 *   <li>log loss: the standard deviation of the per-prediction loss over sqrt(n / h);</li>
 *   <li>net PnL: the per-period standard deviation times sqrt(periods), the strategy's periods counted as they are
 *       (one decision per horizon does not overlap; when the run shows overlapping positions the label says so);</li>
 *   <li>annualised Sharpe: Lo (2002) for i.i.d. returns, sqrt((1 + SR^2 / 2) / T) per period, annualised like the
 *       ratio.</li>
 * </ul>
 * A drawdown has none (one path's extreme).
 *
 * <p>The AUC's <b>chance band</b> is 0.5 ± the wider of twice its standard error and {@link #MIN_AUC_CHANCE_BAND};
 * an AUC inside it is "near chance" ({@link BacktestSummary.Prediction#aucNearChance()}), and the pages state that
 * rule in these words ({@link #CHANCE_RULE}).
 *
 * @param horizonRows       h, the label horizon in predictions the errors use (1 when the run shows none)
 * @param horizonSeen       whether the run shows its label horizon (else every label is counted as independent)
 * @param labelled          labelled predictions, n
 * @param independentLabels n / h, at least 1 (0 when nothing is labelled)
 * @param periods           the strategy's periods, which its errors count
 * @param periodsOverlap    whether those periods' positions overlap (then their errors are understated)
 * @param accuracy          standard error of the accuracy (a share, not a percentage)
 * @param rocAuc            standard error of the ROC AUC of a score unrelated to the labels
 * @param logLoss           standard error of the log loss
 * @param netPnlBps         standard error of the net PnL, bps
 * @param sharpeAnnualised  standard error of the annualised Sharpe ratio
 */
public record StandardErrors(int horizonRows, boolean horizonSeen, long labelled, double independentLabels,
                             long periods, boolean periodsOverlap, double accuracy, double rocAuc, double logLoss,
                             double netPnlBps, double sharpeAnnualised) {
    /** The narrowest chance band of an AUC: within 0.02 of 0.5 a ranking is too weak to trade on at any n. */
    public static final double MIN_AUC_CHANCE_BAND = 0.02;

    /** The rule for "near chance", as the pages print it. */
    public static final String CHANCE_RULE = "the chance band is 0.5 ± the wider of twice the AUC's standard error "
        + "and " + MIN_AUC_CHANCE_BAND + "; an AUC inside it is near chance";

    /** Keras' clip for the log loss, as {@link io.tickgrad.train.ClassificationReport} uses. */
    private static final double LOG_EPS = 1e-7;

    /**
     * What "±" means, the same words on every page and in the JSON: "one standard error, counting one independent
     * label per 100-prediction horizon", or "... counting every label as independent (the run shows no label
     * horizon)".
     *
     * @return the words
     */
    public String label() {
        return horizonSeen ? label(horizonRows)
            : "one standard error, counting every label as independent (the run shows no label horizon, so the "
                + "prediction errors may be understated)";
    }

    /**
     * @param horizonRows the label horizon in predictions (0: none shown)
     * @return the words of {@link #label()} for that horizon
     */
    public static String label(int horizonRows) {
        return "one standard error, counting one independent label per " + horizonRows + "-prediction horizon";
    }

    /**
     * @return the counts behind the label: "349 independent of 34,911 labelled predictions; the strategy's 349 periods"
     */
    public String counts() {
        return BacktestFormat.number(independentLabels, 0) + " independent of " + BacktestFormat.count(labelled)
            + " labelled predictions; the strategy's " + BacktestFormat.count(periods) + " periods"
            + (periodsOverlap ? ", whose positions overlap, so its errors are understated" : "");
    }

    /**
     * @return the half-width of the AUC's chance band: the wider of 2 x {@link #rocAuc()} and the minimum; NaN if none
     */
    public double aucChanceBand() {
        return chanceBand(rocAuc);
    }

    /** The half-width of a chance band for an AUC with standard error {@code aucStdErr}. */
    static double chanceBand(double aucStdErr) {
        return Double.isFinite(aucStdErr) ? Math.max(MIN_AUC_CHANCE_BAND, 2 * aucStdErr) : Double.NaN;
    }

    /** Whether {@code auc} is near chance by {@link #CHANCE_RULE}; a missing AUC or band counts as near chance. */
    static boolean nearChance(double auc, double band) {
        return !Double.isFinite(auc) || !Double.isFinite(band) || Math.abs(auc - 0.5) <= band;
    }

    /**
     * The null standard error of an AUC with {@code up} and {@code down} labels, counting one label per
     * {@code horizonRows}: sqrt((n1 + n0 + 1) / (12 n1 n0)) x sqrt(h). NaN when a class is missing.
     */
    static double aucNull(long up, long down, int horizonRows) {
        if (up <= 0 || down <= 0) {
            return Double.NaN;
        }
        return Math.sqrt((up + down + 1) / (12.0 * up * down)) * Math.sqrt(horizonRows);
    }

    /**
     * Computes the errors of one run.
     *
     * @param scores      the labelled rows' scores (finite)
     * @param labels      their labels, 1 or 0
     * @param accuracy    the accuracy at the decision threshold
     * @param horizonRows the label horizon the run shows, 0 when it shows none
     * @param strategy    the strategy's metrics
     * @param overlap     whether the strategy's positions overlap
     */
    static StandardErrors of(float[] scores, float[] labels, double accuracy, int horizonRows,
                             BacktestSummary.Strategy strategy, boolean overlap) {
        int n = scores.length;
        int h = Math.max(1, horizonRows);
        double independent = n == 0 ? 0 : Math.max(1.0, (double) n / h);
        long up = 0;
        for (float y : labels) {
            up += y >= 0.5f ? 1 : 0;
        }
        double accuracyErr = n == 0 ? Double.NaN : Math.sqrt(accuracy * (1 - accuracy) / independent);
        double aucErr = aucNull(up, n - up, h);
        double logLossErr = logLossStdErr(scores, labels, independent);
        double pnlErr = strategy.stdNetBps() * Math.sqrt(strategy.periods());
        double sr = strategy.sharpePerPeriod();
        double sharpeErr = Math.sqrt((1 + sr * sr / 2) / strategy.periods()) * Math.sqrt(strategy.periodsPerYear());
        return new StandardErrors(h, horizonRows > 0, n, independent, strategy.periods(), overlap, accuracyErr,
            aucErr, logLossErr, pnlErr, sharpeErr);
    }

    /** The standard deviation of the per-prediction log loss over sqrt(n / h). */
    private static double logLossStdErr(float[] scores, float[] labels, double independent) {
        int n = scores.length;
        if (n < 2) {
            return Double.NaN;
        }
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double p = Math.min(Math.max(scores[i], LOG_EPS), 1 - LOG_EPS);
            double loss = labels[i] >= 0.5f ? -Math.log(p) : -Math.log(1 - p);
            sum += loss;
            sumSq += loss * loss;
        }
        double mean = sum / n;
        double variance = Math.max(0, (sumSq - n * mean * mean) / (n - 1));
        return Math.sqrt(variance / independent);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "± %s (%s)", label(), counts());
    }
}
