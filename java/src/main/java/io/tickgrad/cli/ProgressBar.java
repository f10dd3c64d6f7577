package io.tickgrad.cli;

import io.tickgrad.train.FitListener;
import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress bar with the loss and the time left, redrawn at most ten times a second. */
final class ProgressBar implements FitListener {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private long lastDraw;
    private double smoothedLoss = Double.NaN;

    ProgressBar(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onStep(long step, long totalSteps, int epoch, double loss) {
        if (Double.isFinite(loss)) {
            smoothedLoss = Double.isNaN(smoothedLoss) ? loss : 0.9 * smoothedLoss + 0.1 * loss;
        }
        long now = System.nanoTime();
        if (step != totalSteps && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        double fraction = (double) step / totalSteps;
        int filled = (int) (fraction * WIDTH);
        double elapsed = (now - start) / 1e9;
        double left = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
        out.printf(Locale.ROOT, "\r[%s%s] %3d%% epoch %d loss %.5f  %s left ", "=".repeat(filled),
            " ".repeat(WIDTH - filled), (int) (fraction * 100), epoch + 1, smoothedLoss, formatSeconds(left));
        if (step == totalSteps) {
            out.println();
        }
        out.flush();
    }

    @Override
    public void onEpoch(int epoch, double trainLoss, double validationLoss) {
        // the bar shows progress; per-epoch figures are printed by the command at the end
    }

    private static String formatSeconds(double s) {
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", (int) (s / 3600), (int) (s % 3600 / 60));
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", (int) (s / 60), (int) (s % 60));
        }
        return String.format(Locale.ROOT, "%.0fs", s);
    }
}
