package io.tickgrad.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickgrad.pretrain.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures of a {@link TransferStudy}: every run, the mean and standard error per arm and size, and the paired
 * comparisons of each pretrained arm with each arm that is not pretrained. "Beyond the noise" means the mean
 * paired difference of test AUC over n seeds exceeds {@link #threshold(int) t(0.975, n - 1)} times its standard
 * error (Student t, 95% two-sided), so each comparison wins by chance {@link #CHANCE} of the time and loses by chance
 * as often.
 *
 * <p>A plain Java value, built once by {@link TransferStudy}; its lists and {@code sizes} are held as given, not
 * copied, and must not be changed. Safe to read from any thread once built.
 *
 * @param instrument       the unseen instrument's name
 * @param model            the pretrained checkpoint's file name
 * @param target           the target the arms predicted
 * @param horizon          ticks from decision to label
 * @param samples          labelled samples of the instrument
 * @param testPositiveRate the share of label 1 over all the test windows
 * @param arms             the arms compared, in report order
 * @param sizes            labelled training samples per run, ascending
 * @param seeds            runs per size (and test windows)
 * @param testSize         samples per test window
 * @param runs             every run, in the order run
 * @param cells            per arm and size: the mean over seeds
 * @param comparisons      per size, each pretrained arm against each arm that is not pretrained
 */
public record StudyResult(String instrument, String model, Target target, int horizon, int samples,
                          double testPositiveRate, List<Arm> arms, int[] sizes, int seeds, int testSize,
                          List<Run> runs, List<Cell> cells, List<Comparison> comparisons) {

    /** One-sided probability that a single comparison wins (or loses) by chance under no difference. */
    public static final double CHANCE = 0.025;
    private static final double[] T_975 = {Double.NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306,
        2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086};

    /**
     * The multiple of the standard error a mean of {@code n} paired differences must exceed: t(0.975, n - 1).
     *
     * @param n the number of paired differences, at least 2 (1 is treated as 2)
     * @return the Student t quantile for up to 20 degrees of freedom, 1.96 beyond
     */
    public static double threshold(int n) {
        return n - 1 < T_975.length ? T_975[Math.max(1, n - 1)] : 1.96;
    }

    /**
     * One trained (or scored) arm on one size and seed.
     *
     * @param arm         the arm
     * @param size        labelled training samples asked for
     * @param seed        the seed index k (also the index of the test window)
     * @param trainRows   training samples used
     * @param testRows    test samples scored
     * @param auc         test ROC AUC
     * @param logLoss     test log loss; NaN for the untrained {@link Arm#EWMA} forecast
     * @param trainFromNs exchange time of the first training sample's decision, epoch ns
     * @param testFromNs  exchange time of the first test sample's decision, epoch ns
     * @param testToNs    exchange time of the last test sample's decision, epoch ns (inclusive)
     */
    public record Run(Arm arm, int size, int seed, int trainRows, int testRows, double auc, double logLoss,
                      long trainFromNs, long testFromNs, long testToNs) {
    }

    /**
     * Mean test AUC of an arm at a size over its seeds, with the standard error of the mean.
     *
     * @param arm         the arm
     * @param size        labelled training samples per run
     * @param n           runs (seeds) averaged
     * @param meanAuc     mean test ROC AUC
     * @param stdErr      standard error of {@code meanAuc}; 0 for one run
     * @param meanLogLoss mean test log loss; NaN for the untrained {@link Arm#EWMA} forecast
     */
    public record Cell(Arm arm, int size, int n, double meanAuc, double stdErr, double meanLogLoss) {
    }

    /**
     * A pretrained arm against another arm at one size: mean paired AUC difference and its standard error.
     *
     * @param arm      the pretrained arm
     * @param versus   the arm it is compared with
     * @param size     labelled training samples per run
     * @param n        seeds on which both arms ran
     * @param meanDiff mean over those seeds of {@code arm}'s test AUC minus {@code versus}'s
     * @param stdErr   standard error of {@code meanDiff}; 0 for one seed
     */
    public record Comparison(Arm arm, Arm versus, int size, int n, double meanDiff, double stdErr) {
        /**
         * Whether {@code arm} is better beyond {@link StudyResult#threshold(int)} standard errors.
         *
         * @return true when there are at least 2 seeds and the mean difference exceeds the threshold
         */
        public boolean wins() {
            return n >= 2 && meanDiff > threshold(n) * stdErr;
        }

        /**
         * Whether {@code arm} is worse beyond {@link StudyResult#threshold(int)} standard errors.
         *
         * @return true when there are at least 2 seeds and the mean difference is below minus the threshold
         */
        public boolean loses() {
            return n >= 2 && -meanDiff > threshold(n) * stdErr;
        }
    }

    static StudyResult of(String instrument, String model, Target target, int horizon, int samples,
                          double testPositiveRate, List<Arm> arms, StudyOptions o, List<Run> runs) {
        List<Cell> cells = new ArrayList<>();
        List<Comparison> comparisons = new ArrayList<>();
        for (int size : o.sizes()) {
            for (Arm arm : arms) {
                double[] auc = values(runs, arm, size, false);
                if (auc.length == 0) {
                    continue;
                }
                cells.add(new Cell(arm, size, auc.length, mean(auc), stdErr(auc), mean(values(runs, arm, size, true))));
            }
            for (Arm arm : arms) {
                if (!arm.pretrained()) {
                    continue;
                }
                for (Arm versus : arms) {
                    if (versus.pretrained()) {
                        continue;
                    }
                    double[] d = diffs(runs, arm, versus, size);
                    if (d.length > 0) {
                        comparisons.add(new Comparison(arm, versus, size, d.length, mean(d), stdErr(d)));
                    }
                }
            }
        }
        return new StudyResult(instrument, model, target, horizon, samples, testPositiveRate, List.copyOf(arms),
            o.sizes(), o.seeds(), o.testSize(), List.copyOf(runs), cells, comparisons);
    }

    /**
     * Whether some pretrained arm beats the same architecture from scratch beyond the noise at some size.
     *
     * @return true when some comparison against {@link Arm#SCRATCH} {@link Comparison#wins() wins}
     */
    public boolean transferDetected() {
        return comparisons.stream().anyMatch(c -> c.versus() == Arm.SCRATCH && c.wins());
    }

    /**
     * Whether some pretrained arm beats every baseline (and scratch) beyond the noise at one size.
     *
     * @param size labelled training samples per run
     * @return true when one pretrained arm wins every comparison it has at {@code size}; false when it has none
     */
    public boolean beatsEverything(int size) {
        for (Arm pre : arms) {
            if (!pre.pretrained()) {
                continue;
            }
            boolean all = true;
            boolean any = false;
            for (Comparison c : comparisons) {
                if (c.arm() == pre && c.size() == size) {
                    any = true;
                    all &= c.wins();
                }
            }
            if (any && all) {
                return true;
            }
        }
        return false;
    }

    /**
     * The answer in words: whether and where pretraining wins, beyond the noise, where it loses, and how many wins
     * and losses chance alone would give.
     *
     * @return a few English sentences
     */
    public String verdict() {
        StringBuilder wins = new StringBuilder();
        StringBuilder losses = new StringBuilder();
        for (Comparison c : comparisons) {
            String s = String.format(Locale.ROOT, "%s vs %s at %d samples (%+.3f ± %.3f)", c.arm().id(),
                c.versus().id(), c.size(), c.meanDiff(), c.stdErr());
            if (c.wins()) {
                wins.append(wins.length() == 0 ? "" : "; ").append(s);
            } else if (c.loses()) {
                losses.append(losses.length() == 0 ? "" : "; ").append(s);
            }
        }
        StringBuilder v = new StringBuilder();
        String rule = String.format(Locale.ROOT, " (test AUC, mean paired difference over %d seeds > %.2f standard "
            + "errors)", seeds, threshold(seeds));
        if (wins.length() == 0) {
            v.append("Pretraining does not win beyond the noise anywhere on ").append(instrument).append(rule)
                .append('.');
        } else {
            v.append("Pretraining wins beyond the noise on ").append(instrument).append(rule).append(" at: ")
                .append(wins).append('.');
            List<String> everything = new ArrayList<>();
            for (int size : sizes) {
                if (beatsEverything(size)) {
                    everything.add(Integer.toString(size));
                }
            }
            v.append(everything.isEmpty() ? " At no size does a pretrained arm beat every other arm."
                : " A pretrained arm beats every other arm at " + String.join(", ", everything) + " samples.");
        }
        if (losses.length() > 0) {
            v.append(" It loses beyond the noise at: ").append(losses).append('.');
        }
        v.append(String.format(Locale.ROOT, " With %d comparisons, about %.1f wins and %.1f losses would come by chance "
            + "alone.", comparisons.size(), comparisons.size() * CHANCE, comparisons.size() * CHANCE));
        return v.toString();
    }

    /**
     * summary.json: the setup, every run, the cells, the comparisons and the verdict (times in epoch ns, log losses
     * left out where NaN).
     *
     * @return pretty-printed JSON
     */
    public String toJson() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("instrument", instrument);
        root.put("model", model);
        root.put("target", target.id());
        root.put("horizonTicks", horizon);
        root.put("labelledSamples", samples);
        root.put("testPositiveRate", testPositiveRate);
        root.put("seeds", seeds);
        root.put("testSize", testSize);
        root.put("metric", "test ROC AUC");
        root.put("rule", "a win: mean paired AUC difference over seeds > t(0.975, n-1) standard errors ("
            + threshold(seeds) + " for " + seeds + " seeds); " + CHANCE + " chance wins per comparison");
        ArrayNode s = root.putArray("sizes");
        for (int size : sizes) {
            s.add(size);
        }
        ArrayNode a = root.putArray("arms");
        for (Arm arm : arms) {
            a.addObject().put("id", arm.id()).put("label", arm.label());
        }
        ArrayNode r = root.putArray("runs");
        for (Run run : runs) {
            ObjectNode n = r.addObject();
            n.put("arm", run.arm().id());
            n.put("size", run.size());
            n.put("seed", run.seed());
            n.put("trainRows", run.trainRows());
            n.put("testRows", run.testRows());
            n.put("auc", run.auc());
            if (Double.isFinite(run.logLoss())) {
                n.put("logLoss", run.logLoss());
            }
            n.put("trainFromNs", run.trainFromNs());
            n.put("testFromNs", run.testFromNs());
            n.put("testToNs", run.testToNs());
        }
        ArrayNode c = root.putArray("cells");
        for (Cell cell : cells) {
            ObjectNode n = c.addObject();
            n.put("arm", cell.arm().id());
            n.put("size", cell.size());
            n.put("n", cell.n());
            n.put("meanAuc", cell.meanAuc());
            n.put("stdErr", cell.stdErr());
        }
        ArrayNode cmp = root.putArray("comparisons");
        for (Comparison x : comparisons) {
            ObjectNode n = cmp.addObject();
            n.put("arm", x.arm().id());
            n.put("versus", x.versus().id());
            n.put("size", x.size());
            n.put("n", x.n());
            n.put("meanAucDiff", x.meanDiff());
            n.put("stdErr", x.stdErr());
            n.put("wins", x.wins());
            n.put("loses", x.loses());
        }
        root.put("transferDetected", transferDetected());
        root.put("verdict", verdict());
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double[] values(List<Run> runs, Arm arm, int size, boolean logLoss) {
        return runs.stream().filter(r -> r.arm() == arm && r.size() == size)
            .mapToDouble(r -> logLoss ? r.logLoss() : r.auc()).toArray();
    }

    private static double[] diffs(List<Run> runs, Arm arm, Arm versus, int size) {
        List<Double> d = new ArrayList<>();
        for (Run r : runs) {
            if (r.arm() != arm || r.size() != size) {
                continue;
            }
            for (Run q : runs) {
                if (q.arm() == versus && q.size() == size && q.seed() == r.seed()) {
                    d.add(r.auc() - q.auc());
                }
            }
        }
        return d.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }

    /** Standard error of the mean (sample standard deviation / sqrt(n)); 0 for one value. */
    static double stdErr(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v);
        double ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        return Math.sqrt(ss / (v.length - 1) / v.length);
    }
}
