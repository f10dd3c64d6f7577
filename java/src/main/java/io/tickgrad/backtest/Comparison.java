package io.tickgrad.backtest;

import io.tickgrad.train.ClassificationReport;
import io.tickgrad.train.LearningCurve;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Models replayed over the same stream, side by side: each one's {@link ComparedMetric headline metrics} with
 * standard errors, rolling accuracy and ROC AUC over the span, and a verdict per metric that names the best model
 * and says whether its lead over the runner-up exceeds the noise (twice the standard error of the difference, the
 * two models' errors taken as independent). Computed from the runs alone: the same runs give the same
 * {@link #toJson()} bytes.
 */
public final class Comparison {
    /** Labelled predictions per point of the rolling charts (a quarter of the labelled rows when there are fewer). */
    static final int ROLLING_WINDOW = 4000;
    /** Points of the rolling series per window: a new point every window / 8 labelled predictions. */
    static final int ROLLING_STEPS_PER_WINDOW = 8;

    /**
     * The best model on one metric and how sure that is.
     *
     * @param metric     the metric's JSON key
     * @param best       id of the best model
     * @param runnerUp   id of the second best, null with one model
     * @param difference best minus runner-up, in the metric's direction (>= 0)
     * @param noise      twice the standard error of that difference, NaN when the metric has no error estimate
     * @param clear      whether the difference exceeds the noise
     * @param text       the sentence the report prints
     */
    public record Verdict(String metric, String best, String runnerUp, double difference, double noise,
                          boolean clear, String text) {
    }

    /** Rolling accuracy, ROC AUC and up rate over windows of labelled predictions, at each window's last time. */
    record Rolling(int window, long[] timeNs, double[] accuracy, double[] auc, double[] upRate) {
    }

    final String title;
    final List<String> info;
    final List<ComparedRun> runs;
    final List<BacktestAnalysis> analyses;
    final List<Rolling> rolling;
    private final List<Verdict> verdicts;

    private Comparison(String title, List<String> info, List<ComparedRun> runs, List<BacktestAnalysis> analyses,
                       List<Rolling> rolling, List<Verdict> verdicts) {
        this.title = title;
        this.info = info;
        this.runs = runs;
        this.analyses = analyses;
        this.rolling = rolling;
        this.verdicts = verdicts;
    }

    /**
     * Compares {@code runs} (at least one; distinct ids), each analysed with its own options.
     *
     * @param title the page's title
     * @param info  lines shared by every run (stream, span, label, settings), printed under the title
     * @param runs  the runs, in the order of the tables and legends; only read
     * @return the comparison (each run's summary computed now)
     */
    public static Comparison of(String title, List<String> info, List<ComparedRun> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("a comparison needs at least one run");
        }
        if (runs.stream().map(ComparedRun::id).distinct().count() != runs.size()) {
            throw new IllegalArgumentException("compared runs need distinct ids, got "
                + runs.stream().map(ComparedRun::id).toList());
        }
        List<BacktestAnalysis> analyses = new ArrayList<>();
        List<Rolling> rolling = new ArrayList<>();
        for (ComparedRun r : runs) {
            BacktestAnalysis a = BacktestAnalysis.of(r.run(), r.options());
            analyses.add(a);
            rolling.add(rolling(a));
        }
        List<Verdict> verdicts = new ArrayList<>();
        for (ComparedMetric m : ComparedMetric.values()) {
            Verdict v = verdict(m, runs, analyses);
            if (v != null) {
                verdicts.add(v);
            }
        }
        return new Comparison(title == null ? "comparison" : title, info == null ? List.of() : List.copyOf(info),
            List.copyOf(runs), List.copyOf(analyses), List.copyOf(rolling), List.copyOf(verdicts));
    }

    /** @return the runs compared, in order */
    public List<ComparedRun> runs() {
        return runs;
    }

    /** @return each run's summary, in the order of {@link #runs()} */
    public List<BacktestSummary> summaries() {
        return analyses.stream().map(BacktestAnalysis::summary).toList();
    }

    /** @return one verdict per metric that at least one run has a value for, in the order of {@link ComparedMetric} */
    public List<Verdict> verdicts() {
        return verdicts;
    }

    /**
     * @param metricKey a metric's JSON key, e.g. "roc_auc"
     * @param id        a run's id
     * @return the metric's value for that run (NaN when it has none)
     */
    public double value(String metricKey, String id) {
        return metric(metricKey).value(analyses.get(indexOf(id)));
    }

    /**
     * @param metricKey a metric's JSON key, e.g. "roc_auc"
     * @param id        a run's id
     * @return the standard error of {@link #value}, NaN when the metric has none
     */
    public double stdErr(String metricKey, String id) {
        return metric(metricKey).stdErr(analyses.get(indexOf(id)));
    }

    private static ComparedMetric metric(String key) {
        for (ComparedMetric m : ComparedMetric.values()) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no compared metric '" + key + "'; the metrics are "
            + Arrays.stream(ComparedMetric.values()).map(m -> m.key).toList());
    }

    private int indexOf(String id) {
        for (int i = 0; i < runs.size(); i++) {
            if (runs.get(i).id().equals(id)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no compared run '" + id + "'");
    }

    private static Verdict verdict(ComparedMetric m, List<ComparedRun> runs, List<BacktestAnalysis> analyses) {
        List<Integer> ranked = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            if (Double.isFinite(m.value(analyses.get(i)))) {
                ranked.add(i);
            }
        }
        if (ranked.isEmpty()) {
            return null;
        }
        Comparator<Integer> byValue = Comparator.comparingDouble(i -> m.value(analyses.get(i)));
        ranked.sort(m.higherIsBetter ? byValue.reversed() : byValue);   // stable: ties keep the runs' order
        int b = ranked.get(0);
        String bestName = runs.get(b).name();
        String text = m.label + ": best " + bestName + " (" + m.format(m.value(analyses.get(b))) + ")";
        if (ranked.size() == 1) {
            return new Verdict(m.key, runs.get(b).id(), null, Double.NaN, Double.NaN, false, text + ".");
        }
        int r = ranked.get(1);
        double difference = Math.abs(m.value(analyses.get(b)) - m.value(analyses.get(r)));
        double seB = m.stdErr(analyses.get(b));
        double seR = m.stdErr(analyses.get(r));
        double noise = 2 * Math.sqrt(seB * seB + seR * seR);
        boolean clear = difference > noise;
        text += ", then " + runs.get(r).name() + " (" + m.format(m.value(analyses.get(r))) + "): ahead by "
            + m.format(difference);
        if (Double.isNaN(noise)) {
            text += "; one path's figure, with no error estimate, so read it as one draw.";
        } else if (clear) {
            text += ", more than the noise (" + m.format(noise) + ", twice the standard error of the difference).";
        } else {
            text += ", within the noise (" + m.format(noise) + ", twice the standard error of the difference): "
                + "not distinguishable on this span.";
        }
        return new Verdict(m.key, runs.get(b).id(), runs.get(r).id(), difference, noise, clear, text);
    }

    /** @return one paragraph: who is best on what, and whether any lead is larger than its noise */
    public String headline() {
        StringBuilder sb = new StringBuilder();
        List<String> clear = new ArrayList<>();
        for (Verdict v : verdicts) {
            sb.append(sb.length() == 0 ? "Best " : "; best ").append(metric(v.metric()).label).append(": ")
                .append(runs.get(indexOf(v.best())).name());
            if (v.clear()) {
                clear.add(metric(v.metric()).label);
            }
        }
        sb.append(". ");
        if (runs.size() < 2) {
            return sb.toString().trim();
        }
        if (clear.isEmpty()) {
            sb.append("No lead is larger than twice the standard error of the difference: on this span the models are "
                + "not distinguishable, and any ranking above may be noise.");
        } else {
            sb.append("Leads larger than twice their standard error: ").append(String.join(", ", clear))
                .append("; every other ranking above may be noise.");
        }
        return sb.toString();
    }

    /** @return the console table: one row per model, the headline metrics with their standard errors */
    public String table() {
        StringBuilder sb = new StringBuilder();
        int nameWidth = Math.max(5, runs.stream().mapToInt(r -> r.name().length()).max().orElse(5));
        sb.append(String.format(Locale.ROOT, "%-" + nameWidth + "s  %-16s  %-16s  %-16s  %-18s  %-14s  %-9s  %s%n",
            "model", "accuracy", "ROC AUC", "log loss", "net PnL (bps)", "Sharpe (ann.)", "max DD", "revisions"));
        for (int i = 0; i < runs.size(); i++) {
            BacktestAnalysis a = analyses.get(i);
            sb.append(String.format(Locale.ROOT, "%-" + nameWidth + "s  %-16s  %-16s  %-16s  %-18s  %-14s  %-9s  %s%n",
                runs.get(i).name(), cell(ComparedMetric.ACCURACY, a), cell(ComparedMetric.ROC_AUC, a),
                cell(ComparedMetric.LOG_LOSS, a), cell(ComparedMetric.NET_PNL, a), cell(ComparedMetric.SHARPE, a),
                cell(ComparedMetric.MAX_DRAWDOWN, a), BacktestFormat.count(runs.get(i).revisions())));
        }
        return sb.toString();
    }

    /** A metric's value with "± standard error" when it has one. */
    static String cell(ComparedMetric m, BacktestAnalysis a) {
        String pm = m.plusMinus(a.summary().stdErrors());
        return m.format(m.value(a)) + (pm.isEmpty() ? "" : " " + pm);
    }

    /**
     * What "±" means in {@link #table()} and on the page, one line in parentheses, the same words as each run's
     * report: "(± one standard error, counting one independent label per 100-prediction horizon)". When the runs
     * count different horizons, each run's label follows its name.
     *
     * @return the line
     */
    public String stdErrLabel() {
        List<String> labels = analyses.stream().map(a -> a.summary().stdErrors().label()).distinct().toList();
        if (labels.size() == 1) {
            return "(± " + labels.get(0) + ")";
        }
        List<String> each = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            each.add(runs.get(i).name() + ": " + analyses.get(i).summary().stdErrors().label());
        }
        return "(± " + String.join("; ", each) + ")";
    }

    /**
     * @return everything as an ordered map (non-finite numbers null): settings, per-model metrics and curves, verdicts
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", title);
        m.put("info", info);
        List<Object> models = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            models.add(modelMap(runs.get(i), analyses.get(i), rolling.get(i)));
        }
        m.put("models", models);
        List<Object> vs = new ArrayList<>();
        for (Verdict v : verdicts) {
            Map<String, Object> vm = new LinkedHashMap<>();
            vm.put("metric", v.metric());
            vm.put("best", v.best());
            vm.put("runner_up", v.runnerUp());
            vm.put("difference", v.difference());
            vm.put("noise", v.noise());
            vm.put("clear", v.clear());
            vm.put("text", v.text());
            vs.add(vm);
        }
        m.put("verdicts", vs);
        m.put("std_err_label", stdErrLabel());
        m.put("headline", headline());
        return BacktestSummary.finiteOrNull(m);
    }

    private static Map<String, Object> modelMap(ComparedRun r, BacktestAnalysis a, Rolling roll) {
        Map<String, Object> mm = new LinkedHashMap<>();
        mm.put("id", r.id());
        mm.put("name", r.name());
        mm.put("description", r.description());
        mm.put("report", r.reportHref());
        mm.put("labelled", a.summary().prediction().labelled());
        mm.put("up_rate", a.summary().prediction().upRate());
        mm.put("label_horizon_predictions", ComparedMetric.horizon(a));
        for (ComparedMetric metric : ComparedMetric.values()) {
            mm.put(metric.key, metric.value(a));
            mm.put(metric.key + "_std_err", metric.stdErr(a));
        }
        mm.put("auc_chance_band", a.summary().prediction().aucChanceBand());
        mm.put("auc_near_chance", a.summary().prediction().aucNearChance());
        mm.put("std_err", BacktestSummary.stdErrorMap(a.summary().stdErrors()));
        mm.put("revisions", r.revisions());
        LearningCurve c = r.curve();
        if (c != null) {
            long[] samples = new long[c.size()];
            double[] loss = new double[c.size()];
            for (int j = 0; j < c.size(); j++) {
                samples[j] = c.samples(j);
                loss[j] = c.loss(j);
            }
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("accepted_rounds", c.size());
            cm.put("samples_seen", Arrays.stream(samples).boxed().toList());
            cm.put("batch_loss", Arrays.stream(loss).boxed().toList());
            mm.put("learning_curve", cm);
        }
        Map<String, Object> rm = new LinkedHashMap<>();
        rm.put("window", roll.window());
        rm.put("exchange_time_ns", Arrays.stream(roll.timeNs()).boxed().toList());
        rm.put("accuracy", Arrays.stream(roll.accuracy()).boxed().toList());
        rm.put("roc_auc", Arrays.stream(roll.auc()).boxed().toList());
        rm.put("up_rate", Arrays.stream(roll.upRate()).boxed().toList());
        mm.put("rolling", rm);
        return mm;
    }

    /** @return pretty-printed JSON of {@link #toMap()}, deterministic */
    public String toJson() {
        return BacktestSummary.json(toMap(), "the comparison");
    }

    /** Rolling accuracy, AUC and up rate over windows of labelled predictions, a point every window / 8. */
    static Rolling rolling(BacktestAnalysis a) {
        float[] scores = a.labelledScores;
        float[] labels = a.labelledLabels;
        int n = scores.length;
        int window = n >= ROLLING_WINDOW ? ROLLING_WINDOW : Math.max(1, n / 4);
        int step = Math.max(1, window / ROLLING_STEPS_PER_WINDOW);
        int points = n < window ? 0 : (n - window) / step + 1;
        long[] time = new long[points];
        double[] accuracy = new double[points];
        double[] auc = new double[points];
        double[] upRate = new double[points];
        double threshold = a.summary().options().decisionThreshold();
        double[] s = new double[window];
        boolean[] up = new boolean[window];
        for (int p = 0; p < points; p++) {
            int from = p * step;
            int correct = 0;
            int ups = 0;
            for (int k = 0; k < window; k++) {
                s[k] = scores[from + k];
                up[k] = labels[from + k] >= 0.5f;
                ups += up[k] ? 1 : 0;
                correct += (s[k] >= threshold) == up[k] ? 1 : 0;
            }
            time[p] = a.labelledTimeNs[from + window - 1];
            accuracy[p] = (double) correct / window;
            upRate[p] = (double) ups / window;
            auc[p] = ClassificationReport.rocAuc(s, up);
        }
        return new Rolling(window, time, accuracy, auc, upRate);
    }
}
