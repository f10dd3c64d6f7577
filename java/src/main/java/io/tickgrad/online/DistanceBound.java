package io.tickgrad.online;

import io.tickgrad.nn.Network;
import io.tickgrad.tensor.ParamEntry;
import io.tickgrad.tensor.Slab;
import io.tickgrad.train.TransferLearning;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Keeps the trainable weights of a trained network within an L2 distance (over every trainable tensor together) of
 * the weights learning started from, or of an anchor's: the base model a restart began from, so that restarts cannot
 * add up to more drift than the bound allows. Weights farther away are pulled back onto that sphere.
 *
 * <p>Single-threaded (the trainer thread); allocates nothing after construction. {@link #close()} frees the saved
 * start weights; the network stays the caller's.
 */
public final class DistanceBound implements AutoCloseable {
    private final Network net;
    private final Slab start;
    private final List<ParamEntry> trainable;
    private final double maxDistance;
    private long projected;

    private DistanceBound(Network net, Slab start, double maxDistance) {
        this.net = net;
        this.start = start;
        this.maxDistance = maxDistance;
        List<ParamEntry> tr = new ArrayList<>();
        for (ParamEntry e : net.parameters().entries()) {
            if (e.trainable()) {
                tr.add(e);
            }
        }
        this.trainable = List.copyOf(tr);
    }

    /**
     * A bound around {@code trained}'s current weights (copied from {@code serving}), or around {@code anchor}'s
     * (matched by name and shape) when an anchor is given; then {@code serving}'s weights, trainable flags and
     * learning-rate scales are put back into {@code trained}. {@code serving} and {@code anchor} are only read.
     *
     * @param trained     the network being trained (its trainable tensors are bounded); its weights are overwritten
     * @param serving     the network whose weights, flags and scales {@code trained} starts from; only read
     * @param anchor      the network the bound is centred on, or null for {@code trained}'s current weights; only read
     * @param maxDistance the bound, an L2 distance over the trainable weights; 0: none (only the distance is measured)
     * @return the bound, holding a copy of the centre's weights in an off-heap slab freed by {@link #close()}
     * @throws IllegalArgumentException when {@code anchor} lacks a tensor of {@code trained}, by name and shape
     */
    public static DistanceBound around(Network trained, Network serving, Network anchor, double maxDistance) {
        Slab start = trained.parameters().allocate("online-start");
        try {
            if (anchor != null) {
                // the anchor's weights pass through the trained network once, then the serving weights return
                int copied = TransferLearning.copyMatchingParameters(anchor, trained);
                if (copied != trained.parameters().entries().size()) {
                    throw new IllegalArgumentException("online learning: the base model " + anchor + " lacks some of "
                        + "the trained tensors " + trained.parameters().entries().stream().map(ParamEntry::name)
                        .toList() + " (by name and shape); it must be the model the checkpoints were trained from");
                }
                start.copyFrom(trained.parameterSlab());
                TransferLearning.copyMatchingParameters(serving, trained);
            } else {
                start.copyFrom(trained.parameterSlab());
            }
            return new DistanceBound(trained, start, maxDistance);
        } catch (RuntimeException | Error e) {
            start.close();
            throw e;
        }
    }

    /**
     * Pulls the trainable weights back onto the sphere when they are farther than the bound (no bound: nothing).
     *
     * @return whether they were pulled back
     */
    public boolean apply() {
        if (maxDistance <= 0) {
            return false;
        }
        double distance = distance();
        if (distance <= maxDistance) {
            return false;
        }
        UnsafeBuffer p = net.parameterSlab().buffer();
        UnsafeBuffer s = start.buffer();
        double f = maxDistance / distance;
        for (int k = 0; k < trainable.size(); k++) {
            ParamEntry e = trainable.get(k);
            int base = (int) (e.offset() * Float.BYTES);
            for (long i = 0; i < e.length(); i++) {
                int at = base + (int) i * Float.BYTES;
                float st = s.getFloat(at);
                p.putFloat(at, (float) (st + (p.getFloat(at) - st) * f));
            }
        }
        projected++;
        return true;
    }

    /** @return the L2 distance of the trainable weights from the start (or anchor) weights */
    public double distance() {
        UnsafeBuffer p = net.parameterSlab().buffer();
        UnsafeBuffer s = start.buffer();
        double sum = 0;
        for (int k = 0; k < trainable.size(); k++) {   // indexed: no iterator on the trainer's path
            ParamEntry e = trainable.get(k);
            int base = (int) (e.offset() * Float.BYTES);
            for (long i = 0; i < e.length(); i++) {
                int at = base + (int) i * Float.BYTES;
                double d = p.getFloat(at) - s.getFloat(at);
                sum += d * d;
            }
        }
        return Math.sqrt(sum);
    }

    /** @return times the weights were pulled back */
    public long projected() {
        return projected;
    }

    /** @return the trainable tensors of the trained network, in table order */
    public List<ParamEntry> trainable() {
        return trainable;
    }

    @Override
    public void close() {
        start.close();
    }
}
