package io.tickgrad.train;

import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Layer;
import io.tickgrad.nn.Network;
import java.util.ArrayList;
import java.util.List;

/**
 * Featurize (Deeplearning4j's term): run the frozen prefix of a network once over a dataset and cache its
 * outputs, so head-only epochs cost only the head. The network is split at its first trainable layer; the head
 * network shares tensor names with the full one, so its trained weights copy back by name.
 *
 * <p>Runs on the caller's thread; the full network is borrowed (not closed), and the head network it makes belongs to
 * the caller.
 */
public final class Featurizer {
    private final Network full;
    private final int split;

    /**
     * Splits {@code full} at its first trainable layer.
     *
     * @param full the network with a frozen prefix; borrowed, used only from the caller's thread
     * @throws IllegalArgumentException when every layer is frozen
     */
    public Featurizer(Network full) {
        this.full = full;
        this.split = full.firstTrainableLayer();
        if (split >= full.layers().size()) {
            throw new IllegalArgumentException("every layer is frozen: nothing to train after featurizing");
        }
    }

    /**
     * Index of the first layer of the head (the first trainable layer).
     *
     * @return the layer index
     */
    public int splitIndex() {
        return split;
    }

    /**
     * Width of the cached features (the frozen prefix's output, or the network input if nothing is frozen).
     *
     * @return floats per cached feature row
     */
    public int featureWidth() {
        return split == 0 ? full.inputs() : full.layers().get(split - 1).outFeatures();
    }

    /**
     * The frozen prefix's outputs for every row (predict mode), with the same targets.
     *
     * @param data the samples at the full network's input width
     * @return a new dataset of rows x {@link #featureWidth()} features
     */
    public Dataset featurize(Dataset data) {
        if (split == 0) {
            return data;
        }
        List<Layer> prefix = new ArrayList<>(full.layers().subList(0, split));
        try (Network trunk = Network.create(full.inputs(), prefix, full.backend(), full.maxBatch())) {
            TransferLearning.copyMatchingParameters(full, trunk);
            float[] features = Fitter.predict(trunk, data.features(), data.rows());
            return data.withFeatures(features, trunk.outputs());
        }
    }

    /**
     * A network made of the trainable head alone, with the full network's current head weights.
     *
     * @param backend  the backend of the head network (borrowed)
     * @param maxBatch its row capacity
     * @return a new network owned by the caller (free it with {@link Network#close()})
     */
    public Network headNetwork(Backend backend, int maxBatch) {
        List<Layer> head = new ArrayList<>(full.layers().subList(split, full.layers().size()));
        Network net = Network.create(featureWidth(), head, backend, maxBatch);
        TransferLearning.copyMatchingParameters(full, net);
        return net;
    }

    /**
     * Copies the trained head's weights back into the full network.
     *
     * @param head the network made by {@link #headNetwork}, after training
     */
    public void copyBack(Network head) {
        TransferLearning.copyMatchingParameters(head, full);
    }
}
