package io.tickgrad.backtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tickgrad.train.ClassificationReport;
import io.tickgrad.train.RegressionReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The numbers of one backtest: prediction metrics against the labels, the metrics of the threshold strategy, latency
 * percentiles and a calibration table. Computed from a {@link BacktestRun} alone, so the same run and options always
 * give the same summary (and the same {@link #toJson()} bytes): no wall-clock time enters it.
 *
 * <p><b>Prediction metrics</b> use the rows whose label is 1 or 0 and whose score is finite; rows with
 * {@link BacktestRun#NO_LABEL} (horizon past the end, dead zone) are counted, not scored.
 *
 * <p><b>Strategy</b> (the conventions the report prints):
 * <ul>
 *   <li>Decisions are taken on rows 0, k, 2k, ... with k = {@link BacktestOptions#holdRows()}. The position is +1
 *       (score &gt;= long threshold), -1 (score &lt;= short threshold, unless long-only) or 0, one unit of notional.</li>
 *   <li>Each decision's position is held until that row's label horizon and earns position x forward return
 *       (simple return, in bps). Positions are assumed not to overlap: k should be the horizon in predictions.
 *       With a smaller k the overlapping positions are summed, which overstates PnL, cost and risk alike.</li>
 *   <li>A decision row whose forward return is unknown (NaN, normally the last horizon of the run) is skipped:
 *       no position, no cost, no period.</li>
 *   <li>Cost: {@code costBps x |position - previous position|} at each decision, starting flat, plus closing the
 *       last position at the end (charged to the last period). Turnover is the sum of those |changes|; a trade is
 *       a change of position (a flip counts once, with turnover 2).</li>
 *   <li>PnL adds up in bps of one unit of notional (no compounding). Gross = sum of position x return; net = gross
 *       - cost. Hit rate = share of non-flat periods whose forward return had the position's sign (0 is a miss).
 *       Exposure = share of periods with a position.</li>
 *   <li>Sharpe = mean / sample standard deviation of the per-period net returns (flat periods included, as 0 less
 *       any cost), annualised by sqrt(periods per year), periods per year = (periods - 1) / (span of the periods'
 *       exchange times in years of 365.25 days, trading around the clock). NaN with fewer than two periods, a zero
 *       span or a zero standard deviation.</li>
 *   <li>Max drawdown: the largest fall of the cumulative net PnL (starting at 0) from its running peak, in bps.</li>
 * </ul>
 *
 * <p><b>Latency</b> over rows with a measured (non-negative) latency: p50, p99 and p99.9 from an HdrHistogram with
 * 3 significant digits (so within 0.1%), mean and max exact.
 */
public final class BacktestSummary {
    static final double NS_PER_DAY = 86_400e9;
    static final double NS_PER_YEAR = 365.25 * NS_PER_DAY;

    /**
     * Row counts and the span of exchange times of the whole run (times 0 when the run is empty).
     *
     * @param labelled     rows labelled 1 or 0 with a finite score: the rows the prediction metrics use
     * @param unlabelled   rows without a label ({@link BacktestRun#NO_LABEL} or any value other than 0 and 1)
     * @param invalidScore rows whose score is NaN or infinite (flat for the strategy, not scored)
     */
    public record Rows(long total, long labelled, long unlabelled, long invalidScore, long firstExchangeTimeNs,
                       long lastExchangeTimeNs) {
        /** @return exchange time from the first row to the last, ns */
        public long spanNs() {
            return lastExchangeTimeNs - firstExchangeTimeNs;
        }
    }

    /**
     * Prediction metrics over the labelled rows.
     *
     * @param labelled      rows scored
     * @param upRate        share of labelled rows with label 1 (NaN if none)
     * @param aucStdErr     standard error of the AUC of a score unrelated to the labels at these class counts,
     *                      counting one independent label per horizon ({@link StandardErrors#rocAuc()}, the same
     *                      number; NaN if a class is missing)
     * @param report        accuracy, precision, recall, F1, AUC, log loss, Brier at the decision threshold;
     *                      null when there are no labelled rows
     */
    public record Prediction(long labelled, double upRate, double aucStdErr, ClassificationReport report) {
        /** @return share of labelled rows classified right at the decision threshold; NaN without labels */
        public double accuracy() {
            return report == null ? Double.NaN : report.accuracy();
        }

        /** @return F1 of the "up" class at the decision threshold; NaN without labels */
        public double f1() {
            return report == null ? Double.NaN : report.f1();
        }

        /** @return area under the ROC curve of the score; NaN without labels or with one class */
        public double rocAuc() {
            return report == null ? Double.NaN : report.rocAuc();
        }

        /** @return mean binary cross-entropy of the score, nats; NaN without labels */
        public double logLoss() {
            return report == null ? Double.NaN : report.logLoss();
        }

        /** @return mean squared error of the score against the 0/1 label; NaN without labels */
        public double brier() {
            return report == null ? Double.NaN : report.brierScore();
        }

        /**
         * Half-width of the AUC's chance band around 0.5: the wider of twice {@link #aucStdErr()} and
         * {@link StandardErrors#MIN_AUC_CHANCE_BAND}.
         *
         * @return the half-width; NaN if a class is missing
         */
        public double aucChanceBand() {
            return StandardErrors.chanceBand(aucStdErr);
        }

        /**
         * @return true when the AUC is missing or inside the chance band, by the rule {@link
         *         StandardErrors#CHANCE_RULE}
         */
        public boolean aucNearChance() {
            return StandardErrors.nearChance(rocAuc(), aucChanceBand());
        }
    }

    /**
     * Threshold strategy metrics; see the class comment for the conventions.
     *
     * @param decisionRows        rows the strategy looked at (every holdRows-th)
     * @param skippedRows         decision rows skipped because their forward return is unknown
     * @param periods             positions taken (flat included): decision rows with a known forward return
     * @param longPeriods         periods long
     * @param shortPeriods        periods short
     * @param trades              position changes, including the final close
     * @param grossPnlBps         sum of position x forward return, bps
     * @param costPaidBps         cost x turnover, bps
     * @param netPnlBps           gross - cost, bps
     * @param hitRate             share of non-flat periods whose return had the position's sign (NaN if none)
     * @param meanNetBps          mean net PnL per period, bps
     * @param stdNetBps           sample standard deviation of the net PnL per period, bps
     * @param sharpePerPeriod     meanNetBps / stdNetBps
     * @param periodsPerYear      (periods - 1) per year of the periods' exchange time span
     * @param sharpeAnnualised    sharpePerPeriod x sqrt(periodsPerYear)
     * @param maxDrawdownBps      largest fall of the cumulative net PnL from its running peak, bps (>= 0)
     * @param turnover            sum of |position change|, units of notional
     * @param turnoverPerDay      turnover per day of the periods' span (NaN for a zero span)
     * @param exposure            share of periods with a position
     * @param spanNs              exchange time from the first to the last period
     * @param inferredHorizonRows the label horizon in predictions as read off the run (forward return of row i
     *                            equal to price[i + h] / price[i] - 1), 0 when the run does not show one (returns
     *                            measured on another price, or by time); above holdRows, positions overlap
     */
    public record Strategy(long decisionRows, long skippedRows, long periods, long longPeriods, long shortPeriods,
                           long trades, double grossPnlBps, double costPaidBps, double netPnlBps, double hitRate,
                           double meanNetBps, double stdNetBps, double sharpePerPeriod, double periodsPerYear,
                           double sharpeAnnualised, double maxDrawdownBps, double turnover, double turnoverPerDay,
                           double exposure, long spanNs, int inferredHorizonRows) {
        /**
         * @param options the options the summary was made with
         * @return true when the run shows that the positions overlap (horizon longer than the decision step)
         */
        public boolean overlapping(BacktestOptions options) {
            return inferredHorizonRows > options.holdRows();
        }
    }

    /** Latency of the measured rows, ns (NaN / 0 when none was measured). */
    public record Latency(long measured, long unmeasured, double p50Ns, double p99Ns, double p999Ns, long maxNs,
                          double meanNs) {
    }

    /** One bin of the reliability diagram: labelled rows whose score is in [lower, upper) (the last bin closed). */
    public record CalibrationBin(double lower, double upper, long count, double meanScore, double upRate) {
    }

    private final String title;
    private final List<String> info;
    private final BacktestOptions options;
    private final Rows rows;
    private final Prediction prediction;
    private final Strategy strategy;
    private final Latency latency;
    private final List<CalibrationBin> calibration;
    private final StandardErrors stdErrors;
    private final RegressionReport regression;
    private final String regressionLabel;
    private final boolean directional;

    BacktestSummary(BacktestOptions options, Rows rows, Prediction prediction, Strategy strategy, Latency latency,
                    List<CalibrationBin> calibration, StandardErrors stdErrors, RegressionReport regression,
                    String regressionLabel, boolean directional) {
        this.directional = directional;
        this.regression = regression;
        this.regressionLabel = regressionLabel;
        this.title = options.title();
        this.info = options.info();
        this.options = options;
        this.rows = rows;
        this.prediction = prediction;
        this.strategy = strategy;
        this.latency = latency;
        this.calibration = List.copyOf(calibration);
        this.stdErrors = stdErrors;
    }

    /**
     * Computes the summary of a run (no files written); deterministic: the same rows and options give the same
     * JSON, the latency section aside (a wall-clock figure).
     *
     * @param run     the rows; only read
     * @param options the strategy and report settings
     * @return the summary
     */
    public static BacktestSummary of(BacktestRun run, BacktestOptions options) {
        return BacktestAnalysis.of(run, options).summary();
    }

    /** @return the report's title */
    public String title() {
        return title;
    }

    /** @return the info lines, in order (unmodifiable) */
    public List<String> info() {
        return info;
    }

    /** @return the options the summary was made with */
    public BacktestOptions options() {
        return options;
    }

    /** @return row counts and span */
    public Rows rows() {
        return rows;
    }

    /** @return the prediction metrics over the labelled rows */
    public Prediction prediction() {
        return prediction;
    }

    /** @return the threshold strategy's metrics (flat throughout when the score is not directional) */
    public Strategy strategy() {
        return strategy;
    }

    /** @return the tick-to-prediction latency of the measured rows */
    public Latency latency() {
        return latency;
    }

    /** @return the reliability diagram's bins, in score order */
    public List<CalibrationBin> calibration() {
        return calibration;
    }

    /**
     * The metrics of a real-valued forecast against the realised labels ({@link BacktestRun#markRealValued}), with
     * standard errors counting one independent label per horizon as {@link #stdErrors()} does; null for a run with
     * class labels.
     *
     * @return the regression metrics, or null
     */
    public RegressionReport regression() {
        return regression;
    }

    /** @return what the real-valued label is, or null */
    public String regressionLabel() {
        return regressionLabel;
    }

    /**
     * @return whether the strategy traded on the score (false: the label is not a direction, the strategy stayed flat)
     */
    public boolean directional() {
        return directional;
    }

    /** @return the standard errors of the headline metrics, the ones every page prints with "±" */
    public StandardErrors stdErrors() {
        return stdErrors;
    }

    /** @return the summary as an ordered map; non-finite numbers become null */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", title);
        m.put("info", info);

        Map<String, Object> o = new LinkedHashMap<>();
        o.put("long_threshold", options.longThreshold());
        o.put("short_threshold", options.shortThreshold());
        o.put("long_only", options.longOnly());
        o.put("cost_bps", options.costBps());
        o.put("hold_rows", options.holdRows());
        o.put("rolling_window", options.rollingWindow());
        o.put("decision_threshold", options.decisionThreshold());
        m.put("options", o);

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("total", rows.total());
        r.put("labelled", rows.labelled());
        r.put("unlabelled", rows.unlabelled());
        r.put("invalid_score", rows.invalidScore());
        r.put("first_exchange_time_ns", rows.firstExchangeTimeNs());
        r.put("last_exchange_time_ns", rows.lastExchangeTimeNs());
        r.put("first_exchange_time", rows.total() == 0 ? null : isoTime(rows.firstExchangeTimeNs()));
        r.put("last_exchange_time", rows.total() == 0 ? null : isoTime(rows.lastExchangeTimeNs()));
        r.put("span_ns", rows.spanNs());
        m.put("rows", r);

        Map<String, Object> p = new LinkedHashMap<>();
        p.put("labelled", prediction.labelled());
        p.put("up_rate", prediction.upRate());
        p.put("auc_std_err", prediction.aucStdErr());
        p.put("auc_chance_band", prediction.aucChanceBand());
        p.put("auc_near_chance", prediction.aucNearChance());
        p.put("auc_chance_rule", StandardErrors.CHANCE_RULE);
        if (prediction.report() != null) {
            p.putAll(prediction.report().toMap());
        }
        m.put("prediction", p);

        if (regression != null) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("label", regressionLabel);
            g.putAll(regression.toMap());
            g.put("std_err_label", stdErrors.label());
            m.put("regression", g);
        }

        Map<String, Object> s = new LinkedHashMap<>();
        s.put("decision_rows", strategy.decisionRows());
        s.put("skipped_rows", strategy.skippedRows());
        s.put("periods", strategy.periods());
        s.put("long_periods", strategy.longPeriods());
        s.put("short_periods", strategy.shortPeriods());
        s.put("trades", strategy.trades());
        s.put("gross_pnl_bps", strategy.grossPnlBps());
        s.put("cost_paid_bps", strategy.costPaidBps());
        s.put("net_pnl_bps", strategy.netPnlBps());
        s.put("hit_rate", strategy.hitRate());
        s.put("mean_net_bps", strategy.meanNetBps());
        s.put("std_net_bps", strategy.stdNetBps());
        s.put("sharpe_per_period", strategy.sharpePerPeriod());
        s.put("periods_per_year", strategy.periodsPerYear());
        s.put("sharpe_annualised", strategy.sharpeAnnualised());
        s.put("max_drawdown_bps", strategy.maxDrawdownBps());
        s.put("turnover", strategy.turnover());
        s.put("turnover_per_day", strategy.turnoverPerDay());
        s.put("exposure", strategy.exposure());
        s.put("span_ns", strategy.spanNs());
        s.put("inferred_horizon_rows", strategy.inferredHorizonRows());
        if (!directional) {
            s.put("directional", false);   // the score is no direction: the strategy stayed flat
        }
        m.put("strategy", s);

        m.put("std_err", stdErrorMap(stdErrors));

        Map<String, Object> l = new LinkedHashMap<>();
        l.put("measured", latency.measured());
        l.put("unmeasured", latency.unmeasured());
        l.put("p50_ns", latency.p50Ns());
        l.put("p99_ns", latency.p99Ns());
        l.put("p99_9_ns", latency.p999Ns());
        l.put("max_ns", latency.measured() == 0 ? null : latency.maxNs());
        l.put("mean_ns", latency.meanNs());
        m.put("latency", l);

        List<Object> bins = new ArrayList<>();
        for (CalibrationBin b : calibration) {
            Map<String, Object> bm = new LinkedHashMap<>();
            bm.put("lower", b.lower());
            bm.put("upper", b.upper());
            bm.put("count", b.count());
            bm.put("mean_score", b.meanScore());
            bm.put("up_rate", b.upRate());
            bins.add(bm);
        }
        m.put("calibration", bins);
        return finiteOrNull(m);
    }

    /** The "std_err" object of the JSON: the label, its counts, and one error per metric under its JSON key. */
    static Map<String, Object> stdErrorMap(StandardErrors e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", e.label());
        m.put("counts", e.counts());
        m.put("horizon_predictions", e.horizonRows());
        m.put("horizon_seen", e.horizonSeen());
        m.put("independent_labels", e.independentLabels());
        m.put("periods", e.periods());
        m.put("periods_overlap", e.periodsOverlap());
        for (ComparedMetric metric : ComparedMetric.values()) {
            m.put(metric.key, metric.stdErr(e));
        }
        return m;
    }

    /** @return pretty-printed JSON of {@link #toMap()}, "\n" line ends, deterministic */
    public String toJson() {
        return json(toMap(), "the backtest summary");
    }

    /** Pretty-printed JSON of a map whose non-finite numbers are already null, "\n" line ends. */
    static String json(Map<String, Object> map, String what) {
        try {
            return JSON.writeValueAsString(map).replace("\r\n", "\n") + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + what + " as JSON", e);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @SuppressWarnings("unchecked")
    static <T> T finiteOrNull(T value) {
        if (value instanceof Double d) {
            return Double.isFinite(d) ? value : null;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put(String.valueOf(e.getKey()), finiteOrNull(e.getValue()));
            }
            return (T) out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object v : list) {
                out.add(finiteOrNull(v));
            }
            return (T) out;
        }
        return value;
    }

    static String isoTime(long epochNs) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNs, 1_000_000_000L), Math.floorMod(epochNs, 1_000_000_000L))
            .toString();
    }

    /** A readable table of the metrics. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(title).append('\n');
        for (String line : info) {
            sb.append("  ").append(line).append('\n');
        }
        sb.append(String.format(Locale.ROOT, "%d predictions", rows.total()));
        if (rows.total() > 0) {
            sb.append(", exchange time ").append(isoTime(rows.firstExchangeTimeNs())).append(" to ")
                .append(isoTime(rows.lastExchangeTimeNs()));
        }
        sb.append('\n');
        sb.append("prediction (labelled rows, threshold ")
            .append(BacktestFormat.number(options.decisionThreshold(), 3)).append(")\n");
        for (String[] row : BacktestFormat.predictionRows(this)) {
            sb.append(String.format(Locale.ROOT, "  %-28s %s%n", row[0], row[1]));
        }
        if (regression != null) {
            sb.append("regression (").append(regressionLabel).append(")\n");
            for (String[] row : BacktestFormat.regressionRows(this)) {
                sb.append(String.format(Locale.ROOT, "  %-28s %s%n", row[0], row[1]));
            }
        }
        sb.append("strategy (").append(BacktestFormat.strategyRule(options)).append(")\n");
        for (String[] row : BacktestFormat.strategyRows(this)) {
            sb.append(String.format(Locale.ROOT, "  %-28s %s%n", row[0], row[1]));
        }
        sb.append(BacktestFormat.stdErrLine(stdErrors)).append('\n');
        sb.append("latency\n");
        for (String[] row : BacktestFormat.latencyRows(this)) {
            sb.append(String.format(Locale.ROOT, "  %-28s %s%n", row[0], row[1]));
        }
        return sb.toString();
    }
}
