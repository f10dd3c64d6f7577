package io.tickgrad.bench.libtorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LibTorch peer's agreement checks on a small network whose expected values come from an independent
 * double-precision forward, backward and Adam written here (not from tickgrad, which this module cannot load): the
 * checks pass on LibTorch's own results and fail when the expected output, the expected trained loss or the learning
 * rate behind it is off. This also pins the wiring the benchmarks rely on: weight layout, bias, ReLU, softmax
 * cross-entropy as a batch mean, Adam's hyperparameters and bias correction, and freezing the trunk.
 */
class AgreementTest {
    private static final int[] WIDTHS = {7, 5, 4, 3};
    private static final int ROWS = 16;
    private static final int STEPS = 5;

    @TempDir
    Path dir;

    private String previous;

    @BeforeEach
    void pointFixturesHere() {
        previous = System.getProperty(Fixture.DIR_PROPERTY);
        System.setProperty(Fixture.DIR_PROPERTY, dir.toString());
        Threads.one();
    }

    @AfterEach
    void restore() {
        if (previous == null) {
            System.clearProperty(Fixture.DIR_PROPERTY);
        } else {
            System.setProperty(Fixture.DIR_PROPERTY, previous);
        }
    }

    @Test
    void libTorchAgreesWithAnIndependentReference() throws IOException {
        writeFixture("tiny", TorchNet.LEARNING_RATE, 0);
        Fixture fixture = Fixture.load("tiny");
        try (PointerScope scope = new PointerScope()) {
            TorchNet net = TorchNet.build(fixture);
            Agreement.checkPredict("tiny", fixture, net.new Predictor(fixture.tensor("predict.input").data()));
        }
        for (int batch : new int[] {8, 16}) {
            for (String mode : new String[] {"whole", "head"}) {
                double[] r = Agreement.checkTrainedLoss(fixture, batch, mode);
                assertTrue(r[1] < r[0], "training lowers the loss: " + r[0] + " -> " + r[1]);
                assertEquals(r[2], r[1], 1e-6, "LibTorch's trained loss against the double reference");
            }
        }
    }

    @Test
    void aWrongPredictOutputFails() throws IOException {
        writeFixture("tiny", TorchNet.LEARNING_RATE, 0);
        Map<String, float[]> tensors = new LinkedHashMap<>();
        Fixture fixture = Fixture.load("tiny");
        fixture.tensors.forEach((k, v) -> tensors.put(k, v.data()));
        tensors.get("predict.output")[1] += 1e-3f;
        write("bad", fixture, tensors, fixture.metadata);
        Fixture bad = Fixture.load("bad");
        try (PointerScope scope = new PointerScope()) {
            TorchNet net = TorchNet.build(bad);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Agreement.checkPredict("bad", bad, net.new Predictor(bad.tensor("predict.input").data())));
            assertTrue(e.getMessage().contains("value 1"), e.getMessage());
        }
    }

    @Test
    void aTrainedLossFromAnotherLearningRateFails() throws IOException {
        writeFixture("tiny", 1.5 * TorchNet.LEARNING_RATE, 0);
        Fixture fixture = Fixture.load("tiny");
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> Agreement.checkTrainedLoss(fixture, 16, "whole"));
        assertTrue(e.getMessage().contains("after 5 steps"), e.getMessage());
    }

    @Test
    void aTrainedLossOffByTwiceTheToleranceFails() throws IOException {
        writeFixture("tiny", TorchNet.LEARNING_RATE, 2 * Agreement.TRAINED_LOSS_TOLERANCE);
        Fixture fixture = Fixture.load("tiny");
        assertThrows(IllegalStateException.class, () -> Agreement.checkTrainedLoss(fixture, 8, "head"));
    }

    @Test
    void aLossThatBarelyMovesCannotPassForTraining() throws IOException {
        writeFixture("tiny", 1e-3 * TorchNet.LEARNING_RATE, 0);
        Fixture fixture = Fixture.load("tiny");
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> Agreement.checkTrainedLoss(fixture, 16, "whole"));
        assertTrue(e.getMessage().contains("could not tell training from not training"), e.getMessage());
    }

    // ------------------------------------------------------------ the fixture and its double-precision reference

    /** Writes "<name>.safetensors" as bench's PeerFixtures does; trained losses use {@code lr}, scaled by 1 + skew. */
    private void writeFixture(String name, double lr, double skew) throws IOException {
        SplittableRandom r = new SplittableRandom(11);
        Map<String, float[]> tensors = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        StringBuilder layers = new StringBuilder().append(WIDTHS[0]);
        for (int i = 0; i + 1 < WIDTHS.length; i++) {
            tensors.put("dense" + i + ".weight", random(r, WIDTHS[i] * WIDTHS[i + 1], 0.8));
            shapes.put("dense" + i + ".weight", new long[] {WIDTHS[i], WIDTHS[i + 1]});
            tensors.put("dense" + i + ".bias", random(r, WIDTHS[i + 1], 0.2));
            shapes.put("dense" + i + ".bias", new long[] {WIDTHS[i + 1]});
            layers.append(',').append(WIDTHS[i + 1]).append(i + 2 == WIDTHS.length ? ":softmax" : ":relu");
        }
        int in = WIDTHS[0];
        int out = WIDTHS[WIDTHS.length - 1];
        float[] x = random(r, ROWS * in, 1.0);
        float[] y = new float[ROWS * out];
        for (int i = 0; i < ROWS; i++) {
            y[i * out + r.nextInt(out)] = 1f;
        }
        float[] sample = random(r, in, 1.0);
        tensors.put("predict.input", sample);
        shapes.put("predict.input", new long[] {1, in});
        tensors.put("predict.output", toFloat(new Reference(tensors).forward(toDouble(sample), 1, true)));
        shapes.put("predict.output", new long[] {1, out});
        tensors.put("train.input", x);
        shapes.put("train.input", new long[] {ROWS, in});
        tensors.put("train.target", y);
        shapes.put("train.target", new long[] {ROWS, out});

        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("layers", layers.toString());
        meta.put("train.steps", String.valueOf(STEPS));
        for (int batch : new int[] {8, 16}) {
            double[] xb = toDouble(java.util.Arrays.copyOf(x, batch * in));
            double[] yb = toDouble(java.util.Arrays.copyOf(y, batch * out));
            meta.put("train.loss." + batch, String.format(Locale.ROOT, "%.12g", new Reference(tensors).loss(xb, yb, batch)));
            for (String mode : new String[] {"whole", "head"}) {
                Reference ref = new Reference(tensors);
                for (int s = 1; s <= STEPS; s++) {
                    ref.adamStep(xb, yb, batch, lr, mode.equals("head") ? WIDTHS.length - 2 : 0, s);
                }
                meta.put("train.loss." + batch + "." + mode + ".after",
                    String.format(Locale.ROOT, "%.12g", ref.loss(xb, yb, batch) * (1 + skew)));
            }
        }
        Map<String, long[]> shapeOf = shapes;
        writeFile(dir.resolve(name + ".safetensors"), tensors, shapeOf, meta);
    }

    private void write(String name, Fixture like, Map<String, float[]> tensors, Map<String, String> meta) throws IOException {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        like.tensors.forEach((k, v) -> shapes.put(k, v.shape()));
        writeFile(dir.resolve(name + ".safetensors"), tensors, shapes, meta);
    }

    private static void writeFile(Path file, Map<String, float[]> tensors, Map<String, long[]> shapes,
                                  Map<String, String> meta) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode header = mapper.createObjectNode();
        ObjectNode m = header.putObject("__metadata__");
        meta.forEach(m::put);
        long offset = 0;
        for (Map.Entry<String, float[]> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            var shape = t.putArray("shape");
            for (long s : shapes.get(e.getKey())) {
                shape.add(s);
            }
            long end = offset + (long) e.getValue().length * Float.BYTES;
            t.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = mapper.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + json.length + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length).put(json);
        for (float[] values : tensors.values()) {
            for (float v : values) {
                buf.putFloat(v);
            }
        }
        Files.write(file, buf.array());
    }

    private static float[] random(SplittableRandom r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /** A ReLU MLP with a softmax output in double precision: forward, cross-entropy, backward and Adam. */
    private static final class Reference {
        final double[][] w = new double[WIDTHS.length - 1][];
        final double[][] b = new double[WIDTHS.length - 1][];
        final double[][] mw = new double[w.length][];
        final double[][] vw = new double[w.length][];
        final double[][] mb = new double[w.length][];
        final double[][] vb = new double[w.length][];

        Reference(Map<String, float[]> tensors) {
            for (int i = 0; i < w.length; i++) {
                w[i] = toDouble(tensors.get("dense" + i + ".weight"));
                b[i] = toDouble(tensors.get("dense" + i + ".bias"));
                mw[i] = new double[w[i].length];
                vw[i] = new double[w[i].length];
                mb[i] = new double[b[i].length];
                vb[i] = new double[b[i].length];
            }
        }

        /** Activations of every layer: a[0] = x, a[L] = logits (or probabilities when {@code probabilities}). */
        double[][] activations(double[] x, int rows) {
            double[][] a = new double[w.length + 1][];
            a[0] = x;
            for (int l = 0; l < w.length; l++) {
                int in = WIDTHS[l];
                int out = WIDTHS[l + 1];
                double[] h = new double[rows * out];
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < out; j++) {
                        double s = b[l][j];
                        for (int k = 0; k < in; k++) {
                            s += a[l][r * in + k] * w[l][k * out + j];
                        }
                        h[r * out + j] = l + 1 < w.length ? Math.max(0, s) : s;
                    }
                }
                a[l + 1] = h;
            }
            return a;
        }

        double[] forward(double[] x, int rows, boolean probabilities) {
            double[] z = activations(x, rows)[w.length];
            return probabilities ? softmax(z, rows) : z;
        }

        static double[] softmax(double[] z, int rows) {
            int out = z.length / rows;
            double[] p = new double[z.length];
            for (int r = 0; r < rows; r++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < out; j++) {
                    max = Math.max(max, z[r * out + j]);
                }
                double sum = 0;
                for (int j = 0; j < out; j++) {
                    sum += Math.exp(z[r * out + j] - max);
                }
                for (int j = 0; j < out; j++) {
                    p[r * out + j] = Math.exp(z[r * out + j] - max) / sum;
                }
            }
            return p;
        }

        double loss(double[] x, double[] y, int rows) {
            double[] p = forward(x, rows, true);
            double sum = 0;
            for (int i = 0; i < p.length; i++) {
                sum -= y[i] * Math.log(p[i]);
            }
            return sum / rows;
        }

        /** One step of Adam (Keras' betas, epsilon 1e-7, bias-corrected) on layers from {@code firstTrained} on. */
        void adamStep(double[] x, double[] y, int rows, double lr, int firstTrained, int t) {
            double[][] a = activations(x, rows);
            double[] p = softmax(a[w.length], rows);
            double[] delta = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                delta[i] = (p[i] - y[i]) / rows;
            }
            double[][] gw = new double[w.length][];
            double[][] gb = new double[w.length][];
            for (int l = w.length - 1; l >= firstTrained; l--) {
                int in = WIDTHS[l];
                int out = WIDTHS[l + 1];
                gw[l] = new double[in * out];
                gb[l] = new double[out];
                double[] below = new double[rows * in];
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < out; j++) {
                        double d = delta[r * out + j];
                        gb[l][j] += d;
                        for (int k = 0; k < in; k++) {
                            gw[l][k * out + j] += a[l][r * in + k] * d;
                            below[r * in + k] += d * w[l][k * out + j];
                        }
                    }
                }
                for (int i = 0; i < below.length; i++) {
                    below[i] = a[l][i] > 0 ? below[i] : 0;   // ReLU of the layer below (a[l] is its output)
                }
                delta = below;
            }
            for (int l = firstTrained; l < w.length; l++) {
                adam(w[l], gw[l], mw[l], vw[l], lr, t);
                adam(b[l], gb[l], mb[l], vb[l], lr, t);
            }
        }

        static void adam(double[] p, double[] g, double[] m, double[] v, double lr, int t) {
            double c1 = 1 - Math.pow(0.9, t);
            double c2 = 1 - Math.pow(0.999, t);
            for (int i = 0; i < p.length; i++) {
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                p[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + TorchNet.EPSILON);
            }
        }
    }
}
