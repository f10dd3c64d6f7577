package io.tickgrad.bench.dl4j;

import java.io.IOException;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builds tickgrad's benchmark networks as Deeplearning4j MultiLayerNetworks with tickgrad's weights, from the
 * fixture files. Dense layers become DenseLayer, the last one OutputLayer, with the activation that follows each
 * in tickgrad; the loss is softmax cross-entropy (MCXENT) for a softmax output, else mean squared error. The
 * optimizer is tickgrad's benchmark optimizer: Adam, lr 1e-4, betas 0.9 / 0.999, epsilon 1e-7 (Keras' defaults).
 */
final class Dl4jNetworks {
    static final double LEARNING_RATE = 1e-4;

    private Dl4jNetworks() {
    }

    /**
     * Runs ND4J on one thread, like every engine in these benchmarks: OMP_NUM_THREADS=1 and OPENBLAS_NUM_THREADS=1
     * come from bench/run.sh's environment; this also caps ND4J's own thread pools and checks the environment.
     */
    static void singleThreaded() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        Nd4j.getBlasWrapper().lapack();   // forces the backend to load before threads are counted
        String omp = System.getenv("OMP_NUM_THREADS");
        if (!"1".equals(omp)) {
            throw new IllegalStateException("OMP_NUM_THREADS is " + omp + ": run with OMP_NUM_THREADS=1 (bench/run.sh sets it)");
        }
    }

    static Adam adam() {
        return new Adam(LEARNING_RATE, 0.9, 0.999, 1e-7);
    }

    static MultiLayerNetwork build(Fixture fixture) {
        String[] spec = fixture.meta("layers").split(",");
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
            .seed(17)
            .dataType(DataType.FLOAT)
            .updater(adam())
            .weightInit(WeightInit.XAVIER)
            .list();
        int in = Integer.parseInt(spec[0]);
        for (int i = 1; i < spec.length; i++) {
            String[] unitsAndActivation = spec[i].split(":");
            int out = Integer.parseInt(unitsAndActivation[0]);
            Activation activation = activation(unitsAndActivation[1]);
            if (i + 1 < spec.length) {
                list.layer(new DenseLayer.Builder().nIn(in).nOut(out).activation(activation).build());
            } else {
                LossFunctions.LossFunction loss = activation == Activation.SOFTMAX
                    ? LossFunctions.LossFunction.MCXENT : LossFunctions.LossFunction.MSE;
                list.layer(new OutputLayer.Builder(loss).nIn(in).nOut(out).activation(activation).build());
            }
            in = out;
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        for (int i = 0; i < spec.length - 1; i++) {
            Layer layer = net.getLayer(i);
            Fixture.Tensor w = fixture.tensor("dense" + i + ".weight");
            Fixture.Tensor b = fixture.tensor("dense" + i + ".bias");
            // tickgrad's kernel is [in, out] row-major, DL4J's W is [nIn, nOut] (stored 'f'): assign copies by index
            INDArray dw = layer.getParam("W");
            dw.assign(Nd4j.create(w.data(), w.shape(), 'c'));
            INDArray db = layer.getParam("b");
            db.assign(Nd4j.create(b.data(), db.shape(), 'c'));
        }
        return net;
    }

    /** The first {@code batch} rows of tickgrad's training batch (inputs and one-hot targets) from the fixture. */
    static DataSet trainingBatch(Fixture fixture, int batch) {
        Fixture.Tensor x = fixture.tensor("train.input");
        Fixture.Tensor y = fixture.tensor("train.target");
        INDArray features = Nd4j.create(x.data(), x.shape(), 'c').get(NDArrayIndex.interval(0, batch), NDArrayIndex.all()).dup('c');
        INDArray labels = Nd4j.create(y.data(), y.shape(), 'c').get(NDArrayIndex.interval(0, batch), NDArrayIndex.all()).dup('c');
        return new DataSet(features, labels);
    }

    /** The same network with every layer but the output layer frozen (DL4J's feature extractor). */
    static MultiLayerNetwork headOnly(MultiLayerNetwork net) {
        int last = net.getnLayers() - 1;
        return new TransferLearning.Builder(net)
            .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(adam()).seed(17).build())
            .setFeatureExtractor(last - 1)
            .build();
    }

    private static Activation activation(String name) {
        switch (name) {
            case "relu": return Activation.RELU;
            case "softmax": return Activation.SOFTMAX;
            case "identity": case "linear": return Activation.IDENTITY;
            case "tanh": return Activation.TANH;
            case "sigmoid": return Activation.SIGMOID;
            default: throw new IllegalArgumentException("activation '" + name + "' has no DL4J mapping here");
        }
    }

    /** Throws unless DL4J's loss is within 1e-4 (relative above 1) of tickgrad's on the same batch ({@code train.loss.<batch>}). */
    static void checkTrainingLoss(String what, double loss, Fixture fixture, int batch) {
        double expected = Double.parseDouble(fixture.meta("train.loss." + batch));
        if (!(Math.abs(loss - expected) <= 1e-4 * Math.max(1, Math.abs(expected)))) {
            throw new IllegalStateException("DL4J " + what + " is " + loss + ", tickgrad's is " + expected);
        }
    }

    /** Throws unless every value is within 1e-4 (relative above 1) of tickgrad's. */
    static void checkClose(String what, float[] expected, INDArray got) {
        float[] g = got.dup('c').data().asFloat();
        if (g.length != expected.length) {
            throw new IllegalStateException(what + ": " + g.length + " values, tickgrad has " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(g[i] - expected[i]) <= 1e-4 * Math.max(1, Math.abs(expected[i])))) {
                throw new IllegalStateException(what + ": value " + i + " is " + g[i] + ", tickgrad says " + expected[i]);
            }
        }
    }

    static Fixture fixture(String network) {
        try {
            return Fixture.load(network);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
