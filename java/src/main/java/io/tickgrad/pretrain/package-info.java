/**
 * Pretraining a market network on many instruments: {@link io.tickgrad.pretrain.MarketSamples} (labelled feature
 * vectors of one instrument in time order, with the row before which labels are known), the
 * {@link io.tickgrad.pretrain.Target} they are labelled by (direction or large move over a horizon in ticks), the
 * shared {@link io.tickgrad.pretrain.BinaryTraining} protocol (Adam, binary cross-entropy, early stopping on the
 * chronologically last rows), the {@link io.tickgrad.pretrain.Pretrainer} that pools instruments, fits the feature
 * normalisation and writes a checkpoint with its record, and a {@link io.tickgrad.pretrain.TimeBoundedSource} that
 * ends a tick source before an evaluation period.
 *
 * <p>Everything here is cold path and runs on the caller's thread; results are deterministic for a given seed and
 * instruction set. Networks made here belong to the caller or are closed before the method returns; tick sources
 * are borrowed and never closed.
 */
package io.tickgrad.pretrain;
