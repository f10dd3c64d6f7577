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

    /**
     * The optimizer's own name of each {@link #state()} slab, in the same order (for example {@code adam.m} and
     * {@code adam.v}): what a checkpoint calls that state, {@code optimizer.<name>.<tensor>}. Names are stable
     * across versions, since saved state is read back by them. The default, for a stateless optimizer, is empty.
     *
     * @return one name per state slab; lower-case words joined by dots
     * @throws IllegalStateException from the default when the optimizer has state but does not name it
     */
    default List<String> stateNames() {
        if (!state().isEmpty()) {
            throw new IllegalStateException(getClass().getSimpleName() + " has " + state().size() + " state slabs "
                + "but does not name them (override stateNames())");
        }
        return List.of();
    }

    /** Sets the step count (bias correction depends on it) when state is restored. */
    void restoreSteps(long steps);

    /** Name and hyperparameters, for reports. */
    String describe();

    @Override
    void close();
}
