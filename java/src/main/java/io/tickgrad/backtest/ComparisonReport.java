package io.tickgrad.backtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Writes a {@link Comparison} into a directory: {@code comparison.json} (byte for byte the same for the same runs),
 * {@code comparison.html} and four PNG charts. The models' own reports are written separately
 * ({@link BacktestReport}), typically into subdirectories the page links to.
 */
public final class ComparisonReport {
    /** The comparison's file: {@link Comparison#toJson()}. */
    public static final String COMPARISON_JSON = "comparison.json";
    /** The comparison page, which shows the charts below. */
    public static final String COMPARISON_HTML = "comparison.html";
    /** Chart: each run's rolling accuracy. */
    public static final String ROLLING_ACCURACY_PNG = "comparison_rolling_accuracy.png";
    /** Chart: each run's rolling ROC AUC. */
    public static final String ROLLING_AUC_PNG = "comparison_rolling_auc.png";
    /** Chart: each run's cumulative net PnL, bps. */
    public static final String EQUITY_PNG = "comparison_equity.png";
    /** Chart: the online learners' training loss by accepted round. */
    public static final String TRAINING_LOSS_PNG = "comparison_training_loss.png";

    /** The files {@link #write} creates, in the order it writes them. */
    public static final List<String> FILES = List.of(COMPARISON_JSON, ROLLING_ACCURACY_PNG, ROLLING_AUC_PNG,
        EQUITY_PNG, TRAINING_LOSS_PNG, COMPARISON_HTML);

    private ComparisonReport() {
    }

    /**
     * Compares {@code runs} and writes the files into {@code dir} (created if missing; files of the same names are
     * replaced). Each file is written to a temporary file and renamed.
     *
     * @param dir   the directory
     * @param title the page's title
     * @param info  lines shared by every run, printed under the title
     * @param runs  the runs, in order; only read
     * @return the comparison written
     * @throws IOException if the directory or a file cannot be written (the message names the file)
     */
    public static Comparison write(Path dir, String title, List<String> info, List<ComparedRun> runs)
        throws IOException {
        BacktestCharts.init();
        Comparison c = Comparison.of(title, info, runs);
        Files.createDirectories(dir);
        BacktestReport.writeText(dir.resolve(COMPARISON_JSON), c.toJson());
        BacktestCharts.writePng(ComparisonCharts.rollingAccuracy(c), dir.resolve(ROLLING_ACCURACY_PNG));
        BacktestCharts.writePng(ComparisonCharts.rollingAuc(c), dir.resolve(ROLLING_AUC_PNG));
        BacktestCharts.writePng(ComparisonCharts.equity(c), dir.resolve(EQUITY_PNG));
        BacktestCharts.writePng(ComparisonCharts.trainingLoss(c), dir.resolve(TRAINING_LOSS_PNG));
        String generated = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        BacktestReport.writeText(dir.resolve(COMPARISON_HTML), ComparisonHtml.render(c, generated));
        return c;
    }
}
