package io.tickgrad.tabular;

/**
 * A fitted model and how the fit went.
 *
 * @param model           the model (the caller closes it)
 * @param validation      metrics on the held-out validation rows at the chosen threshold (on the training rows
 *                        when there was no validation split)
 * @param training        the epoch losses and the epoch kept
 * @param trainRows       rows trained on
 * @param validationRows  rows held out
 */
public record TabularFitResult(TabularModel model, BinaryEvaluation validation, WeightedFitter.Summary training,
                               int trainRows, int validationRows) {
}
