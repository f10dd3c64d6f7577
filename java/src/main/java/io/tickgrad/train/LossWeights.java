package io.tickgrad.train;

import io.tickgrad.nativeio.Abi;
import java.util.Arrays;

/**
 * How a {@link Trainer} weighs its loss, the way PyTorch does: the loss is the weighted MEAN
 * {@code sum_b s_b loss_b / sum_b s_b r_b}, with s_b the sample weights (all 1 unless a step is weighted) and
 * r_b the weight of sample b's target class under class weights ({@code sum_c cw_c t_c}; 1 without class weights).
 *
 * <ul>
 *   <li>{@link #classWeights}: per-class weights for softmax cross-entropy, as {@code CrossEntropyLoss(weight=)}:
 *       {@code loss_b = -sum_c cw_c t_c log softmax(z)_c}, and the mean divides by the sum of the targets' weights
 *       (not by the batch size).</li>
 *   <li>{@link #positiveClassWeight}: a weight on the positive term of binary cross-entropy on logits, as
 *       {@code BCEWithLogitsLoss(pos_weight=)}: {@code loss_b = -(pw t log sigmoid(z) + (1 - t) log(1 - sigmoid(z)))};
 *       the mean still divides by the count (or the sum of the sample weights).</li>
 *   <li>{@link #sampleWeighted}: sample weights only (a sample_weight column): {@code sum s_b loss_b / sum s_b}.</li>
 * </ul>
 *
 * A mini-batch whose weights sum to 0 contributes a zero loss and gradient. Immutable.
 */
public final class LossWeights {
    private final float[] columnWeights;   // null: none
    private final boolean classes;

    private LossWeights(float[] columnWeights, boolean classes) {
        this.columnWeights = columnWeights;
        this.classes = classes;
    }

    /**
     * No class or positive-class weights: the weighted mean over the sample weights alone.
     *
     * @return the weighting
     */
    public static LossWeights sampleWeighted() {
        return new LossWeights(null, false);
    }

    /**
     * Per-class weights for softmax cross-entropy, one per output in output order.
     *
     * @param weights one weight per class, finite and &gt;= 0, not all 0 (copied)
     * @return the weighting
     * @throws IllegalArgumentException if a weight is negative or not finite, or all are 0
     */
    public static LossWeights classWeights(float... weights) {
        if (weights.length < 1) {
            throw new IllegalArgumentException("class weights: none given; expected one per class");
        }
        boolean any = false;
        for (int c = 0; c < weights.length; c++) {
            requireWeight("class weight " + c, weights[c]);
            any |= weights[c] > 0;
        }
        if (!any) {
            throw new IllegalArgumentException("class weights: every weight is 0, so no sample would count; "
                + "expected at least one weight > 0");
        }
        return new LossWeights(weights.clone(), true);
    }

    /**
     * A weight on the positive (t = 1) term of binary cross-entropy on logits, for every output column.
     *
     * @param weight the factor, e.g. negatives / positives to balance the classes
     * @return the weighting
     * @throws IllegalArgumentException unless the weight is finite and &gt; 0
     */
    public static LossWeights positiveClassWeight(float weight) {
        if (!(weight > 0 && Float.isFinite(weight))) {
            throw new IllegalArgumentException("positive-class weight: found " + weight + "; expected a finite "
                + "number > 0 (1 = unweighted)");
        }
        return new LossWeights(new float[] {weight}, false);
    }

    /** Refuses a sample or class weight that is negative, NaN or infinite. */
    static void requireWeight(String what, float w) {
        if (!(w >= 0 && Float.isFinite(w))) {
            throw new IllegalArgumentException(what + ": found " + w + "; expected a finite number >= 0");
        }
    }

    /**
     * Whether these are class weights (softmax cross-entropy).
     *
     * @return true when made by {@link #classWeights}
     */
    public boolean hasClassWeights() {
        return columnWeights != null && classes;
    }

    /**
     * Whether this is a positive-class weight (binary cross-entropy on logits).
     *
     * @return true when made by {@link #positiveClassWeight}
     */
    public boolean hasPositiveClassWeight() {
        return columnWeights != null && !classes;
    }

    /**
     * A copy of the class weights, or of the one positive-class weight; empty when neither.
     *
     * @return a new array
     */
    public float[] weights() {
        return columnWeights == null ? new float[0] : columnWeights.clone();
    }

    /**
     * The column weights for a loss on {@code outputs} columns (tg_loss_weighted's column_weights), or null.
     *
     * @throws IllegalArgumentException when the weights do not fit this loss or this many outputs
     */
    float[] columnWeightsFor(Loss loss, int outputs) {
        if (columnWeights == null) {
            return null;
        }
        if (classes) {
            if (loss.kind() != Abi.LOSS_SOFTMAX_XENT) {
                throw new IllegalArgumentException("class weights are for softmax cross-entropy, not loss " + loss
                    + "; expected --loss softmax_xent (for a binary sigmoid output use a positive-class weight)");
            }
            if (columnWeights.length != outputs) {
                throw new IllegalArgumentException("class weights: found " + columnWeights.length + " for a model with "
                    + outputs + " classes; expected one per class");
            }
            return columnWeights.clone();
        }
        if (loss.kind() != Abi.LOSS_BCE_LOGITS) {
            throw new IllegalArgumentException("a positive-class weight is for binary cross-entropy on logits, not "
                + "loss " + loss + "; expected --loss bce_logits (for softmax use class weights)");
        }
        float[] perColumn = new float[outputs];
        Arrays.fill(perColumn, columnWeights[0]);
        return perColumn;
    }

    @Override
    public String toString() {
        if (columnWeights == null) {
            return "sample weights";
        }
        return classes ? "class weights " + Arrays.toString(columnWeights) : "pos_weight " + columnWeights[0];
    }
}
