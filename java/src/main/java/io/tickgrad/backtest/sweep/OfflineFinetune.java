package io.tickgrad.backtest.sweep;

import io.tickgrad.market.FeatureSpec;
import io.tickgrad.market.LabelSpec;
import io.tickgrad.market.TickSource;
import io.tickgrad.nn.Activation;
import io.tickgrad.nn.ActivationLayer;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Layer;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.Softmax;
import io.tickgrad.train.Adam;
import io.tickgrad.train.Dataset;
import io.tickgrad.train.Featurizer;
import io.tickgrad.train.FitOptions;
import io.tickgrad.train.Fitter;
import io.tickgrad.train.Loss;
import io.tickgrad.train.MarketSamples;
import io.tickgrad.train.Trainer;

/**
 * The fine-tuned offline arm's training: samples every {@code stride}-th valid tick of the training span through the
 * model's own feature pipeline, labels each at the horizon (a label must mature inside the span, so nothing from
 * the evaluation window leaks in; dead-zone moves give no sample), and trains the network's trainable layers with
 * Adam (the frozen prefix is featurized once). Deterministic for a given seed and instruction set.
 */
final class OfflineFinetune {
    private OfflineFinetune() {
    }

    /** Fine-tunes {@code net} in place and returns the number of training samples. */
    static int run(Network net, FeatureSpec spec, LabelSpec label, TickSource source, long fromNs, long toNs,
                   int stride, double lr, int epochs, int batch, long seed, Backend backend) {
        Dataset data = samples(spec, label, source, fromNs, toNs, stride);
        if (data.rows() < batch) {
            throw new IllegalArgumentException("fine-tuning: " + data.rows() + " labelled samples in the training span, "
                + "fewer than a batch of " + batch);
        }
        Featurizer featurizer = new Featurizer(net);
        Dataset features = featurizer.featurize(data);
        try (Network head = featurizer.headNetwork(backend, batch);
             Trainer trainer = Trainer.builder(head).loss(loss(net)).optimizer(Adam.adam((float) lr)).seed(seed)
                 .build()) {
            Fitter.fit(trainer, features, new FitOptions(epochs, batch, true, seed, 0, 0, false));
            featurizer.copyBack(head);
        }
        return data.rows();
    }

    static Dataset samples(FeatureSpec spec, LabelSpec label, TickSource source, long fromNs, long toNs, int stride) {
        return MarketSamples.of(spec, label, source, fromNs, toNs, stride);
    }

    private static Loss loss(Network net) {
        Layer last = net.layers().get(net.layers().size() - 1);
        if (last instanceof Softmax) {
            return Loss.softmaxCrossEntropy();
        }
        if (last instanceof ActivationLayer a && a.activation() == Activation.SIGMOID) {
            return Loss.binaryCrossEntropyWithLogits();
        }
        return Loss.meanSquaredError();
    }
}
