package io.tickgrad.train;

import io.tickgrad.nn.Network;
import io.tickgrad.tensor.Slab;
import java.util.ArrayList;
import java.util.List;

/**
 * A saved copy of a network's parameters and its optimizer's state (slabs and step count), so a guard can roll a
 * bad update back. Capturing and restoring are flat copies that allocate nothing.
 *
 * <p>Threads: the thread that trains, one at a time. Memory: the copies are slabs owned by the snapshot and freed by
 * {@link #close()}.
 */
public final class TrainingSnapshot implements AutoCloseable {
    private final Network net;
    private final Optimizer optimizer;
    private final Slab params;
    private final List<Slab> state = new ArrayList<>();
    private long steps;

    /**
     * Allocates room for {@code net}'s parameters and {@code optimizer}'s state (already bound) and captures them.
     * The copies are off-heap, owned by the snapshot and freed by its {@link #close()}; the network and optimizer are
     * borrowed.
     *
     * @param net       the network to save
     * @param optimizer the optimizer training it, already bound to the network's table
     */
    public TrainingSnapshot(Network net, Optimizer optimizer) {
        this.net = net;
        this.optimizer = optimizer;
        this.params = net.parameters().allocate("snapshot-parameters");
        try {
            for (Slab s : optimizer.state()) {
                state.add(Slab.ofBytes("snapshot-" + s.name(), s.byteLength()));
            }
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
        capture();
    }

    /** Saves the current parameters and optimizer state. */
    public void capture() {
        params.copyFrom(net.parameterSlab());
        List<Slab> live = optimizer.state();
        for (int i = 0; i < live.size(); i++) {
            state.get(i).copyFrom(live.get(i));
        }
        steps = optimizer.steps();
    }

    /** Puts back what {@link #capture()} saved. */
    public void restore() {
        net.parameterSlab().copyFrom(params);
        List<Slab> live = optimizer.state();
        for (int i = 0; i < live.size(); i++) {
            live.get(i).copyFrom(state.get(i));
        }
        optimizer.restoreSteps(steps);
    }

    /**
     * The saved parameters (layout: the network's table).
     *
     * @return the snapshot's own slab; do not close it
     */
    public Slab parameters() {
        return params;
    }

    @Override
    public void close() {
        params.close();
        for (Slab s : state) {
            s.close();
        }
    }
}
