package io.tickgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.nativeio.Abi;
import io.tickgrad.nativeio.NativeLibrary;
import io.tickgrad.nativeio.TickgradNative;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.nn.reference.ReferenceBackend;
import io.tickgrad.tensor.ParamEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Network#setPrecision} through the whole predict path (plan, packed weights, JNI) on every ISA and AVX-512
 * extension this CPU has: a single dense layer at bf16 and int8 against the double reference with the bounds derived
 * in native/test/test_quant.cpp, outputs poisoned first; an int8 ReLU network gives the same bits on every kernel;
 * a weight change reaches the packed copy through copyParametersFrom.
 */
class ReducedPrecisionNetworkTest {
    private static final double U = 0x1p-24;
    private static NativeCpuBackend nativeBackend;

    @BeforeAll
    static void load() {
        NativeLibrary.ensureLoaded();
        nativeBackend = NativeCpuBackend.create();
    }

    @AfterAll
    static void release() {
        TickgradNative.tg_set_isa(TickgradNative.tg_cpu_isa());
        TickgradNative.tg_set_features(TickgradNative.tg_cpu_features());
        nativeBackend.close();
    }

    /** Every (ISA, allowed extensions) pair: each ISA without extensions, AVX-512 also with all the CPU has. */
    static Stream<Arguments> kernels() {
        NativeLibrary.ensureLoaded();
        List<Arguments> list = new ArrayList<>();
        for (int isa = Abi.ISA_SCALAR; isa <= TickgradNative.tg_cpu_isa(); isa++) {
            list.add(Arguments.of(isa, 0));
            if (isa == Abi.ISA_AVX512 && TickgradNative.tg_cpu_features() != 0) {
                list.add(Arguments.of(isa, TickgradNative.tg_cpu_features()));
            }
        }
        return list.stream();
    }

    private static void use(int isa, int features) {
        assertEquals(0, TickgradNative.tg_set_isa(isa), "tg_set_isa");
        assertEquals(0, TickgradNative.tg_set_features(features), "tg_set_features");
    }

    private static void randomize(Network net, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (ParamEntry e : net.parameters().entries()) {
            float[] v = new float[(int) e.length()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextDouble() - 0.5);
            }
            net.setParameter(e.name(), v);
        }
    }

    private static void fillInput(Network net, int batch, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < batch * net.inputs(); i++) {
            net.input().putFloat(i * Float.BYTES, (float) (r.nextDouble() * 2 - 1));
        }
    }

    private static void poisonOutput(Network net, int batch) {
        // the output slab is the last dense layer's y: write NaN through the unsafe view
        org.agrona.concurrent.UnsafeBuffer out = new org.agrona.concurrent.UnsafeBuffer(
            net.predictOutputAddress(net.layers().size() - 1), batch * net.outputs() * Float.BYTES);
        for (int i = 0; i < batch * net.outputs(); i++) {
            out.putFloat(i * Float.BYTES, Float.NaN);
        }
    }

    @ParameterizedTest(name = "one dense layer at bf16 and int8, isa {0}, features {1}")
    @MethodSource("kernels")
    void denseLayerWithinDerivedBounds(int isa, int features) {
        use(isa, features);
        int in = 57;
        int out = 70;
        int batch = 3;
        for (Precision p : new Precision[] {Precision.BF16, Precision.INT8}) {
            try (Network net = Network.builder(in).dense(out).build(nativeBackend, batch, 11)) {
                randomize(net, 5);
                net.setPrecision(p, 0);
                assertEquals(p, net.precision());
                fillInput(net, batch, 9);
                poisonOutput(net, batch);
                net.predict(batch);
                float[] w = net.getParameter(net.parameters().entries().get(0).name());
                float[] b = net.getParameter(net.parameters().entries().get(1).name());
                boolean xRounded = p == Precision.BF16
                    && (TickgradNative.tg_active_features() & Abi.FEAT_AVX512_BF16) != 0;
                for (int r = 0; r < batch; r++) {
                    double maxX = 0;
                    for (int i = 0; i < in; i++) {
                        maxX = Math.max(maxX, Math.abs(net.input().getFloat((r * in + i) * Float.BYTES)));
                    }
                    for (int o = 0; o < out; o++) {
                        double want = b[o];
                        double mag = 0;
                        double maxW = 0;
                        for (int i = 0; i < in; i++) {
                            maxW = Math.max(maxW, Math.abs(w[i * out + o]));
                        }
                        double sw = maxW / 127;
                        double sx = maxX / 127;
                        double q = 0;
                        for (int i = 0; i < in; i++) {
                            double x = net.input().getFloat((r * in + i) * Float.BYTES);
                            want += x * w[i * out + o];
                            mag += Math.abs(x * w[i * out + o]);
                            q += Math.abs(x) * sw / 2 + (Math.abs(w[i * out + o]) + sw / 2)
                                * (sx / 2 + 0x1p-21 * Math.abs(x));
                        }
                        double bound = p == Precision.BF16
                            ? mag * ((xRounded ? 2 * 0x1p-8 + 0x1p-16 : 0x1p-8) * (1 + 0x1p-8) + 2.0 * (in + 2) * U)
                                + 2 * U * Math.abs(b[o])
                            : q * (1 + 0x1p-21) + 0x1p-21 * mag + 2 * U * Math.abs(b[o]);
                        float got = net.output().getFloat((r * out + o) * Float.BYTES);
                        assertTrue(Math.abs(got - want) <= bound, p + " " + Abi.isaName(isa) + " features " + features
                            + " row " + r + " output " + o + ": " + got + " vs " + want + ", bound " + bound);
                    }
                }
            }
        }
    }

    @Test
    void int8NetworkGivesTheSameBitsOnEveryKernel() {
        List<float[]> outputs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        kernels().forEach(a -> {
            int isa = (int) a.get()[0];
            int features = (int) a.get()[1];
            use(isa, features);
            try (Network net = Network.builder(40).dense(64).relu().dense(33).relu().dense(5).build(nativeBackend, 2, 3)) {
                randomize(net, 17);
                net.setPrecision(Precision.INT8, 0);
                fillInput(net, 2, 23);
                poisonOutput(net, 2);
                net.predict(2);
                float[] y = new float[10];
                for (int i = 0; i < y.length; i++) {
                    y[i] = net.output().getFloat(i * Float.BYTES);
                }
                outputs.add(y);
                names.add(Abi.isaName(isa) + "/" + features);
            }
        });
        for (int k = 1; k < outputs.size(); k++) {
            assertArrayEquals(outputs.get(0), outputs.get(k), names.get(k) + " against " + names.get(0));
        }
    }

    @Test
    void weightChangesReachThePackedCopyAndFp32ComesBack() {
        TickgradNative.tg_set_isa(TickgradNative.tg_cpu_isa());
        TickgradNative.tg_set_features(TickgradNative.tg_cpu_features());
        try (Network a = Network.builder(16).dense(8).build(nativeBackend, 1, 1);
             Network b = Network.builder(16).dense(8).build(nativeBackend, 1, 1)) {
            randomize(a, 1);
            randomize(b, 2);
            a.setPrecision(Precision.BF16, 0);
            fillInput(a, 1, 4);
            a.predict(1);
            float before = a.output().getFloat(0);
            a.copyParametersFrom(b);
            a.predict(1);
            float after = a.output().getFloat(0);
            a.setPrecision(Precision.FP32);
            a.predict(1);
            float fp32 = a.output().getFloat(0);
            assertTrue(before != after, "the packed weights follow copyParametersFrom");
            assertTrue(Math.abs(after - fp32) <= 0.05 * Math.abs(fp32) + 1e-3, after + " vs fp32 " + fp32);
            assertEquals(Precision.FP32, a.precision());
        }
    }

    @Test
    void onlyLayersTooLargeForTheL1CacheArePackedByDefault() {
        TickgradNative.tg_set_isa(TickgradNative.tg_cpu_isa());
        TickgradNative.tg_set_features(TickgradNative.tg_cpu_features());
        // 32-64-64-1: 8, 16 and 0.25 KiB of fp32 weights, all cache-resident: predicts exactly as fp32
        try (Network small = Network.builder(32).dense(64).relu().dense(64).relu().dense(1).build(nativeBackend, 1, 5)) {
            randomize(small, 3);
            fillInput(small, 1, 8);
            small.predict(1);
            float fp32 = small.output().getFloat(0);
            for (Precision p : new Precision[] {Precision.BF16, Precision.INT8}) {
                small.setPrecision(p);
                assertEquals(p, small.precision());
                assertEquals(0, small.reducedLayers(), p + ": no layer exceeds 32 KiB");
                poisonOutput(small, 1);
                small.predict(1);
                assertEquals(fp32, small.output().getFloat(0), p + " on cache-resident layers is the fp32 result");
                small.setPrecision(p, 0);
                assertEquals(3, small.reducedLayers(), p + " with no size limit packs every dense layer");
            }
        }
        // 200x64 (50 KiB) is packed, 64x3 (0.75 KiB) is not; the output differs from fp32 by the packed layer's error
        try (Network mixed = Network.builder(200).dense(64).relu().dense(3).build(nativeBackend, 1, 6)) {
            randomize(mixed, 4);
            fillInput(mixed, 1, 9);
            mixed.predict(1);
            float[] fp32 = {mixed.output().getFloat(0), mixed.output().getFloat(4), mixed.output().getFloat(8)};
            mixed.setPrecision(Precision.INT8);
            assertEquals(1, mixed.reducedLayers());
            poisonOutput(mixed, 1);
            mixed.predict(1);
            boolean differs = false;
            for (int o = 0; o < 3; o++) {
                float got = mixed.output().getFloat(o * Float.BYTES);
                assertTrue(Float.isFinite(got) && Math.abs(got - fp32[o]) <= 0.05 * Math.abs(fp32[o]) + 0.05,
                    "output " + o + ": " + got + " vs fp32 " + fp32[o]);
                differs |= got != fp32[o];
            }
            assertTrue(differs, "the 200x64 layer predicts from int8 weights");
        }
    }

    @Test
    void referenceBackendRefusesReducedPrecisionWithAClearMessage() {
        try (ReferenceBackend ref = new ReferenceBackend();
             Network net = Network.builder(4).dense(2).build(ref, 1, 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.setPrecision(Precision.INT8));
            assertTrue(e.getMessage().contains("int8") && e.getMessage().contains("native"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Precision.parse("fp16", "--precision"));
        assertEquals("--precision must be fp32, bf16 or int8, got 'fp16'", e.getMessage());
    }
}
