package io.tickgrad.backtest.sweep;

import io.tickgrad.market.FeatureSpec;
import io.tickgrad.market.HorizonLabeler;
import io.tickgrad.market.LabelSpec;
import io.tickgrad.market.OnlineFeatures;
import io.tickgrad.market.TickHandler;
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
import io.tickgrad.train.Trainer;
import java.util.Arrays;

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
        OnlineFeatures features = new OnlineFeatures(spec);
        HorizonLabeler labeler = new HorizonLabeler(label);
        int width = features.width();
        float[][] x = {new float[width * 256]};
        float[][] y = {new float[256]};
        int[] n = {0};
        long[] valid = {0};
        long[] lastTime = {Long.MIN_VALUE};
        boolean[] done = {false};
        HorizonLabeler.Outcome outcome = (row, l, r) -> y[0][row] = l;
        TickHandler handler = tick -> {
            long t = tick.exchangeTimeNs();
            if (done[0] || t >= toNs) {
                done[0] = true;
                return;
            }
            double p = tick.price();
            if (!(p > 0) || Double.isInfinite(p) || t < lastTime[0]) {
                return;
            }
            lastTime[0] = t;
            features.onTick(tick);
            labeler.onTick(t, p, outcome);
            if (t >= fromNs && features.ready() && valid[0]++ % stride == 0) {
                if ((n[0] + 1) * width > x[0].length) {
                    x[0] = Arrays.copyOf(x[0], x[0].length * 2);
                    y[0] = Arrays.copyOf(y[0], y[0].length * 2);
                }
                features.write(x[0], n[0] * width);
                y[0][n[0]] = -1;   // until its label matures
                labeler.decide(n[0], t, p);
                n[0]++;
            }
        };
        while (!done[0] && source.poll(handler, 4096) > 0) {
            // to the end of the span
        }
        // keep the samples whose label matured inside the span and left the dead zone
        int kept = 0;
        for (int i = 0; i < n[0]; i++) {
            if (y[0][i] == 0f || y[0][i] == 1f) {
                System.arraycopy(x[0], i * width, x[0], kept * width, width);
                y[0][kept] = y[0][i];
                kept++;
            }
        }
        return new Dataset(Arrays.copyOf(x[0], kept * width), Arrays.copyOf(y[0], kept), kept, width, 1);
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
