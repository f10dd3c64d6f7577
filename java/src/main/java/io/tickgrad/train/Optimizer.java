package io.tickgrad.train;

import io.tickgrad.nn.Backend;
import io.tickgrad.tensor.ParamTable;
import io.tickgrad.tensor.Slab;
import java.util.List;

/**
 * An optimizer: state slabs laid out like the parameters, and a step that is one flat loop per trainable
 * tensor. Frozen tensors are skipped and their state untouched.
 *
 * <p>Memory: the state slabs are off-heap, allocated by {@link #bind} and freed only by {@link #close()}; a
 * {@link Trainer} owns its optimizer and closes it. Threads: called only from the thread that trains (one at a time);
 * not shared between trainers.
 */
public interface Optimizer extends AutoCloseable {

    /**
     * Allocates state for this table; called once by the trainer. The state is off-heap, owned by the optimizer
     * and freed by {@link #close()}.
     *
     * @param table the layout of the parameters the optimizer will update
     */
    void bind(ParamTable table);

    /**
     * Applies one update with learning rate {@code lr} (already scheduled) to every trainable tensor, each
     * scaled by its entry's learning-rate scale.
     *
     * @param backend the kernels to run the update on
     * @param table   the parameter layout (trainable flags, learning-rate scales, weight-decay flags)
     * @param params  the parameter slab, updated in place
     * @param grads   the gradient slab, same layout, read only
     * @param lr      this step's learning rate
     */
    void step(Backend backend, ParamTable table, Slab params, Slab grads, float lr);

    /**
     * The base learning rate the schedule starts from.
     *
     * @return the base rate, as configured
     */
    float learningRate();

    /**
     * Number of steps taken.
     *
     * @return steps applied since construction or the last {@link #restoreSteps}
     */
    long steps();

    /**
     * The state slabs (laid out like the parameters; empty for a stateless optimizer), so that a guard can save
     * and restore them with the weights. Valid after {@link #bind}.
     *
     * @return the slabs themselves (not copies), owned by the optimizer
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

    /**
     * Sets the step count (bias correction depends on it) when state is restored.
     *
     * @param steps the step count saved with the state
     */
    void restoreSteps(long steps);

    /**
     * Name and hyperparameters, for reports.
     *
     * @return e.g. "adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1.0E-7, weight_decay=0.0)"
     */
    String describe();

    /** Frees the state slabs; a second call does nothing. The trainer that owns the optimizer calls it. */
    @Override
    void close();
}
