package io.tickgrad.train;

import io.tickgrad.nn.Backend;
import io.tickgrad.tensor.ParamEntry;
import io.tickgrad.tensor.ParamTable;
import io.tickgrad.tensor.Slab;
import java.util.List;

/**
 * Adam (weight decay as L2 added to the gradient) and AdamW (decoupled weight decay), with bias correction. The
 * decay applies to the tensors whose {@link ParamEntry#weightDecayed()} is set (all, by default; see
 * {@link WeightDecayGroups}).
 */
public final class Adam implements Optimizer {
    private final float learningRate;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float weightDecay;
    private final boolean decoupled;
    private Slab m;
    private Slab v;
    private ParamTable bound;
    private List<Slab> state = List.of();
    private long steps;
    private static final List<String> STATE_NAMES = List.of("adam.m", "adam.v");

    /**
     * An Adam or AdamW optimizer. Its state (first and second moments, fp32, laid out like the parameters) is
     * allocated by {@link #bind} and freed by {@link #close()}.
     *
     * @param learningRate the base learning rate, &gt; 0
     * @param beta1        decay of the first moment, in [0, 1)
     * @param beta2        decay of the second moment, in [0, 1)
     * @param eps          added to the denominator, &gt; 0
     * @param weightDecay  weight decay, &gt;= 0, on tensors whose weightDecayed flag is set
     * @param decoupled    true for AdamW (decay applied to the weights), false for Adam (L2 added to the gradient)
     * @throws IllegalArgumentException when a hyperparameter is out of range
     */
    public Adam(float learningRate, float beta1, float beta2, float eps, float weightDecay, boolean decoupled) {
        OptimizerChecks.positive("learning rate", learningRate);
        OptimizerChecks.inUnitInterval("beta1", beta1);
        OptimizerChecks.inUnitInterval("beta2", beta2);
        OptimizerChecks.positive("epsilon", eps);
        OptimizerChecks.nonNegative("weight decay", weightDecay);
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
    }

    /**
     * Adam with Keras' defaults (betas 0.9, 0.999; epsilon 1e-7).
     *
     * @param learningRate the base learning rate, &gt; 0
     * @return the optimizer
     */
    public static Adam adam(float learningRate) {
        return new Adam(learningRate, 0.9f, 0.999f, 1e-7f, 0f, false);
    }

    /**
     * AdamW with PyTorch's defaults (betas 0.9, 0.999; epsilon 1e-8; weight decay 0.01).
     *
     * @param learningRate the base learning rate, &gt; 0
     * @return the optimizer
     */
    public static Adam adamW(float learningRate) {
        return new Adam(learningRate, 0.9f, 0.999f, 1e-8f, 0.01f, true);
    }

    @Override
    public void bind(ParamTable table) {
        if (bound != null && bound != table) {
            // m and v are sized and laid out for the first table: stepping another would run past them
            throw new IllegalStateException("this Adam already holds the state of another network's parameters; "
                + "use a new optimizer for each trainer");
        }
        bound = table;
        if (m == null) {
            m = table.allocate("adam-m");
            v = table.allocate("adam-v");
            state = List.of(m, v);
        }
    }

    @Override
    public void step(Backend backend, ParamTable table, Slab params, Slab grads, float lr) {
        steps++;
        long p = params.address();
        long g = grads.address();
        long mm = m.address();
        long vv = v.address();
        List<ParamEntry> entries = table.entries();
        for (int i = 0; i < entries.size(); i++) {   // indexed: no iterator on the hot path
            ParamEntry e = entries.get(i);
            if (!e.trainable()) {
                continue;
            }
            long off = e.offset() * Float.BYTES;
            backend.adamStep(p + off, mm + off, vv + off, g + off, e.length(), lr * e.learningRateScale(),
                beta1, beta2, eps, e.weightDecayed() ? weightDecay : 0f, steps, decoupled);
        }
    }

    @Override
    public float learningRate() {
        return learningRate;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public List<Slab> state() {
        return state;
    }

    /** Adam's and AdamW's moments are the same state: {@code adam.m} and {@code adam.v}. */
    @Override
    public List<String> stateNames() {
        return state.isEmpty() ? List.of() : STATE_NAMES;
    }

    @Override
    public void restoreSteps(long value) {
        steps = value;
    }

    @Override
    public String describe() {
        return (decoupled ? "adamw" : "adam") + "(lr=" + learningRate + ", beta1=" + beta1 + ", beta2=" + beta2
            + ", eps=" + eps + ", weight_decay=" + weightDecay + ")";
    }

    @Override
    public void close() {
        if (m != null) {
            m.close();
            v.close();
        }
    }
}
