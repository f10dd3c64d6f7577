/**
 * Training: {@link io.tickgrad.train.Loss} and {@link io.tickgrad.train.LossWeights},
 * {@link io.tickgrad.train.Optimizer}s ({@link io.tickgrad.train.Sgd}, {@link io.tickgrad.train.Adam}) whose state
 * lives in slabs laid out like the parameters, {@link io.tickgrad.train.LearningRateSchedule}s, the
 * {@link io.tickgrad.train.Trainer} (one step: forward, loss, backward, clipping, optimizer), the
 * {@link io.tickgrad.train.Fitter} (epochs over a {@link io.tickgrad.train.Dataset}, validation, early stopping),
 * transfer learning (new heads, frozen trunks, featurizing) and the classification and regression reports.
 *
 * <p>A trainer owns its target slabs and its optimizer's state and frees them in {@code close()}; the network is
 * borrowed. Training runs on one thread at a time, and not while another thread uses the same network. Datasets
 * and reports are plain Java objects.
 */
package io.tickgrad.train;
