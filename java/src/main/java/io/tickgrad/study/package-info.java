/**
 * Transfer studies: does a pretrained market network help on an instrument it never saw? A
 * {@link io.tickgrad.study.TransferStudy} trains every {@link io.tickgrad.study.Arm} (frozen trunk with a new head,
 * fine-tuned, partly frozen, from scratch, logistic regression, an untrained EWMA forecast) on the same walk-forward
 * training and test rows for each size and seed, as set by {@link io.tickgrad.study.StudyOptions}; the
 * {@link io.tickgrad.study.StudyResult} holds every run, the means with standard errors and the paired comparisons
 * (Student t on test ROC AUC differences); {@link io.tickgrad.study.StudyReport} writes summary.json and a
 * self-contained report.html, and {@link io.tickgrad.study.PooledCurves} pools the summaries of several studies.
 *
 * <p>Everything here is cold path and runs on the caller's thread; a study is deterministic for a given seed set and
 * instruction set. Results and options are plain Java values; files are written atomically.
 */
package io.tickgrad.study;
