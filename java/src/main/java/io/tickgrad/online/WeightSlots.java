package io.tickgrad.online;

import io.tickgrad.nn.Network;
import io.tickgrad.tensor.ParamCopy;
import io.tickgrad.tensor.Slab;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Two inference copies of one network and a revision counter: the inference thread predicts on the slot of the
 * latest published revision while the trainer writes the next revision into the other slot, so neither waits for
 * the other and no prediction ever runs on half-written weights.
 *
 * <p>Protocol (one reader thread, one writer thread). Revision {@code r} lives in slot {@code r & 1}.
 * <ul>
 *   <li>Reader, once per tick ({@link #acquire}): load the published revision with acquire semantics; if it
 *       changed, store it in {@code readerRevision} with release semantics. Everything the writer wrote into that
 *       slot before publishing it is visible.</li>
 *   <li>Writer ({@link #tryPublish}): the idle slot {@code (r + 1) & 1} last held revision {@code r - 1}. It may be
 *       overwritten only once the reader has announced {@code r}: the release store of {@code readerRevision}
 *       comes after every use of {@code r - 1} in program order, and the reader never goes back to an older
 *       revision. Until then the publication is refused (the caller retries later; the trainer keeps training).
 *       After writing, store {@code r + 1} with release semantics.</li>
 * </ul>
 * Neither side locks, spins or allocates; the reader's cost is one acquire load (a plain load on x86) per tick.
 *
 * <p>Threads: exactly one publisher thread and one reader thread (they may be the same thread, as in a replay).
 * Misuse is detected off the per-tick path: the first thread to publish owns publishing, and a publication from
 * any other thread throws {@link IllegalStateException} naming both threads; the first thread to take up a new
 * revision owns reading, and another thread that takes up a new revision throws the same way (a second reader that
 * only ever sees the revision it started with is not detected). {@link #close()} only after both have stopped.
 */
public final class WeightSlots implements AutoCloseable {
    private final Network[] slots;
    private final boolean owned;
    private final long version;
    private final AtomicLong published;
    private final AtomicLong readerRevision;
    private long acquired;          // reader-thread only: the revision of the last acquire
    private long refusals;          // writer-thread only
    private final AtomicReference<Thread> reader = new AtomicReference<>();      // took up the first new revision
    private final AtomicReference<Thread> publisher = new AtomicReference<>();   // published first

    private WeightSlots(Network first, Network second, boolean owned, long version, long revision) {
        if (first.inputs() != second.inputs() || first.outputs() != second.outputs()
            || first.parameterSlab().byteLength() != second.parameterSlab().byteLength()) {
            throw new IllegalArgumentException("weight slots need two copies of one architecture, got " + first
                + " and " + second);
        }
        this.slots = new Network[] {first, second};
        this.owned = owned;
        this.version = version;
        this.published = new AtomicLong(revision);
        this.readerRevision = new AtomicLong(revision);
        this.acquired = revision;
    }

    /**
     * Two slots made from {@code first} and {@code second}, which must hold the same weights (revision
     * {@code revision}); the slots own and close both networks.
     *
     * @param first    slot 0's network, served first
     * @param second   slot 1's network, same layout and weights
     * @param version  the model version written into predictions
     * @param revision the revision both hold
     * @return the slots (close them to free both networks)
     */
    public static WeightSlots of(Network first, Network second, long version, long revision) {
        second.copyParametersFrom(first);
        return new WeightSlots(first, second, true, version, revision);
    }

    /**
     * @param network the network to serve; stays the caller's
     * @param version the model version written into predictions
     * @return a single network that is never updated (serving without online learning); it is not closed here
     */
    public static WeightSlots fixed(Network network, long version) {
        return new WeightSlots(network, network, false, version, 0);
    }

    // ---- reader side ----

    /** @return the network holding the latest published revision; call once per tick, on the inference thread */
    public Network acquire() {
        long r = published.getAcquire();
        if (r != acquired) {
            checkReader();   // once per new revision, not per tick
            acquired = r;
            readerRevision.setRelease(r);
        }
        return slots[(int) (r & 1)];
    }

    private void checkReader() {
        Thread t = Thread.currentThread();
        if (reader.get() != t && !reader.compareAndSet(null, t)) {
            throw new IllegalStateException("weight slots: thread " + t.getName() + " takes up a new revision, but "
                + reader.get().getName() + " is their reader; one reader thread only (give each thread its own "
                + "network)");
        }
    }

    /** @return the revision returned by the last {@link #acquire} (inference thread) */
    public long acquiredRevision() {
        return acquired;
    }

    /**
     * @return the version of the weights these slots started from (a checkpoint's hash; see {@link
     *         io.tickgrad.serve.ServingModel})
     */
    public long version() {
        return version;
    }

    // ---- writer side ----

    /**
     * Publishes revision {@code published + 1}: copies {@code copy}'s tensors from {@code source} into the idle
     * slot (the rest of the idle slot already equals the current revision, e.g. a frozen trunk) and releases it.
     * Returns false, copying nothing, while the reader has not yet taken up the current revision. Publisher thread.
     *
     * @param copy   which tensors to copy (the trainable ones), by offset
     * @param source the trained parameters' slab
     * @return whether the revision was published
     * @throws IllegalStateException when called from another thread than the first publisher's
     */
    public boolean tryPublish(ParamCopy copy, Slab source) {
        if (slots[0] == slots[1]) {
            throw new IllegalStateException("fixed weights cannot be published to; build the slots with of()");
        }
        Thread t = Thread.currentThread();
        if (publisher.get() != t && !publisher.compareAndSet(null, t)) {   // the first thread owns publishing
            throw new IllegalStateException("weight slots: thread " + t.getName() + " publishes, but "
                + publisher.get().getName() + " is their publisher; one publisher thread only");
        }
        long r = published.get();
        if (readerRevision.getAcquire() != r) {
            refusals++;
            return false;
        }
        Network idle = slots[(int) ((r + 1) & 1)];
        copy.copy(source, idle.parameterSlab());
        idle.refreshPrecision();   // a bf16 or int8 slot packs the new weights before it is released
        published.setRelease(r + 1);
        return true;
    }

    /** @return the latest published revision (any thread) */
    public long publishedRevision() {
        return published.get();
    }

    /** @return publications refused because the reader had not yet taken up the previous one */
    public long refusals() {
        return refusals;
    }

    /**
     * @param i the slot, 0 or 1
     * @return the network of a slot: for the writer's checkpoints and for tests
     */
    public Network slot(int i) {
        return slots[i];
    }

    /** Closes both networks when the slots own them. */
    @Override
    public void close() {
        if (owned) {
            slots[0].close();
            slots[1].close();
        }
    }
}
