package io.tickgrad.online;

import io.tickgrad.tensor.Slab;
import java.util.SplittableRandom;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The newest {@code capacity} matured samples (rows of {@code width} floats, in a native slab, and their 0/1 labels),
 * from which training batches are drawn uniformly with replacement. The oldest row is overwritten first.
 *
 * <p>Single-threaded (the trainer thread). Allocates nothing after construction; {@link #close()} frees the rows.
 */
public final class SampleWindow implements AutoCloseable {
    private final int width;
    private final Slab rows;
    private final UnsafeBuffer buffer;
    private final float[] labels;
    private int filled;
    private int head;

    /**
     * @param width    floats per sample, at least 1
     * @param capacity samples held, at least 1
     */
    public SampleWindow(int width, int capacity) {
        if (width < 1 || capacity < 1) {
            throw new IllegalArgumentException("sample window: width and capacity must be >= 1, got " + width + " and "
                + capacity);
        }
        this.width = width;
        this.rows = Slab.ofFloats("online-window", (long) capacity * width);
        this.buffer = rows.buffer();
        this.labels = new float[capacity];
    }

    /**
     * Keeps one sample, overwriting the oldest when full.
     *
     * @param values the buffer holding the sample's {@code width} floats
     * @param offset their byte offset in {@code values}
     * @param label  1 (up) or 0 (down); the caller has checked it
     */
    public void add(DirectBuffer values, int offset, int label) {
        buffer.putBytes(head * width * Float.BYTES, values, offset, width * Float.BYTES);
        labels[head] = label;
        head = head + 1 == labels.length ? 0 : head + 1;
        filled = Math.min(filled + 1, labels.length);
    }

    /**
     * Draws {@code batch} samples uniformly (one {@code random.nextInt(filled())} per row, in row order) into
     * {@code input} (batch x width floats) and their targets into {@code targets}: batch x 1 (the label), or
     * batch x 2 ([1 - label, label]) when {@code twoClass}. Needs {@link #filled()} &gt;= 1. Allocates nothing.
     *
     * @param random   the draws' source (seeded from the configuration, so a replay draws the same batches)
     * @param batch    rows to draw
     * @param input    receives batch x width floats
     * @param targets  receives batch x 1 or batch x 2 floats
     * @param twoClass whether the targets are one-hot over two classes
     */
    public void drawBatch(SplittableRandom random, int batch, MutableDirectBuffer input, MutableDirectBuffer targets,
                          boolean twoClass) {
        int rowBytes = width * Float.BYTES;
        for (int i = 0; i < batch; i++) {
            int r = random.nextInt(filled);
            input.putBytes(i * rowBytes, buffer, r * rowBytes, rowBytes);
            float y = labels[r];
            if (twoClass) {
                targets.putFloat((2 * i) * Float.BYTES, 1f - y);
                targets.putFloat((2 * i + 1) * Float.BYTES, y);
            } else {
                targets.putFloat(i * Float.BYTES, y);
            }
        }
    }

    /** @return samples held now, at most the capacity */
    public int filled() {
        return filled;
    }

    /** @return floats per sample */
    public int width() {
        return width;
    }

    /** @return the most samples held */
    public int capacity() {
        return labels.length;
    }

    @Override
    public void close() {
        rows.close();
    }
}
