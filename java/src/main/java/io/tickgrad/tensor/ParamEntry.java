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

    /**
     * The tensor's name, {@code <layer>.<param>}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The tensor's dimensions, outermost first (a dense weight is [in, out], row-major).
     *
     * @return a copy
     */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * Offset of the first float, in floats from the start of the slab; 64-byte aligned.
     *
     * @return the float offset
     */
    public long offset() {
        return offset;
    }

    /**
     * Number of floats.
     *
     * @return the product of the shape
     */
    public long length() {
        return length;
    }

    /**
     * Whether training updates this tensor (false: frozen).
     *
     * @return the flag
     */
    public boolean trainable() {
        return trainable;
    }

    /**
     * Freezes or unfreezes the tensor. Not while another thread trains the network.
     *
     * @param trainable true to train it
     */
    public void setTrainable(boolean trainable) {
        this.trainable = trainable;
    }

    /**
     * Multiplies the optimizer's learning rate for this tensor (per-layer learning rates); default 1.
     *
     * @return the multiplier
     */
    public float learningRateScale() {
        return learningRateScale;
    }

    /**
     * Sets the learning-rate multiplier of this tensor.
     *
     * @param scale finite and &gt;= 0 (0 stops it learning)
     * @throws IllegalArgumentException when the scale is negative or not finite
     */
    public void setLearningRateScale(float scale) {
        if (!(scale >= 0 && Float.isFinite(scale))) {
            throw new IllegalArgumentException("learning-rate scale of '" + name + "' must be finite and >= 0, got " + scale);
        }
        this.learningRateScale = scale;
    }

    /**
     * Whether the optimizer's weight decay applies to this tensor (a per-parameter group, as in PyTorch's
     * {@code param_groups}); default true. Biases and normalisation parameters are usually excluded.
     *
     * @return the flag
     */
    public boolean weightDecayed() {
        return weightDecayed;
    }

    /**
     * Sets whether weight decay applies to this tensor.
     *
     * @param value true to decay it
     */
    public void setWeightDecayed(boolean value) {
        this.weightDecayed = value;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + "@" + offset + (trainable ? "" : " (frozen)");
    }
}
