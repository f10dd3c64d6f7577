package io.tickgrad.backtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Writes the report of a backtest into a directory: {@code summary.json} (the {@link BacktestSummary}, byte for byte
 * the same for the same run and options), {@code report.html} (self-contained; the charts referenced by relative
 * name) and four PNG charts: {@code equity.png}, {@code rolling_accuracy.png}, {@code calibration.png},
 * {@code latency.png}. Charts are drawn headless.
 */
public final class BacktestReport {
    /** The summary's file: {@link BacktestSummary#toJson()}. */
    public static final String SUMMARY_JSON = "summary.json";
    /** The report page, which shows the charts below. */
    public static final String REPORT_HTML = "report.html";
    /** Chart: the strategy's cumulative net PnL, bps. */
    public static final String EQUITY_PNG = "equity.png";
    /** Chart: accuracy over a rolling window of labelled predictions. */
    public static final String ROLLING_ACCURACY_PNG = "rolling_accuracy.png";
    /** Chart: the reliability diagram (mean score against the up rate, per score bin). */
    public static final String CALIBRATION_PNG = "calibration.png";
    /** Chart: the distribution of the measured tick-to-prediction latency. */
    public static final String LATENCY_PNG = "latency.png";

    /** The files {@link #write} creates, in the order it writes them. */
    public static final List<String> FILES = List.of(SUMMARY_JSON, EQUITY_PNG, ROLLING_ACCURACY_PNG,
        CALIBRATION_PNG, LATENCY_PNG, REPORT_HTML);

    private BacktestReport() {
    }

    /**
     * Computes the summary of {@code run} and writes the report into {@code dir} (created if missing; existing
     * files of the same names are replaced). Each file is written to a temporary file and renamed.
     *
     * @param dir     the report directory
     * @param run     the replay's rows; only read
     * @param options the strategy and report settings
     * @return the summary written to summary.json
     * @throws IOException if the directory or a file cannot be written (the message names the file)
     */
    public static BacktestSummary write(Path dir, BacktestRun run, BacktestOptions options) throws IOException {
        BacktestCharts.init();
        BacktestAnalysis analysis = BacktestAnalysis.of(run, options);
        BacktestSummary summary = analysis.summary();
        Files.createDirectories(dir);
        writeText(dir.resolve(SUMMARY_JSON), summary.toJson());
        BacktestCharts.writePng(BacktestCharts.equity(analysis), dir.resolve(EQUITY_PNG));
        BacktestCharts.writePng(BacktestCharts.rollingAccuracy(analysis), dir.resolve(ROLLING_ACCURACY_PNG));
        BacktestCharts.writePng(BacktestCharts.calibration(analysis), dir.resolve(CALIBRATION_PNG));
        BacktestCharts.writePng(BacktestCharts.latency(analysis), dir.resolve(LATENCY_PNG));
        String generated = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        writeText(dir.resolve(REPORT_HTML), BacktestHtml.render(summary, analysis.rollingWindow, generated));
        return summary;
    }

    /**
     * Computes the summary without writing anything.
     *
     * @param run     the replay's rows; only read
     * @param options the strategy and report settings
     * @return the summary, as {@link BacktestSummary#of}
     */
    public static BacktestSummary summarize(BacktestRun run, BacktestOptions options) {
        return BacktestSummary.of(run, options);
    }

    static void writeText(Path file, String text) throws IOException {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
