package io.tickgrad.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.nn.reference.ReferenceBackend;
import io.tickgrad.tensor.ParamEntry;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Weight decay on dense kernels only, with biases and layer-norm gamma/beta excluded: with a zero gradient, one step
 * of SGD or AdamW shrinks every decayed weight by lr wd w and leaves every excluded one bit for bit; the native
 * optimizer against the reference (16 ulps relative, as the optimizer kernel tests: a handful of fp32 operations).
 */
class WeightDecayGroupsTest {
    private static final float LR = 0.1f;
    private static final float WD = 0.05f;
    private static NativeCpuBackend nativeBackend;
    private static ReferenceBackend reference;

    @BeforeAll
    static void load() {
        nativeBackend = NativeCpuBackend.create();
        reference = new ReferenceBackend();
    }

    @AfterAll
    static void release() {
        nativeBackend.close();
        reference.close();
    }

    private static Network network(Backend backend) {
        Network net = Network.builder(4).dense(6).layerNorm().relu().dense(3).softmax().build(backend, 2, 5);
        SplittableRandom random = new SplittableRandom(99);
        for (ParamEntry e : net.parameters().entries()) {   // no zeros: a decayed 0 would look excluded
            float[] v = new float[(int) e.length()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (0.5 + random.nextDouble()) * (random.nextBoolean() ? 1 : -1);
            }
            net.setParameter(e.name(), v);
        }
        return net;
    }

    /** Parameters after one step of the optimizer with a zero gradient, by tensor name. */
    private static Map<String, float[]> oneZeroGradientStep(Backend backend, Optimizer opt, Map<String, float[]> before) {
        try (Network net = network(backend); opt) {
            assertEquals(4, WeightDecayGroups.excludeBiasesAndNormalisation(net), "2 biases, gamma and beta");
            for (ParamEntry e : net.parameters().entries()) {
                before.put(e.name(), net.getParameter(e.name()));
            }
            net.zeroGradients();
            opt.bind(net.parameters());
            opt.step(backend, net.parameters(), net.parameterSlab(), net.gradientSlab(), LR);
            Map<String, float[]> after = new HashMap<>();
            for (ParamEntry e : net.parameters().entries()) {
                after.put(e.name(), net.getParameter(e.name()));
            }
            return after;
        }
    }

    @Test
    void decayedWeightsShrinkByLrTimesWdAndExcludedOnesStayBitIdentical() {
        for (boolean adamw : new boolean[] {false, true}) {
            Map<String, float[]> before = new HashMap<>();
            Map<String, float[]> ref = oneZeroGradientStep(reference, optimizer(adamw), before);
            Map<String, float[]> nat = oneZeroGradientStep(nativeBackend, optimizer(adamw), new HashMap<>());
            String which = adamw ? "adamw" : "sgd";
            for (Map.Entry<String, float[]> e : before.entrySet()) {
                String name = e.getKey();
                float[] w0 = e.getValue();
                boolean excluded = name.endsWith(".bias") || name.endsWith(".gamma") || name.endsWith(".beta");
                for (int i = 0; i < w0.length; i++) {
                    if (excluded) {
                        assertEquals(Float.floatToRawIntBits(w0[i]), Float.floatToRawIntBits(ref.get(name)[i]),
                            which + " reference " + name + "[" + i + "] not decayed");
                        assertEquals(Float.floatToRawIntBits(w0[i]), Float.floatToRawIntBits(nat.get(name)[i]),
                            which + " native " + name + "[" + i + "] not decayed");
                    } else {
                        // the reference computes in double and rounds once: exactly w - lr wd w, rounded (SGD forms
                        // lr (wd w), AdamW (lr wd) w, as PyTorch's formulas read)
                        double shrink = adamw ? (double) LR * WD * w0[i] : LR * ((double) WD * w0[i]);
                        float expected = (float) (w0[i] - shrink);
                        assertEquals(expected, ref.get(name)[i], 0f, which + " reference " + name + "[" + i + "]");
                        assertNotEquals(w0[i], expected, "the decay is visible in fp32");
                        assertEquals(expected, nat.get(name)[i], 16 * Math.ulp(expected),
                            which + " native " + name + "[" + i + "]");
                    }
                }
            }
        }
    }

    @Test
    void byDefaultEveryTensorDecaysAsPyTorchsOptimizersDo() {
        try (Network net = network(reference); Optimizer opt = optimizer(false)) {
            float[] bias0 = net.getParameter(firstBias(net));
            net.zeroGradients();
            opt.bind(net.parameters());
            opt.step(reference, net.parameters(), net.parameterSlab(), net.gradientSlab(), LR);
            float[] bias1 = net.getParameter(firstBias(net));
            assertEquals((float) (bias0[0] - LR * ((double) WD * bias0[0])), bias1[0], 0f);
        }
    }

    @Test
    void aLayerCanBeExcludedByName() {
        try (Network net = network(reference)) {
            String layer = firstBias(net).substring(0, firstBias(net).indexOf('.'));
            WeightDecayGroups.setWeightDecayed(net, layer, false);
            for (ParamEntry e : net.parameters().entries()) {
                assertEquals(!e.name().startsWith(layer + "."), e.weightDecayed(), e.name());
            }
            assertThrows(IllegalArgumentException.class, () -> WeightDecayGroups.setWeightDecayed(net, "nope", false));
        }
    }

    private static String firstBias(Network net) {
        for (ParamEntry e : net.parameters().entries()) {
            if (e.name().endsWith(".bias")) {
                return e.name();
            }
        }
        throw new AssertionError("no bias");
    }

    private static Optimizer optimizer(boolean adamw) {
        return adamw ? new Adam(LR, 0.9f, 0.999f, 1e-8f, WD, true) : new Sgd(LR, 0f, false, WD);
    }
}
