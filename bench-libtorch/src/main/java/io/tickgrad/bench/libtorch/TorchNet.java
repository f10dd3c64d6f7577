package io.tickgrad.bench.libtorch;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * One of tickgrad's benchmark networks as plain LibTorch tensors holding tickgrad's weights (from a fixture): for
 * each dense layer a weight {@code W} [in, out] (tickgrad's layout, row-major) and a bias {@code b} [out], and the
 * activation that follows it. The forward pass is {@code h = addmm(b, h, W)} then the activation, which is what
 * {@code torch::nn::Linear} computes (it keeps W as [out, in] and multiplies by its transpose); the network's loss
 * is softmax cross-entropy (mean over the batch) on the logits of a softmax network. Training uses LibTorch's own
 * {@code torch::optim::Adam} with tickgrad's benchmark settings: lr 1e-4, betas 0.9 / 0.999 (LibTorch's defaults),
 * epsilon 1e-7 (Keras' default, which tickgrad uses; LibTorch's is 1e-8), no weight decay, no AMSGrad; its update
 * {@code p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)} is tickgrad's, term for term.
 */
final class TorchNet {
    static final double LEARNING_RATE = 1e-4;
    static final double EPSILON = 1e-7;

    final int inputs;
    final int outputs;
    final boolean softmax;
    final List<Tensor> weights = new ArrayList<>();
    final List<Tensor> biases = new ArrayList<>();
    final List<String> activations = new ArrayList<>();
    final List<Integer> widths = new ArrayList<>();

    private TorchNet(int inputs, int outputs, boolean softmax) {
        this.inputs = inputs;
        this.outputs = outputs;
        this.softmax = softmax;
    }

    /** Builds the network named by the fixture's {@code layers} metadata with the fixture's weights. */
    static TorchNet build(Fixture fixture) {
        String[] spec = fixture.meta("layers").split(",");
        int in = Integer.parseInt(spec[0]);
        String last = spec[spec.length - 1].split(":")[1];
        int outputs = Integer.parseInt(spec[spec.length - 1].split(":")[0]);
        TorchNet net = new TorchNet(in, outputs, last.equals("softmax"));
        net.widths.add(in);
        for (int i = 1; i < spec.length; i++) {
            String[] unitsAndActivation = spec[i].split(":");
            int out = Integer.parseInt(unitsAndActivation[0]);
            String activation = unitsAndActivation[1];
            if (activation.equals("softmax") && i + 1 < spec.length) {
                throw new IllegalArgumentException(fixture.file + ": softmax only as the last activation, found it on layer " + i);
            }
            checkActivation(activation);
            Fixture.Tensor w = fixture.tensor("dense" + (i - 1) + ".weight");
            Fixture.Tensor b = fixture.tensor("dense" + (i - 1) + ".bias");
            if (w.shape().length != 2 || w.shape()[0] != in || w.shape()[1] != out || b.data().length != out) {
                throw new IllegalStateException(fixture.file + ": dense" + (i - 1) + " is " + java.util.Arrays.toString(w.shape())
                    + " with " + b.data().length + " biases, expected [" + in + ", " + out + "] and " + out);
            }
            net.weights.add(tensor(w.data(), in, out));
            net.biases.add(tensor(b.data(), out));
            net.activations.add(activation);
            net.widths.add(out);
            in = out;
        }
        return net;
    }

    /** A new float tensor of this shape holding a copy of {@code data} (row-major). */
    static Tensor tensor(float[] data, long... shape) {
        long count = 1;
        for (long s : shape) {
            count *= s;
        }
        if (count != data.length) {
            throw new IllegalArgumentException(data.length + " values for shape " + java.util.Arrays.toString(shape));
        }
        Tensor t = torch.empty(shape);
        t.data_ptr_float().put(data);
        return t;
    }

    /** The first {@code rows} rows of a fixture tensor [n, width] as a new tensor [rows, width]. */
    static Tensor rows(Fixture.Tensor x, int rows) {
        int width = (int) x.shape()[1];
        if (x.shape()[0] < rows) {
            throw new IllegalArgumentException("the fixture has " + x.shape()[0] + " rows, " + rows + " asked for");
        }
        return tensor(java.util.Arrays.copyOf(x.data(), rows * width), rows, width);
    }

    private static void checkActivation(String name) {
        switch (name) {
            case "relu": case "identity": case "linear": case "tanh": case "sigmoid": case "softmax":
                return;
            default:
                throw new IllegalArgumentException("activation '" + name + "' has no LibTorch mapping here");
        }
    }

    private static Tensor activate(String name, Tensor h) {
        switch (name) {
            case "relu": return torch.relu(h);
            case "tanh": return torch.tanh(h);
            case "sigmoid": return torch.sigmoid(h);
            default: return h;   // identity, linear; softmax is applied by the caller
        }
    }

    /** The forward pass with autograd: the logits of a softmax network, else the activated output. */
    Tensor forward(Tensor x) {
        Tensor h = x;
        for (int i = 0; i < weights.size(); i++) {
            h = activate(activations.get(i), torch.addmm(biases.get(i), h, weights.get(i)));
        }
        return h;
    }

    /** Softmax cross-entropy of the logits against one-hot (or probability) targets, mean over the batch. */
    static Tensor crossEntropy(Tensor logits, Tensor targets) {
        long batch = logits.size(0);
        return torch.log_softmax(logits, 1).mul(targets).sum().mul(new Scalar(-1.0 / batch));
    }

    /** The loss of this network on a batch, no gradient recorded. */
    double loss(Tensor x, Tensor y) {
        requireSoftmax();
        try (org.bytedeco.pytorch.NoGradGuard noGrad = new org.bytedeco.pytorch.NoGradGuard()) {
            return crossEntropy(forward(x), y).item_float();
        }
    }

    private void requireSoftmax() {
        if (!softmax) {
            throw new IllegalStateException("training is benchmarked on the softmax network only");
        }
    }

    /**
     * Freezes the first {@code frozenLayers} dense layers (requires_grad false) and returns LibTorch's Adam over the
     * remaining parameters.
     */
    Adam trainer(int frozenLayers) {
        requireSoftmax();
        if (frozenLayers < 0 || frozenLayers >= weights.size()) {
            throw new IllegalArgumentException("frozen layers " + frozenLayers + ": expected 0 to " + (weights.size() - 1));
        }
        TensorVector params = new TensorVector();
        for (int i = 0; i < weights.size(); i++) {
            boolean trains = i >= frozenLayers;
            weights.get(i).requires_grad_(trains);
            biases.get(i).requires_grad_(trains);
            if (trains) {
                params.push_back(weights.get(i));
                params.push_back(biases.get(i));
            }
        }
        AdamOptions options = new AdamOptions(LEARNING_RATE);
        options.eps().put(EPSILON);
        double b1 = options.betas().get(0);
        double b2 = options.betas().get(1);
        // std::tuple<double, double> may lie in memory either way round: check the pair, not its order
        if (!((b1 == 0.9 && b2 == 0.999) || (b1 == 0.999 && b2 == 0.9)) || options.weight_decay().get() != 0
            || options.amsgrad().get()) {
            throw new IllegalStateException("LibTorch's Adam defaults changed: betas " + b1 + ", " + b2
                + ", weight decay " + options.weight_decay().get() + ", amsgrad " + options.amsgrad().get());
        }
        return new Adam(params, options);
    }

    /** One training step: zero the gradients, forward, loss, backward, Adam. Returns the loss tensor (before the step). */
    Tensor step(Adam adam, Tensor x, Tensor y) {
        adam.zero_grad();
        Tensor loss = crossEntropy(forward(x), y);
        loss.backward();
        adam.step();
        return loss;
    }

    /**
     * Single-sample inference with every tensor allocated once: {@code addmm_out} into per-layer buffers, the
     * activation in place, {@code softmax_out} into the output. Call {@link #run()} under InferenceMode.
     */
    final class Predictor {
        final Tensor input;
        final Tensor output;
        final FloatPointer outputData;
        private final Tensor[] hidden;
        private final Tensor logits;

        Predictor(float[] sample) {
            input = tensor(sample, 1, inputs);
            hidden = new Tensor[weights.size()];
            for (int i = 0; i < weights.size(); i++) {
                hidden[i] = torch.empty(1, widths.get(i + 1));
            }
            logits = hidden[hidden.length - 1];
            output = softmax ? torch.empty(1, outputs) : logits;
            outputData = output.data_ptr_float();
        }

        /** Runs the network on {@link #input}; the result is in {@link #output}. */
        void run() {
            Tensor h = input;
            for (int i = 0; i < hidden.length; i++) {
                torch.addmm_out(hidden[i], biases.get(i), h, weights.get(i));
                switch (activations.get(i)) {
                    case "relu": torch.relu_(hidden[i]); break;
                    case "tanh": torch.tanh_(hidden[i]); break;
                    case "sigmoid": torch.sigmoid_(hidden[i]); break;
                    default: break;
                }
                h = hidden[i];
            }
            if (softmax) {
                torch.softmax_out(output, logits, 1);
            }
        }

        float[] outputs() {
            float[] values = new float[outputs];
            outputData.get(values);
            return values;
        }
    }
}
