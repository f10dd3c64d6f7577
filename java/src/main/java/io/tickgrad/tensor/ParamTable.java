package io.tickgrad.tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The layout of every parameter tensor of a network in one flat slab: name, shape, offset, trainable.
 *
 * <p>The parameter slab, the gradient slab and each optimizer-state slab all use this one layout, so an
 * optimizer step is a flat loop per tensor and freezing is a flag in the table, not a wrapper object.
 * Every tensor starts on a 64-byte boundary.
 *
 * <p>Threads: the layout is fixed once built; the trainable, learning-rate and weight-decay flags of its entries may
 * change, but only while no thread trains the network. A table holds no native memory itself: {@link #allocate} hands
 * out slabs the caller owns.
 */
public final class ParamTable {
    private final List<ParamEntry> entries;
    private final Map<String, ParamEntry> byName;
    private final long totalFloats;

    private ParamTable(List<ParamEntry> entries, long totalFloats) {
        this.entries = Collections.unmodifiableList(entries);
        Map<String, ParamEntry> map = new LinkedHashMap<>();
        for (ParamEntry e : entries) {
            map.put(e.name(), e);
        }
        this.byName = Collections.unmodifiableMap(map);
        this.totalFloats = totalFloats;
    }

    /**
     * Starts an empty layout.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The tensors in layout order.
     *
     * @return an unmodifiable list
     */
    public List<ParamEntry> entries() {
        return entries;
    }

    /**
     * The entry with this name, or null.
     *
     * @param name the tensor's name
     * @return the entry
     */
    public ParamEntry get(String name) {
        return byName.get(name);
    }

    /**
     * Floats a slab needs to hold every tensor (at least one, so an empty table still gets a slab).
     *
     * @return floats, alignment padding included
     */
    public long totalFloats() {
        return Math.max(totalFloats, Slab.ALIGNMENT_FLOATS);
    }

    /**
     * Number of parameter values (without alignment padding).
     *
     * @return the count
     */
    public long parameterCount() {
        long n = 0;
        for (ParamEntry e : entries) {
            n += e.length();
        }
        return n;
    }

    /**
     * Number of values in trainable tensors.
     *
     * @return the count
     */
    public long trainableParameterCount() {
        long n = 0;
        for (ParamEntry e : entries) {
            if (e.trainable()) {
                n += e.length();
            }
        }
        return n;
    }

    /**
     * Allocates a zeroed slab with this layout.
     *
     * @param slabName the slab's name, for messages
     * @return a new slab of {@link #totalFloats()} floats; the caller owns it and frees it with {@link Slab#close()}
     */
    public Slab allocate(String slabName) {
        return Slab.ofFloats(slabName, totalFloats());
    }

    /** Collects entries in order; each gets the next 64-byte-aligned offset. */
    public static final class Builder {
        private final List<ParamEntry> entries = new ArrayList<>();
        private final Map<String, ParamEntry> names = new LinkedHashMap<>();
        private long next;

        /**
         * Adds a tensor at the next 64-byte-aligned offset.
         *
         * @param name  a name unique in the table
         * @param shape the dimensions, each at least 1
         * @return the entry
         * @throws IllegalArgumentException when the name repeats or a dimension is below 1
         */
        public ParamEntry add(String name, int... shape) {
            if (names.containsKey(name)) {
                throw new IllegalArgumentException("duplicate parameter name '" + name + "'");
            }
            for (int d : shape) {
                if (d < 1) {
                    throw new IllegalArgumentException("parameter '" + name + "': every dimension must be >= 1");
                }
            }
            ParamEntry e = new ParamEntry(name, shape, next);
            next = Slab.alignFloats(next + e.length());
            entries.add(e);
            names.put(name, e);
            return e;
        }

        /**
         * The layout of the tensors added so far.
         *
         * @return the table
         */
        public ParamTable build() {
            return new ParamTable(new ArrayList<>(entries), next);
        }
    }
}
