package io.tickgrad.nn.reference;

import io.tickgrad.nativeio.Abi;

/**
 * The reference (double, plain loops) of tg_loss_weighted: the weighted mean of per-sample losses as PyTorch defines
 * it. With sample weights s_b and, for softmax cross-entropy, class weights cw_c:
 * {@code loss = sum_b s_b loss_b / sum_b s_b r_b}, {@code loss_b = -sum_c cw_c t_c log softmax(z)_c},
 * {@code r_b = sum_c cw_c t_c} (for a one-hot target, the weight of its class: CrossEntropyLoss(weight=) divides by
 * the sum of the targets' weights). For binary cross-entropy on logits the column weights are positive-class weights
 * pw_c inside the loss, {@code loss_b = sum_c pw_c t_c softplus(-z_c) + (1 - t_c) softplus(z_c)}, and r_b = 1
 * (BCEWithLogitsLoss(pos_weight=) divides by the count). A normaliser of 0 gives loss 0 and a zero gradient.
 */
public final class ReferenceWeightedLoss {
    private ReferenceWeightedLoss() {
    }

    /**
     * The weighted loss of a batch, and optionally its gradient.
     *
     * @param grad          [B, C] nullable, overwritten with d loss / d pred
     * @param pred          the predictions (logits), batch x cols
     * @param target        the targets, batch x cols
     * @param sampleWeights [B] nullable (all 1)
     * @param columnWeights [C] nullable: class weights (softmax cross-entropy) or positive-class weights (binary
     *                      cross-entropy on logits); other kinds take none
     * @param batch         rows B
     * @param cols          columns C per row
     * @param kind          an {@code Abi.LOSS_*} code
     * @param param         the loss's parameter (BCE probability clip, Huber delta)
     * @return the loss, in double
     * @throws IllegalArgumentException when column weights are given for another kind
     */
    public static double loss(double[] grad, double[] pred, double[] target, double[] sampleWeights,
                              double[] columnWeights, int batch, int cols, int kind, float param) {
        if (columnWeights == null) {
            return unitColumnWeights(grad, pred, target, sampleWeights, batch, cols, kind, param);
        }
        if (kind != Abi.LOSS_SOFTMAX_XENT && kind != Abi.LOSS_BCE_LOGITS) {
            throw new IllegalArgumentException("loss kind " + kind + " takes no column weights");
        }
        boolean classWeighted = kind == Abi.LOSS_SOFTMAX_XENT;
        double norm = 0;
        for (int b = 0; b < batch; b++) {
            double r = 1;
            if (classWeighted) {
                r = 0;
                for (int c = 0; c < cols; c++) {
                    r += columnWeights[c] * target[b * cols + c];
                }
            }
            norm += (sampleWeights == null ? 1 : sampleWeights[b]) * r;
        }
        if (norm == 0) {
            return zero(grad, batch, cols);
        }
        double total = 0;
        for (int b = 0; b < batch; b++) {
            double s = sampleWeights == null ? 1 : sampleWeights[b];
            int row = b * cols;
            double rowLoss = 0;
            if (classWeighted) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < cols; c++) {
                    max = Math.max(max, pred[row + c]);
                }
                double sumExp = 0;
                double weightedMass = 0;
                for (int c = 0; c < cols; c++) {
                    sumExp += Math.exp(pred[row + c] - max);
                    weightedMass += columnWeights[c] * target[row + c];
                }
                double lse = max + Math.log(sumExp);
                for (int c = 0; c < cols; c++) {
                    double wt = columnWeights[c] * target[row + c];
                    rowLoss += wt * (lse - pred[row + c]);
                    if (grad != null) {
                        grad[row + c] = s / norm * (Math.exp(pred[row + c] - lse) * weightedMass - wt);
                    }
                }
            } else {
                for (int c = 0; c < cols; c++) {
                    double z = pred[row + c];
                    double t = target[row + c];
                    double pw = columnWeights[c];
                    double softplus = Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
                    rowLoss += pw * t * (softplus - z) + (1 - t) * softplus;
                    if (grad != null) {
                        double sig = 1 / (1 + Math.exp(-z));
                        grad[row + c] = s / norm * (sig * (pw * t + 1 - t) - pw * t);
                    }
                }
            }
            total += s * rowLoss;
        }
        return total / norm;
    }

    /** Without column weights: {@link ReferenceKernels#loss} rescaled from 1/B to 1/sum(s). */
    private static double unitColumnWeights(double[] grad, double[] pred, double[] target, double[] sampleWeights,
                                            int batch, int cols, int kind, float param) {
        double norm = 0;
        for (int b = 0; b < batch; b++) {
            norm += sampleWeights == null ? 1 : sampleWeights[b];
        }
        if (norm == 0) {
            return zero(grad, batch, cols);
        }
        double value = ReferenceKernels.loss(grad, 0, pred, 0, target, 0, sampleWeights, 0, batch, cols, kind, param);
        double rescale = batch / norm;
        if (grad != null) {
            for (int i = 0; i < batch * cols; i++) {
                grad[i] *= rescale;
            }
        }
        return value * rescale;
    }

    private static double zero(double[] grad, int batch, int cols) {
        if (grad != null) {
            java.util.Arrays.fill(grad, 0, batch * cols, 0.0);
        }
        return 0;
    }
}
