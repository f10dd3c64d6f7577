package io.tickgrad.train;

import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Dense;
import io.tickgrad.nn.Layer;
import io.tickgrad.nn.Network;
import io.tickgrad.tensor.ParamEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * Transfer-learning operations on a pretrained {@link Network} (Deeplearning4j's vocabulary): remove the head,
 * add a new one, freeze the trunk as a feature extractor, and copy weights by name between networks.
 */
public final class TransferLearning {
    private TransferLearning() {
    }

    /**
     * The layers before the last Dense layer (the pretrained trunk), as unbound copies.
     *
     * @param pretrained the network to take the trunk from
     * @return the unbound copies, in order
     * @throws IllegalArgumentException when the network has no layer before its last dense layer
     */
    public static List<Layer> trunk(Network pretrained) {
        List<Layer> layers = pretrained.layers();
        int lastDense = -1;
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof Dense) {
                lastDense = i;
            }
        }
        if (lastDense <= 0) {
            throw new IllegalArgumentException("the network has no trunk before its last dense layer: " + pretrained);
        }
        List<Layer> trunk = new ArrayList<>();
        for (int i = 0; i < lastDense; i++) {
            trunk.add(layers.get(i).copy());
        }
        return trunk;
    }

    /**
     * A new network: the pretrained trunk (its weights copied, its trainable flags kept) with {@code head} on top
     * (Keras-initialised from {@code seed}, trainable).
     *
     * @param pretrained the source network (read only)
     * @param head       the new output head
     * @param backend    the backend of the new network (borrowed)
     * @param maxBatch   the new network's row capacity
     * @param seed       the seed of the head's initial weights
     * @return a new network owned by the caller (free it with {@link Network#close()})
     */
    public static Network replaceHead(Network pretrained, Head head, Backend backend, int maxBatch, long seed) {
        List<Layer> layers = trunk(pretrained);
        String prefix = uniqueHeadPrefix(pretrained);
        layers.addAll(head.layers(prefix));
        Network net = Network.create(pretrained.inputs(), layers, backend, maxBatch);
        try {
            net.initialize(seed);
            copyMatchingParameters(pretrained, net);
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
        return net;
    }

    private static String uniqueHeadPrefix(Network net) {
        String prefix = "head_";
        int k = 1;
        while (containsPrefix(net, prefix)) {
            prefix = "head" + (++k) + "_";
        }
        return prefix;
    }

    private static boolean containsPrefix(Network net, String prefix) {
        for (Layer l : net.layers()) {
            if (l.name().startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Copies every tensor that exists in both networks under the same name and shape, with its trainable flag
     * learning-rate scale and weight-decay flag; returns how many tensors were copied.
     *
     * @param from the source network
     * @param to   the destination network
     * @return the number of tensors copied
     */
    public static int copyMatchingParameters(Network from, Network to) {
        int copied = 0;
        for (ParamEntry e : to.parameters().entries()) {
            ParamEntry src = from.parameters().get(e.name());
            if (src != null && java.util.Arrays.equals(src.shape(), e.shape())) {
                to.setParameter(e.name(), from.getParameter(e.name()));
                e.setTrainable(src.trainable());
                e.setLearningRateScale(src.learningRateScale());
                e.setWeightDecayed(src.weightDecayed());
                copied++;
            }
        }
        return copied;
    }

    /**
     * Sets a per-layer learning-rate multiplier on every tensor of the named layer.
     *
     * @param net       the network
     * @param layerName the layer whose tensors get the multiplier
     * @param scale     the multiplier of the optimizer's learning rate (0 stops the layer learning without freezing it)
     * @throws IllegalArgumentException when no layer with parameters has that name
     */
    public static void setLearningRateScale(Network net, String layerName, float scale) {
        boolean found = false;
        for (ParamEntry e : net.parameters().entries()) {
            if (e.name().startsWith(layerName + ".")) {
                e.setLearningRateScale(scale);
                found = true;
            }
        }
        if (!found) {
            throw new IllegalArgumentException("no layer with parameters named '" + layerName + "'");
        }
    }
}
