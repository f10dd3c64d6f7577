package io.tickgrad.train;

import io.tickgrad.nn.Backend;
import io.tickgrad.tensor.ParamEntry;
import io.tickgrad.tensor.ParamTable;
import io.tickgrad.tensor.Slab;
import java.util.List;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay (PyTorch semantics), the
 * decay on the tensors whose {@link ParamEntry#weightDecayed()} is set (all, by default; see
 * {@link WeightDecayGroups}).
 */
public final class Sgd implements Optimizer {
    private final float learningRate;
    private final float momentum;
    private final boolean nesterov;
    private final float weightDecay;
    private Slab velocity;
    private ParamTable bound;
    private List<Slab> state = List.of();
    private long steps;

    /**
     * An SGD optimizer. With momentum its velocity (fp32, laid out like the parameters) is allocated by {@link #bind}
     * and freed by {@link #close()}.
     *
     * @param learningRate the base learning rate, &gt; 0
     * @param momentum     momentum factor in [0, 1); 0 for plain SGD
     * @param nesterov     Nesterov momentum (needs momentum &gt; 0)
     * @param weightDecay  L2 weight decay, &gt;= 0
     * @throws IllegalArgumentException when a hyperparameter is out of range
     */
    public Sgd(float learningRate, float momentum, boolean nesterov, float weightDecay) {
        OptimizerChecks.positive("learning rate", learningRate);
        OptimizerChecks.inUnitInterval("momentum", momentum);
        OptimizerChecks.nonNegative("weight decay", weightDecay);
        if (nesterov && momentum == 0f) {
            throw new IllegalArgumentException("Nesterov momentum needs momentum > 0");
        }
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
    }

    /**
     * Plain SGD: no momentum, no weight decay.
     *
     * @param learningRate the base learning rate, &gt; 0
     * @return the optimizer
     */
    public static Sgd of(float learningRate) {
        return new Sgd(learningRate, 0f, false, 0f);
    }

    @Override
    public void bind(ParamTable table) {
        if (bound != null && bound != table) {
            // the velocity is sized and laid out for the first table: stepping another would run past it
            throw new IllegalStateException("this SGD already holds the state of another network's parameters; "
                + "use a new optimizer for each trainer");
        }
        bound = table;
        if (momentum != 0f && velocity == null) {
            velocity = table.allocate("sgd-velocity");
            state = List.of(velocity);
        }
    }

    @Override
    public void step(Backend backend, ParamTable table, Slab params, Slab grads, float lr) {
        long p = params.address();
        long g = grads.address();
        long v = velocity == null ? 0 : velocity.address();
        List<ParamEntry> entries = table.entries();
        for (int i = 0; i < entries.size(); i++) {   // indexed: no iterator on the hot path
            ParamEntry e = entries.get(i);
            if (!e.trainable()) {
                continue;
            }
            long off = e.offset() * Float.BYTES;
            backend.sgdStep(p + off, v == 0 ? 0 : v + off, g + off, e.length(), lr * e.learningRateScale(),
                momentum, e.weightDecayed() ? weightDecay : 0f, nesterov);
        }
        steps++;
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

    /** Momentum's velocity: {@code sgd.velocity} (none without momentum). */
    @Override
    public List<String> stateNames() {
        return state.isEmpty() ? List.of() : List.of("sgd.velocity");
    }

    @Override
    public void restoreSteps(long value) {
        steps = value;
    }

    @Override
    public String describe() {
        return "sgd(lr=" + learningRate + ", momentum=" + momentum + ", nesterov=" + nesterov
            + ", weight_decay=" + weightDecay + ")";
    }

    @Override
    public void close() {
        if (velocity != null) {
            velocity.close();
        }
    }
}
