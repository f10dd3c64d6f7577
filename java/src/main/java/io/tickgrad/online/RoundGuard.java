package io.tickgrad.online;

import io.tickgrad.nn.Network;
import io.tickgrad.train.Optimizer;
import io.tickgrad.train.TrainingSnapshot;

/**
 * Judges each training step of an online round and rolls a rejected round back. A step is rejected when its loss or
 * gradients are not finite, or (after {@value #SPIKE_WARMUP_STEPS} observed steps) its batch loss exceeds
 * {@code spikeFactor} times the typical loss: an exponential average (weight {@value #TYPICAL_LOSS_WEIGHT}) of
 * finite batch losses, rejected ones included, so a lasting change of regime raises it within a few rounds instead
 * of stopping learning for good. A rejection puts back the weights and optimizer state of the last accepted round.
 *
 * <p>Single-threaded (the trainer thread); allocates nothing after construction. {@link #close()} frees the saved
 * copy.
 */
public final class RoundGuard implements AutoCloseable {
    /** The last round was accepted. */
    public static final int NONE = 0;
    /** A step's loss or gradient norm was not finite. */
    public static final int NOT_FINITE = 1;
    /** A step's batch loss exceeded spikeFactor times the typical loss. */
    public static final int SPIKE = 2;
    static final double TYPICAL_LOSS_WEIGHT = 0.05;
    static final int SPIKE_WARMUP_STEPS = 20;

    private final TrainingSnapshot lastGood;
    private final double spikeFactor;
    private double typicalLoss = Double.NaN;
    private long observations;
    private long accepted;
    private long rejected;
    private long rejectedSpikes;
    private int lastRejection = NONE;

    /**
     * Saves {@code net}'s weights and {@code optimizer}'s state (already bound) as the last good round.
     *
     * @param net         the trained network; the guard keeps a copy of its weights (off-heap, freed by
     *                    {@link #close()})
     * @param optimizer   the optimizer bound to {@code net}'s slabs; the guard keeps a copy of its state (off-heap)
     * @param spikeFactor the spike threshold over the typical loss; 0 turns the spike check off
     */
    public RoundGuard(Network net, Optimizer optimizer, double spikeFactor) {
        this.lastGood = new TrainingSnapshot(net, optimizer);
        this.spikeFactor = spikeFactor;
    }

    /**
     * Judges one step and, when its loss is finite, observes it into the typical loss.
     *
     * @param loss            the step's batch loss
     * @param optimizerRefused whether the trainer refused the step (non-finite gradients)
     * @return {@link #NONE}, {@link #NOT_FINITE} or {@link #SPIKE}
     */
    public int judge(float loss, boolean optimizerRefused) {
        if (optimizerRefused || !Float.isFinite(loss)) {
            return NOT_FINITE;
        }
        boolean spike = spikeFactor > 0 && observations >= SPIKE_WARMUP_STEPS && loss > spikeFactor * typicalLoss;
        typicalLoss = observations == 0 ? loss : typicalLoss + TYPICAL_LOSS_WEIGHT * (loss - typicalLoss);
        observations++;
        return spike ? SPIKE : NONE;
    }

    /**
     * Rolls the weights and optimizer state back to the last accepted round and counts the rejection. Trainer
     * thread.
     *
     * @param reason why: {@link #NOT_FINITE} or {@link #SPIKE}
     */
    public void rollBack(int reason) {
        lastGood.restore();
        rejected++;
        if (reason == SPIKE) {
            rejectedSpikes++;
        }
        lastRejection = reason;
    }

    /** Keeps the current weights and optimizer state as the last accepted round and counts it. */
    public void accept() {
        lastGood.capture();
        accepted++;
        lastRejection = NONE;
    }

    /** Makes the current state the one a rejection returns to, without counting a round (after a restore). */
    public void rebase() {
        lastGood.capture();
    }

    /** @return the typical batch loss the spike check compares against (NaN before the first step) */
    public double typicalLoss() {
        return typicalLoss;
    }

    /** @return rounds accepted */
    public long accepted() {
        return accepted;
    }

    /** @return rounds rolled back, for any reason */
    public long rejected() {
        return rejected;
    }

    /** @return rounds rolled back for a loss spike */
    public long rejectedSpikes() {
        return rejectedSpikes;
    }

    /** @return the reason of the last round, {@link #NONE} when it was accepted */
    public int lastRejection() {
        return lastRejection;
    }

    @Override
    public void close() {
        lastGood.close();
    }
}
