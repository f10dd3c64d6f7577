package io.tickgrad.tensor;

import java.util.Arrays;

/**
 * One named parameter tensor in a {@link ParamTable}: its shape, its float offset in the table's
 * slabs (parameters, gradients and optimizer state share the layout), and whether it is trained.
 */
public final class ParamEntry {
    private final String name;
    private final int[] shape;
    private final long offset;
    private final long length;
    private boolean trainable = true;
    private float learningRateScale = 1.0f;
    private boolean weightDecayed = true;

    ParamEntry(String name, int[] shape, long offset) {
        this.name = name;
        this.shape = shape.clone();
        this.offset = offset;
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        this.length = n;
    }

    public String name() {
        return name;
    }

    public int[] shape() {
        return shape.clone();
    }

    /** Offset of the first float, in floats from the start of the slab; 64-byte aligned. */
    public long offset() {
        return offset;
    }

    /** Number of floats. */
    public long length() {
        return length;
    }

    public boolean trainable() {
        return trainable;
    }

    public void setTrainable(boolean trainable) {
        this.trainable = trainable;
    }

    /** Multiplies the optimizer's learning rate for this tensor (per-layer learning rates); default 1. */
    public float learningRateScale() {
        return learningRateScale;
    }

    public void setLearningRateScale(float scale) {
        if (!(scale >= 0 && Float.isFinite(scale))) {
            throw new IllegalArgumentException("learning-rate scale of '" + name + "' must be finite and >= 0, got " + scale);
        }
        this.learningRateScale = scale;
    }

    /**
     * Whether the optimizer's weight decay applies to this tensor (a per-parameter group, as in PyTorch's
     * {@code param_groups}); default true. Biases and normalisation parameters are usually excluded.
     */
    public boolean weightDecayed() {
        return weightDecayed;
    }

    public void setWeightDecayed(boolean value) {
        this.weightDecayed = value;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + "@" + offset + (trainable ? "" : " (frozen)");
    }
}
