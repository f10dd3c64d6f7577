package io.tickgrad.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickgrad.nn.Backend;
import io.tickgrad.tabular.BinaryEvaluation;
import io.tickgrad.tabular.ClassWeighting;
import io.tickgrad.tabular.ColumnKind;
import io.tickgrad.tabular.ColumnOptions;
import io.tickgrad.tabular.CsvTable;
import io.tickgrad.tabular.TabularFitOptions;
import io.tickgrad.tabular.TabularFitResult;
import io.tickgrad.tabular.TabularFitter;
import io.tickgrad.tabular.TabularModel;
import io.tickgrad.tabular.ThresholdGoal;
import io.tickgrad.tabular.UnknownCategoryPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tickgrad fit}: a binary classifier from a CSV with a header, preprocessing stored in the checkpoint. */
@Command(name = "fit", mixinStandardHelpOptions = true,
    description = "Fit a binary classifier (credit risk, fraud) on a CSV with a header: numeric columns standardised, "
        + "categorical ones one-hot, missing values imputed with an indicator; the threshold is chosen on a "
        + "stratified validation split. The preprocessing is stored in the checkpoint, so predict and evaluate take "
        + "raw rows of the same CSV shape. With --pretrained, fine-tunes that model's trunk-frozen network instead.")
final class FitCommand implements Callable<Integer> {
    @Option(names = "--csv", required = true, description = "training CSV with a header row")
    Path csv;

    @Option(names = "--label", required = true, description = "the label column's name")
    String label;

    @Option(names = "--positive", description = "the label value that is class 1; default: 1/yes/true, else the rarer")
    String positive;

    @Option(names = "--out", required = true, description = "checkpoint to write (.safetensors)")
    Path out;

    @Option(names = "--hidden", defaultValue = "32,16",
        description = "hidden layer sizes, comma-separated; 'none' = logistic regression; default ${DEFAULT-VALUE}")
    String hidden;

    @Option(names = "--categorical", split = ",", description = "columns to treat as categorical")
    List<String> categorical = new ArrayList<>();

    @Option(names = "--numeric", split = ",", description = "columns to treat as numeric")
    List<String> numeric = new ArrayList<>();

    @Option(names = "--ignore", split = ",", description = "columns to leave out (identifiers, leaks)")
    List<String> ignore = new ArrayList<>();

    @Option(names = "--unknown-category", defaultValue = "ignore",
        description = "unseen category at predict time: ignore (all zeros, warning) or error; default ${DEFAULT-VALUE}")
    String unknownCategory;

    @Option(names = "--class-weight", defaultValue = "none", description = "none or balanced; default ${DEFAULT-VALUE}")
    String classWeight;

    @Option(names = "--threshold-goal", defaultValue = "f1",
        description = "f1 (best F1) or recall=R (highest threshold with recall >= R); default ${DEFAULT-VALUE}")
    String thresholdGoal;

    @Option(names = "--validation", defaultValue = "0.2", description = "stratified validation share; default ${DEFAULT-VALUE}")
    double validation;

    @Option(names = "--epochs", defaultValue = "60", description = "most epochs; default ${DEFAULT-VALUE}")
    int epochs;

    @Option(names = "--patience", defaultValue = "8", description = "early-stopping patience, 0 = off; default ${DEFAULT-VALUE}")
    int patience;

    @Option(names = "--batch", defaultValue = "64", description = "rows per step; default ${DEFAULT-VALUE}")
    int batch;

    @Option(names = "--lr", defaultValue = "0.003", description = "AdamW learning rate; default ${DEFAULT-VALUE}")
    float lr;

    @Option(names = "--weight-decay", defaultValue = "0.0001", description = "AdamW weight decay; default ${DEFAULT-VALUE}")
    float weightDecay;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--pretrained", description = "fine-tune this tabular checkpoint: keep its preprocessing and trunk, "
        + "replace the head")
    Path pretrained;

    @Option(names = "--train-trunk", description = "with --pretrained: train the trunk too (default: frozen)")
    boolean trainTrunk;

    @Option(names = "--baseline", description = "also fit a logistic regression with the same options and report both")
    boolean baseline;

    @Option(names = "--json", description = "print the validation metrics as JSON")
    boolean json;

    @Mixin
    BackendOption backendOption;

    @Override
    public Integer call() throws Exception {
        CliFiles.requireInputFile(csv, "--csv");
        if (pretrained != null) {
            CliFiles.requireInputFile(pretrained, "--pretrained");
        }
        CliFiles.requireOutput(out, "--out");
        if (batch < 1 || batch > TabularFitOptions.MAX_BATCH) {
            throw new OptionException("--batch " + batch, batch < 1 ? "not a positive number of rows"
                : "more rows per step than tabular training takes", "expected 1 to " + TabularFitOptions.MAX_BATCH);
        }
        if (epochs < 1) {
            throw new OptionException("--epochs " + epochs, "not a positive number", "expected at least 1");
        }
        if (patience < 0) {
            throw new OptionException("--patience " + patience, "negative", "expected 0 (off) or more epochs");
        }
        if (!(validation >= 0 && validation < 1)) {
            throw new OptionException("--validation " + validation, "out of range", "expected a share in [0, 1)");
        }
        if (!(lr > 0 && Float.isFinite(lr))) {
            throw new OptionException("--lr " + lr, "out of range", "expected a finite number > 0");
        }
        if (!(weightDecay >= 0 && Float.isFinite(weightDecay))) {
            throw new OptionException("--weight-decay " + weightDecay, "out of range", "expected a finite number >= 0");
        }
        if (trainTrunk && pretrained == null) {
            throw new OptionException("--train-trunk", "given without --pretrained", "expected it only with "
                + "--pretrained (a new network trains every layer)");
        }
        TabularFitOptions options = options();
        CsvTable table = CsvTable.read(csv);
        Map<String, Object> report = new LinkedHashMap<>();
        try (Backend backend = backendOption.create()) {
            TabularFitResult result;
            if (pretrained != null) {
                try (TabularModel base = TabularModel.load(pretrained, backend)) {
                    result = TabularFitter.fineTune(base, table, label, positive, !trainTrunk, options, backend);
                }
            } else {
                try {
                    result = TabularFitter.fit(table, label, positive, options, backend);
                } catch (IllegalArgumentException e) {
                    String m = String.valueOf(e.getMessage());
                    if (m.startsWith("hidden layer sizes ")) {
                        int colon = m.indexOf(": ");
                        String rest = m.substring(colon + 2);
                        int semi = rest.lastIndexOf("; ");
                        throw new OptionException("--hidden " + hidden, rest.substring(0, semi), rest.substring(semi + 2));
                    }
                    throw e;
                }
            }
            try (TabularModel model = result.model()) {
                model.save(out);
                describe("model", result, report);
            }
            if (baseline) {
                TabularFitResult lr = TabularFitter.fit(table, label, positive, options.logisticRegression(), backend);
                try (TabularModel m = lr.model()) {
                    describe("logistic_regression", lr, report);
                }
            }
        }
        if (json) {
            System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
        }
        System.err.println("tickgrad fit: wrote " + out);
        return 0;
    }

    private void describe(String name, TabularFitResult r, Map<String, Object> report) {
        TabularModel m = r.model();
        String arch = m.hidden().isEmpty() ? "logistic regression" : "network " + m.hidden();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("architecture", m.hidden().isEmpty() ? "logistic_regression" : m.hidden());
        entry.put("inputs", m.preprocessor().width());
        entry.put("label", m.preprocessor().label().name());
        entry.put("positive", m.preprocessor().label().positive());
        entry.put("train_rows", r.trainRows());
        entry.put("validation_rows", r.validationRows());
        entry.put("epochs_run", r.training().epochsRun());
        entry.put("best_epoch", r.training().bestEpoch() + 1);
        entry.put("threshold_goal", m.thresholdGoal().toString());
        entry.put("validation", r.validation().toMap());
        report.put(name, entry);
        if (!json) {
            BinaryEvaluation v = r.validation();
            System.out.printf(Locale.ROOT, "%s: %s, %d inputs, label %s (positive '%s'), %d train / %d validation rows, "
                    + "%d epochs (kept %d), threshold %.4f for %s%n", name, arch, m.preprocessor().width(),
                m.preprocessor().label().name(), m.preprocessor().label().positive(), r.trainRows(), r.validationRows(),
                r.training().epochsRun(), r.training().bestEpoch() + 1, m.threshold(), m.thresholdGoal());
            System.out.println((r.validationRows() > 0 ? "validation" : "training") + " metrics (the threshold was "
                + "chosen on these rows, so the metrics at it are optimistic; evaluate held-out rows for a fair figure):");
            System.out.println(v);
        }
    }

    private TabularFitOptions options() {
        Map<String, ColumnKind> kinds = new HashMap<>();
        for (String c : categorical) {
            kinds.put(c.trim(), ColumnKind.CATEGORICAL);
        }
        for (String c : numeric) {
            if (kinds.put(c.trim(), ColumnKind.NUMERIC) != null) {
                throw new IllegalArgumentException("column '" + c + "' is both --categorical and --numeric");
            }
        }
        Set<String> ignored = new HashSet<>();
        for (String c : ignore) {
            ignored.add(c.trim());
        }
        ColumnOptions columns = new ColumnOptions(kinds, ignored, UnknownCategoryPolicy.parse(unknownCategory));
        return new TabularFitOptions(parseHidden(hidden), epochs, batch, lr, weightDecay, validation, patience,
            ClassWeighting.parse(classWeight), ThresholdGoal.parse(thresholdGoal), seed, columns);
    }

    static List<Integer> parseHidden(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        List<Integer> sizes = new ArrayList<>();
        if (s.isEmpty() || s.equals("none") || s.equals("0")) {
            return sizes;
        }
        for (String part : s.split(",", -1)) {
            int size;
            try {
                size = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                throw new OptionException("--hidden " + spec, "found '" + part.trim() + "'",
                    "expected whole layer sizes like 32,16, or 'none'");
            }
            if (size < 1) {
                throw new OptionException("--hidden " + spec, "a layer of " + size + " units",
                    "expected sizes of at least 1, or 'none' for logistic regression");
            }
            sizes.add(size);
        }
        long params = 0;
        for (int i = 0; i < sizes.size(); i++) {
            params += (long) sizes.get(i) * (i + 1 < sizes.size() ? sizes.get(i + 1) + 1 : 2);
        }
        if (params > io.tickgrad.model.ModelLimits.MAX_SLAB_FLOATS
            || (long) sizes.stream().mapToLong(Integer::longValue).sum() * 3 * TabularFitOptions.MAX_BATCH
                > io.tickgrad.model.ModelLimits.MAX_SLAB_FLOATS) {
            throw new OptionException("--hidden " + spec, "a network of at least " + params + " parameters",
                "expected layers that fit 2 GiB of parameters and of activations (" 
                + io.tickgrad.model.ModelLimits.MAX_SLAB_FLOATS + " floats)");
        }
        return sizes;
    }
}
