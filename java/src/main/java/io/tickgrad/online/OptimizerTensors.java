package io.tickgrad.online;

import io.tickgrad.model.TensorEntry;
import io.tickgrad.tensor.ParamEntry;
import io.tickgrad.tensor.Slab;
import io.tickgrad.train.Optimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An optimizer's state as checkpoint tensors, named by the optimizer itself: state slab {@code k} of trained tensor
 * {@code t} is {@code optimizer.<optimizer.stateNames().get(k)>.<t>}, e.g. {@code optimizer.adam.m.dense_2.weight}
 * (the names checkpoints have carried since they first held Adam's moments). Checkpoint loaders ignore them.
 *
 * <p>Stateless helper; each call allocates (checkpoints and restarts only, never on the trainer's hot path).
 */
public final class OptimizerTensors {
    /** The prefix of every optimizer-state tensor in a checkpoint. */
    public static final String PREFIX = "optimizer.";

    private OptimizerTensors() {
    }

    /**
     * @param optimizer the optimizer, which names its state ({@code adam})
     * @param k         the state slab's index (Adam: 0 for m, 1 for v)
     * @param tensor    the parameter tensor's name
     * @return the checkpoint name of {@code optimizer}'s state slab {@code k} for tensor {@code tensor}, e.g.
     *         {@code optimizer.adam.m.dense_1.kernel}
     */
    public static String name(Optimizer optimizer, int k, String tensor) {
        return PREFIX + optimizer.stateNames().get(k) + "." + tensor;
    }

    /**
     * Copies every state slab of {@code optimizer} for each of {@code tensors} out, tensor by tensor, state by state.
     *
     * @param optimizer the optimizer whose state is copied; only read
     * @param tensors the trained tensors (their offsets index the state slabs, laid out like the parameters)
     * @return the tensors to checkpoint (on-heap copies); empty for a stateless optimizer
     */
    public static List<TensorEntry> save(Optimizer optimizer, List<ParamEntry> tensors) {
        List<Slab> state = optimizer.state();
        List<TensorEntry> out = new ArrayList<>();
        for (ParamEntry e : tensors) {
            long[] shape = Arrays.stream(e.shape()).asLongStream().toArray();
            for (int k = 0; k < state.size(); k++) {
                float[] data = new float[(int) e.length()];
                UnsafeBuffer b = state.get(k).buffer();
                for (int i = 0; i < data.length; i++) {
                    data[i] = b.getFloat((int) ((e.offset() + i) * Float.BYTES));
                }
                out.add(TensorEntry.f32(name(optimizer, k, e.name()), shape, data));
            }
        }
        return out;
    }

    /**
     * Puts saved state back into {@code optimizer}, with its step count. Changes nothing and returns false unless
     * the optimizer has state and every state slab of every tensor is in {@code saved} with the tensor's length,
     * and {@code steps} &gt;= 0.
     *
     * @param optimizer the optimizer to restore into
     * @param tensors   the trained tensors, as in {@link #save}
     * @param saved     the checkpoint's optimizer tensors by name
     * @param steps     the optimizer's step count the state belongs to
     * @return whether the state was restored
     */
    public static boolean restore(Optimizer optimizer, List<ParamEntry> tensors, Map<String, TensorEntry> saved,
                                  long steps) {
        List<Slab> state = optimizer.state();
        if (state.isEmpty() || steps < 0) {
            return false;
        }
        for (ParamEntry e : tensors) {
            for (int k = 0; k < state.size(); k++) {
                TensorEntry t = saved.get(name(optimizer, k, e.name()));
                if (t == null || t.data().length != e.length()) {
                    return false;
                }
            }
        }
        for (ParamEntry e : tensors) {
            for (int k = 0; k < state.size(); k++) {
                float[] data = saved.get(name(optimizer, k, e.name())).data();
                UnsafeBuffer b = state.get(k).buffer();
                for (int i = 0; i < data.length; i++) {
                    b.putFloat((int) ((e.offset() + i) * Float.BYTES), data[i]);
                }
            }
        }
        optimizer.restoreSteps(steps);
        return true;
    }
}
