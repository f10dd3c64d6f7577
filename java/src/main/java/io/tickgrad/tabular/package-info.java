/**
 * Binary classification on tables (credit risk, fraud): CSV with a header in, calibrated scores and threshold
 * metrics out.
 *
 * <p>{@link io.tickgrad.tabular.CsvTable} reads the file (RFC 4180, line numbers kept);
 * {@link io.tickgrad.tabular.TabularFitter} chooses the label ({@link io.tickgrad.tabular.LabelColumn}), splits off a
 * stratified validation part, fits the {@link io.tickgrad.tabular.TabularPreprocessor} (standardised numbers with
 * imputation and missing indicators, one-hot categories) on the training rows, trains a ReLU network or a logistic
 * regression with optional class weights ({@link io.tickgrad.tabular.WeightedFitter}), and chooses the threshold
 * for a {@link io.tickgrad.tabular.ThresholdGoal}. The resulting {@link io.tickgrad.tabular.TabularModel} saves as a
 * tickgrad checkpoint with its preprocessing in the metadata, and scores raw rows in bulk or, through
 * {@link io.tickgrad.tabular.RowScorer}, one at a time. {@link io.tickgrad.tabular.BinaryEvaluation} reports every
 * metric with a {@link io.tickgrad.train.CalibrationTable}.
 *
 * <p>Bad tables, each refused or tolerated with a message naming the file, the line and the column
 * ({@link io.tickgrad.tabular.TabularDataException}): ragged rows, unterminated quotes, empty or duplicate header
 * names are refused; a missing or constant label column, or a missing label cell, is refused; text in a numeric
 * column is refused (at fit time when at least 90% of the column is numbers, otherwise the column is categorical);
 * an unknown category follows the {@link io.tickgrad.tabular.UnknownCategoryPolicy} (ignore with a warning by
 * default, or refuse); a missing value is imputed.
 */
package io.tickgrad.tabular;
