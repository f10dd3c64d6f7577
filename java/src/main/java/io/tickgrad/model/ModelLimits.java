package io.tickgrad.model;

import io.tickgrad.nn.Dense;
import io.tickgrad.nn.Dropout;
import io.tickgrad.nn.Layer;
import io.tickgrad.nn.LayerNorm;

/**
 * Sizes of a network computed from its architecture before anything is allocated, and the limits a model file or
 * an option is held to, so that a few bytes of metadata or a large {@code --batch} never make the JVM allocate
 * gigabytes before refusing.
 *
 * <p>Every slab holds at most {@link #MAX_SLAB_FLOATS} floats (2 GiB). A width that no tensor of the file backs
 * (the input width of a network whose first layer with parameters is not a dense layer reading it) is capped at
 * {@link #MAX_UNBACKED_WIDTH}: nothing in the file pays for it, so it must stay small.
 */
public final class ModelLimits {
    /** The most floats one slab (parameters, gradients, activations) holds: 2 GiB of float32. */
    public static final long MAX_SLAB_FLOATS = Integer.MAX_VALUE / Float.BYTES;
    /** The widest input that no tensor of the model file backs. */
    public static final int MAX_UNBACKED_WIDTH = 1 << 20;

    private ModelLimits() {
    }

    /**
     * Floats of parameters a network of {@code arch} has (one slab; gradients have as many).
     *
     * @param arch the architecture
     * @return the number of parameter floats
     */
    public static long parameterFloats(Architecture arch) {
        long total = 0;
        long width = arch.inputs();
        for (Layer layer : arch.layers()) {
            if (layer instanceof Dense d) {
                total += width * d.units() + (d.useBias() ? d.units() : 0);
                width = d.units();
            } else if (layer instanceof LayerNorm) {
                total += 2 * width;
            }
        }
        return total;
    }

    /**
     * Floats of activations per batch row, an upper bound of what {@code Network} lays out (input, every layer's
     * output and scratch, two gradient buffers of the widest layer), without alignment padding.
     *
     * @param arch the architecture
     * @return floats per batch row
     */
    public static long activationFloatsPerRow(Architecture arch) {
        long width = arch.inputs();
        long max = width;
        long total = width;
        for (Layer layer : arch.layers()) {
            long in = width;
            if (layer instanceof Dense d) {
                width = d.units();
            }
            total += width;
            if (layer instanceof Dropout) {
                total += in;
            } else if (layer instanceof LayerNorm) {
                total += 2;
            }
            max = Math.max(max, width);
        }
        return total + 2 * max;
    }

    /**
     * The largest batch whose activations fit one slab (at least 0), leaving room for alignment padding.
     *
     * @param arch the architecture
     * @return the largest batch
     */
    public static int maxBatch(Architecture arch) {
        long perRow = activationFloatsPerRow(arch) + 16L * (arch.layers().size() + 3);
        return (int) Math.min(Integer.MAX_VALUE, MAX_SLAB_FLOATS / Math.max(1, perRow));
    }

    /**
     * Refuses an input width that no tensor backs when it exceeds {@link #MAX_UNBACKED_WIDTH}: the first layer with
     * parameters of {@code arch} backs the input width only when it is a dense layer (its kernel holds a row per
     * input) or a layer normalisation whose tensors are in the file ({@code normBacked}).
     *
     * @param arch       the architecture read from the file
     * @param normBacked whether a first layer norm's tensors were found in the file
     * @param source     the file, for the message
     * @param field      the field holding the width, for the message
     * @throws IllegalArgumentException when the width is unbacked and too large
     */
    public static void requireBackedInput(Architecture arch, boolean normBacked, String source, String field) {
        if (arch.inputs() <= MAX_UNBACKED_WIDTH) {
            return;
        }
        for (Layer layer : arch.layers()) {
            if (layer instanceof Dense) {
                return;
            }
            if (layer instanceof LayerNorm) {
                if (normBacked) {
                    return;
                }
                break;
            }
        }
        throw new IllegalArgumentException(source + ": " + field + ": an input width of " + arch.inputs()
            + " that no weight tensor of the file backs; expected at most " + MAX_UNBACKED_WIDTH
            + " (or a first dense layer whose kernel has a row per input)");
    }
}
