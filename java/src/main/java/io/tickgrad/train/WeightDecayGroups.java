package io.tickgrad.train;

import io.tickgrad.nn.Dense;
import io.tickgrad.nn.Layer;
import io.tickgrad.nn.LayerNorm;
import io.tickgrad.nn.Network;
import io.tickgrad.tensor.ParamEntry;

/**
 * Which tensors the optimizer's weight decay applies to: PyTorch's optimizers decay every parameter they are given;
 * the usual practice for AdamW (Hugging Face's Trainer, nanoGPT) puts biases and normalisation parameters in a
 * group with {@code weight_decay = 0}. These set {@link ParamEntry#weightDecayed()} on a network's tensors; the
 * optimizers read it at every step, so set it before training.
 */
public final class WeightDecayGroups {
    private WeightDecayGroups() {
    }

    /**
     * Excludes every dense layer's bias and every layer norm's gamma and beta from weight decay (dense kernels keep
     * it); returns how many tensors were excluded.
     *
     * @param net the network whose table flags change (before training)
     * @return the number of tensors excluded
     */
    public static int excludeBiasesAndNormalisation(Network net) {
        int excluded = 0;
        for (Layer layer : net.layers()) {
            if (layer instanceof Dense) {
                excluded += exclude(net, layer.name() + ".bias");
            } else if (layer instanceof LayerNorm) {
                excluded += exclude(net, layer.name() + ".gamma");
                excluded += exclude(net, layer.name() + ".beta");
            }
        }
        return excluded;
    }

    /**
     * Sets whether weight decay applies to every tensor of the named layer.
     *
     * @param net       the network
     * @param layerName the layer's name
     * @param decayed   whether the optimizer's weight decay applies to its tensors
     * @throws IllegalArgumentException when no layer with parameters has that name
     */
    public static void setWeightDecayed(Network net, String layerName, boolean decayed) {
        boolean found = false;
        for (ParamEntry e : net.parameters().entries()) {
            if (e.name().startsWith(layerName + ".")) {
                e.setWeightDecayed(decayed);
                found = true;
            }
        }
        if (!found) {
            throw new IllegalArgumentException("no layer with parameters named '" + layerName + "'");
        }
    }

    private static int exclude(Network net, String tensor) {
        ParamEntry e = net.parameters().get(tensor);
        if (e == null) {
            return 0;   // a dense layer without a bias
        }
        e.setWeightDecayed(false);
        return 1;
    }
}
