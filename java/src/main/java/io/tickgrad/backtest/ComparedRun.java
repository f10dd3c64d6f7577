package io.tickgrad.backtest;

import io.tickgrad.train.LearningCurve;

/**
 * One model's replay in a {@link Comparison}: its rows and report options, and, when it learned online, its learning
 * curve and the number of weight revisions it published.
 *
 * @param id          short name, used in file and JSON keys: letters, digits, '-' or '_' (e.g. "frozen")
 * @param name        what the model is, for tables and legends (e.g. "pretrained, frozen")
 * @param description one sentence on how it was set up
 * @param run         the replay's rows
 * @param options     the options its own report used (thresholds, cost, decision step)
 * @param curve       the online learner's accepted rounds, or null when the model did not learn online
 * @param revisions   weight revisions published during the replay (0 when frozen)
 * @param reportHref  its own report, relative to the comparison page, or null
 */
public record ComparedRun(String id, String name, String description, BacktestRun run, BacktestOptions options,
                          LearningCurve curve, long revisions, String reportHref) {
    /**
     * Checks the id, name, run and options.
     *
     * @param id          short name for file and JSON keys: letters, digits, '-' or '_'
     * @param name        what the model is, for tables and legends
     * @param description one sentence on how it was set up
     * @param run         the replay's rows; only read
     * @param options     the options its own report used
     * @param curve       the online learning curve, or null
     * @param revisions   weight revisions published (0 when frozen)
     * @param reportHref  its own report relative to the comparison page, or null
     * @throws IllegalArgumentException naming the run, when its id is not letters, digits, '-' or '_', or a required
     *                                  part is missing
     */
    public ComparedRun {
        if (id == null || !id.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("compared run id must be letters, digits, '-' or '_', got " + id);
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("compared run '" + id + "' needs a name");
        }
        if (run == null || options == null) {
            throw new IllegalArgumentException("compared run '" + id + "' needs its run and options");
        }
        description = description == null ? "" : description;
    }
}
