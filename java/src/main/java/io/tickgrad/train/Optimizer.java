package io.tickgrad.train;

import io.tickgrad.nn.Backend;
import io.tickgrad.tensor.ParamTable;
import io.tickgrad.tensor.Slab;
import java.util.List;

/**
 * An optimizer: state slabs laid out like the parameters, and a step that is one flat loop per trainable
 * tensor. Frozen tensors are skipped and their state untouched.
 */
public interface Optimizer extends AutoCloseable {

    /** Allocates state for this table; called once by the trainer. */
    void bind(ParamTable table);

    /**
     * Applies one update with learning rate {@code lr} (already scheduled) to every trainable tensor, each
     * scaled by its entry's learning-rate scale.
     */
    void step(Backend backend, ParamTable table, Slab params, Slab grads, float lr);

    /** The base learning rate the schedule starts from. */
    float learningRate();

    /** Number of steps taken. */
    long steps();

    /**
     * The state slabs (laid out like the parameters; empty for a stateless optimizer), so that a guard can save
     * and restore them with the weights. Valid after {@link #bind}.
     */
    List<Slab> state();

    /** Sets the step count (bias correction depends on it) when state is restored. */
    void restoreSteps(long steps);

    /** Name and hyperparameters, for reports. */
    String describe();

    @Override
    void close();
}
