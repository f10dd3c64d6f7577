package io.tickgrad.reliability;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.model.Checkpoint;
import io.tickgrad.model.CheckpointFormatException;
import io.tickgrad.model.SafeTensors;
import io.tickgrad.model.SafeTensorsFile;
import io.tickgrad.nativeio.TickgradNative;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.tensor.Slab;
import io.tickgrad.train.Adam;
import io.tickgrad.train.Loss;
import io.tickgrad.train.Sgd;
import io.tickgrad.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every public entry point that ends in a native call is given bad addresses, lengths, shapes, batches and closed
 * objects; each must raise a Java exception (the JVM would die on a bad address inside a kernel, so reaching the
 * end of a test is itself the proof that nothing unchecked crossed JNI). After each test no native byte is left.
 */
class JniGuardTest {
    private static final int[] BAD_BATCHES = {0, -1, 9, Integer.MAX_VALUE, Integer.MIN_VALUE};
    private static NativeCpuBackend backend;
    private static long nativeBytesBefore;

    @BeforeAll
    static void open() {
        backend = NativeCpuBackend.create();
        nativeBytesBefore = TickgradNative.tg_allocated_bytes();
    }

    @AfterAll
    static void close() {
        assertEquals(nativeBytesBefore, TickgradNative.tg_allocated_bytes(), "native bytes left allocated");
        backend.close();
    }

    private static Network small() {
        return Network.builder(4).dense(3).relu().layerNorm().dropout(0.5f).dense(2).build(backend, 8, 1);
    }

    private static <T extends Throwable> void refused(Class<T> type, Executable call) {
        T e = assertThrows(type, call);
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "no message: " + e);
    }

    @Test
    void shouldRefuseBadBatchesAndArraysOnEveryPredictPath() {
        try (Network net = small()) {
            for (int b : BAD_BATCHES) {
                refused(IllegalArgumentException.class, () -> net.predict(b));
                refused(IllegalArgumentException.class, () -> net.predict(new float[64], b, new float[64]));
                refused(IllegalArgumentException.class, () -> net.writeInput(new float[64], b));
                refused(IllegalArgumentException.class, () -> net.forward(b, true, 0));
                refused(IllegalArgumentException.class, () -> net.backward(b, 0));
            }
            refused(IllegalArgumentException.class, () -> net.predict(null, new float[2]));
            refused(IllegalArgumentException.class, () -> net.predict(new float[4], null));
            refused(IllegalArgumentException.class, () -> net.predict(new float[3], new float[2]));
            refused(IllegalArgumentException.class, () -> net.predict(new float[4], new float[1]));
            refused(IllegalArgumentException.class, () -> net.predict(new float[31], 8, new float[16]));
            refused(IllegalArgumentException.class, () -> net.predict(new float[32], 8, new float[15]));
            refused(IllegalArgumentException.class, () -> net.writeInput(null, 1));
            refused(IllegalArgumentException.class, () -> net.writeInput(new float[7], 2));
            refused(IndexOutOfBoundsException.class, () -> net.backward(1, -1));
            refused(IndexOutOfBoundsException.class, () -> net.backward(1, net.layers().size()));
            assertThrows(IndexOutOfBoundsException.class, () -> net.layerOutputAddress(-1));
            assertThrows(IndexOutOfBoundsException.class, () -> net.layerOutputAddress(net.layers().size()));
            // the views cover exactly [maxBatch, width] floats
            refused(IndexOutOfBoundsException.class, () -> net.input().putFloat(8 * 4 * Float.BYTES, 1f));
            refused(IndexOutOfBoundsException.class, () -> net.input().putFloat(-4, 1f));
            refused(IndexOutOfBoundsException.class, () -> net.output().getFloat(8 * 2 * Float.BYTES));
            float[] y = new float[2];
            assertDoesNotThrow(() -> net.predict(new float[] {1, 2, 3, 4}, y));
        }
    }

    @Test
    void shouldRefuseBadParameters() {
        try (Network net = small()) {
            refused(IllegalArgumentException.class, () -> net.setParameter("dense_0.weight", new float[11]));
            refused(IllegalArgumentException.class, () -> net.setParameter("dense_0.weight", new float[13]));
            refused(IllegalArgumentException.class, () -> net.setParameter("nope", new float[12]));
            assertThrows(NullPointerException.class, () -> net.setParameter("dense_0.weight", null));
            refused(IllegalArgumentException.class, () -> net.getGradient("nope"));
            try (Network other = Network.builder(4).dense(2).build(backend, 8, 1)) {
                refused(IllegalArgumentException.class, () -> net.copyParametersFrom(other));
            }
        }
    }

    @Test
    void shouldRefuseBadTrainingCalls() {
        try (Network net = small();
             Trainer trainer = Trainer.builder(net).loss(Loss.meanSquaredError()).optimizer(Adam.adam(1e-3f)).build()) {
            for (int b : BAD_BATCHES) {
                refused(IllegalArgumentException.class, () -> trainer.step(b));
                refused(IllegalArgumentException.class, () -> trainer.step(b, true));
                refused(IllegalArgumentException.class, () -> trainer.evaluateLoss(b));
                refused(IllegalArgumentException.class, () -> trainer.writeTargets(new float[64], b));
            }
            refused(IllegalArgumentException.class, () -> trainer.step(new float[8], new float[3], 2));
            refused(IllegalArgumentException.class, () -> trainer.step(new float[7], new float[4], 2));
            assertThrows(NullPointerException.class, () -> trainer.writeTargets(null, 1));
            refused(IndexOutOfBoundsException.class, () -> trainer.targets().putFloat(8 * 2 * Float.BYTES, 1f));
            refused(IndexOutOfBoundsException.class, () -> trainer.sampleWeights().putFloat(8 * Float.BYTES, 1f));
            assertTrue(Float.isFinite(trainer.step(new float[8], new float[4], 2)));
        }
        // the weighted loss (tg_loss_weighted) behind the same checks
        try (Network net = small();
             Trainer trainer = Trainer.builder(net).loss(Loss.meanSquaredError())
                 .lossWeights(io.tickgrad.train.LossWeights.sampleWeighted()).optimizer(Adam.adam(1e-3f)).build()) {
            for (int b : BAD_BATCHES) {
                refused(IllegalArgumentException.class, () -> trainer.step(b));
                refused(IllegalArgumentException.class, () -> trainer.step(b, true));
                refused(IllegalArgumentException.class, () -> trainer.evaluateLoss(b));
            }
            assertTrue(Float.isFinite(trainer.step(new float[8], new float[4], 2)));
        }
    }

    /** One optimizer's state is sized for one network: a second, larger network would step past its end. */
    @Test
    void shouldRefuseAnOptimizerSharedBetweenNetworks() {
        for (boolean adam : new boolean[] {true, false}) {
            try (Network a = Network.builder(2).dense(1).build(backend, 1, 1);
                 Network b = Network.builder(64).dense(64).dense(64).build(backend, 1, 1)) {
                var optimizer = adam ? Adam.adam(1e-3f) : new Sgd(1e-2f, 0.9f, false, 0f);
                try (Trainer first = Trainer.builder(a).optimizer(optimizer).build()) {
                    refused(IllegalStateException.class, () -> Trainer.builder(b).optimizer(optimizer).build());
                    first.step(new float[2], new float[1], 1);
                }
            }
        }
    }

    @Test
    void shouldThrowOnEveryUseAfterCloseIncludingKeptViews() {
        Network net = small();
        Trainer trainer = Trainer.builder(net).optimizer(Adam.adam(1e-3f)).build();
        MutableDirectBuffer input = net.input();
        DirectBuffer output = net.output();
        MutableDirectBuffer targets = trainer.targets();
        MutableDirectBuffer weights = trainer.sampleWeights();
        trainer.close();
        assertDoesNotThrow(trainer::close);
        refused(IllegalStateException.class, () -> trainer.step(1));
        refused(IllegalStateException.class, () -> trainer.writeTargets(new float[2], 1));
        refused(IllegalStateException.class, () -> trainer.evaluateLoss(1));
        refused(IllegalStateException.class, trainer::targets);
        refused(IndexOutOfBoundsException.class, () -> targets.putFloat(0, 1f));
        refused(IndexOutOfBoundsException.class, () -> weights.putFloat(0, 1f));

        Trainer second = Trainer.builder(net).optimizer(Adam.adam(1e-3f)).build();
        net.close();
        assertDoesNotThrow(net::close);
        refused(IllegalStateException.class, () -> second.step(1));   // its network is gone
        second.close();
        refused(IllegalStateException.class, () -> net.predict(1));
        refused(IllegalStateException.class, () -> net.predict(new float[4], new float[2]));
        refused(IllegalStateException.class, () -> net.writeInput(new float[4], 1));
        refused(IllegalStateException.class, () -> net.forward(1, false, 0));
        refused(IllegalStateException.class, () -> net.backward(1, 0));
        refused(IllegalStateException.class, () -> net.setParameter("dense_0.weight", new float[12]));
        refused(IllegalStateException.class, () -> net.getParameter("dense_0.weight"));
        refused(IllegalStateException.class, () -> net.initialize(1));
        refused(IllegalStateException.class, net::inputAddress);
        refused(IllegalStateException.class, net::parameterSlab);
        refused(IllegalStateException.class, net::input);
        // views taken before close must not reach the freed memory
        refused(IndexOutOfBoundsException.class, () -> input.putFloat(0, 1f));
        refused(IndexOutOfBoundsException.class, () -> output.getFloat(0));

        NativeCpuBackend b = NativeCpuBackend.create();
        b.close();
        assertDoesNotThrow(b::close);
        refused(IllegalStateException.class, () -> b.sumSquares(0, 0));
        refused(IllegalStateException.class, () -> b.loss(0, 0, 0, 0, 1, 1, 0, 0f));
    }

    /**
     * The last line of defence, behind the Java checks: the C ABI refuses null addresses, non-positive sizes and
     * unknown kinds with a status, which the backend raises naming the kernel.
     */
    @Test
    void shouldRaiseTheStatusOfTheCAbiForNullAddressesAndBadSizes() {
        try (Slab s = Slab.ofFloats("s", 64)) {
            long a = s.address();
            Executable[] calls = {
                () -> backend.denseForward(a, a, 0, 0, 1, 2, 2),
                () -> backend.denseForward(a, a, a, 0, 0, 2, 2),
                () -> backend.denseForward(a, a, a, 0, 1, -2, 2),
                () -> backend.denseBackward(a, a, a, 0, a, a, 1, 2, 2),
                () -> backend.activationForward(a, 0, 4, 1, 0f),
                () -> backend.activationForward(a, a, 0, 1, 0f),
                () -> backend.activationForward(a, a, 4, 99, 0f),
                () -> backend.softmaxForward(a, a, 2, 0),
                () -> backend.layerNormForward(a, a, a, a, 0, 0, 2, 2, 1e-3f),
                () -> backend.dropoutForward(a, 0, a, 4, 0.5f, 1),
                () -> backend.dropoutForward(a, a, a, 4, 1f, 1),
                () -> backend.loss(a, a, a, 0, 0, 2, 1, 0f),
                () -> backend.loss(a, a, a, 0, 2, 2, 0, 0f),
                () -> backend.sgdStep(0, 0, a, 4, 0.1f, 0f, 0f, false),
                () -> backend.adamStep(a, 0, a, a, 4, 0.1f, 0.9f, 0.999f, 1e-7f, 0f, 1, false),
                () -> backend.sumSquares(0, 4),
                () -> backend.scale(a, -1, 2f),
                () -> backend.planForward(a, a, 0, 1, 1),
            };
            for (Executable call : calls) {
                IllegalStateException e = assertThrows(IllegalStateException.class, call);
                assertTrue(e.getMessage().startsWith("tg_"), e.getMessage());
            }
        }
    }

    @Test
    void shouldCheckSlabRangesWithoutOverflow() {
        try (Slab s = Slab.ofFloats("s", 16)) {
            long[][] bad = {
                {-1, 1}, {0, -1}, {0, 17}, {16, 1}, {17, 0},
                {(1L << 62) - 1, 1}, {(1L << 62) - (1 << 20), 1 << 20}, {Long.MAX_VALUE, 1},
                {1, Long.MAX_VALUE}, {Long.MAX_VALUE, Long.MAX_VALUE}, {Long.MIN_VALUE, 0}};
            for (long[] r : bad) {
                refused(IndexOutOfBoundsException.class, () -> s.floatAddress(r[0], r[1]));
                refused(IndexOutOfBoundsException.class, () -> s.zero(r[0], r[1]));
            }
            for (long i : new long[] {-1, 16, (1L << 62) - 1, (1L << 62), Long.MAX_VALUE, Long.MIN_VALUE}) {
                refused(IndexOutOfBoundsException.class, () -> s.getFloat(i));
                refused(IndexOutOfBoundsException.class, () -> s.putFloat(i, 1f));
            }
            refused(IndexOutOfBoundsException.class, () -> s.putFloats((1L << 62) - 1, new float[4], 0, 1));
            refused(IndexOutOfBoundsException.class, () -> s.putFloats(0, new float[4], -1, 2));
            refused(IndexOutOfBoundsException.class, () -> s.putFloats(0, new float[4], 3, 2));
            refused(IndexOutOfBoundsException.class, () -> s.getFloats(0, new float[4], 0, 5));
            refused(IndexOutOfBoundsException.class, () -> s.getFloats(15, new float[4], 0, 2));
            assertEquals(s.address() + 15 * Float.BYTES, s.floatAddress(15, 1));
            assertEquals(s.address() + 16 * Float.BYTES, s.floatAddress(16, 0));
            try (Slab other = Slab.ofFloats("o", 15)) {
                refused(IllegalArgumentException.class, () -> s.copyFrom(other));
            }
        }
        for (long n : new long[] {0, -1, Long.MIN_VALUE, Integer.MAX_VALUE / 4 + 1, Long.MAX_VALUE}) {
            refused(IllegalArgumentException.class, () -> Slab.ofFloats("bad", n));
        }
        refused(IllegalArgumentException.class, () -> Slab.ofBytes("bad", Integer.MAX_VALUE + 1L));
        Slab closed = Slab.ofFloats("c", 4);
        var view = closed.buffer();
        closed.close();
        assertDoesNotThrow(closed::close);
        refused(IllegalStateException.class, closed::address);
        refused(IllegalStateException.class, () -> closed.floatAddress(0, 1));
        refused(IllegalStateException.class, () -> closed.getFloat(0));
        refused(IndexOutOfBoundsException.class, () -> view.putFloat(0, 1f));
    }

    @Test
    void shouldRefuseBadThreadCountsAndNetworkShapes() {
        int threads = TickgradNative.tg_num_threads();
        for (int n : new int[] {0, -1, 257, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            refused(IllegalArgumentException.class, () -> NativeCpuBackend.create(n));
        }
        assertEquals(threads, TickgradNative.tg_num_threads(), "a refused call changed the thread count");
        refused(IllegalArgumentException.class, () -> Network.builder(0).dense(1).build(backend, 1, 1));
        refused(IllegalArgumentException.class, () -> Network.builder(4).dense(0).build(backend, 1, 1));
        refused(IllegalArgumentException.class, () -> Network.builder(4).dense(1).build(backend, 0, 1));
        refused(IllegalArgumentException.class, () -> Network.builder(4).dense(1).build(backend, -5, 1));
        // too large for one slab: refused before any allocation
        refused(IllegalArgumentException.class, () -> Network.builder(1 << 16).dense(1 << 16).build(backend, 1, 1));
        refused(IllegalArgumentException.class, () -> Network.builder(1 << 20).dense(1).build(backend, 1 << 12, 1));
    }

    /** The peak resident set size of this process (VmHWM), in kB; 0 where /proc is not there. */
    private static long peakRssKb() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return 0;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    @Test
    void shouldRefuseCheckpointsWhoseMetadataDisagreesWithTheirTensors(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("good.safetensors");
        try (Network net = small()) {
            Checkpoint.save(net, good);
        }
        SafeTensorsFile st = SafeTensors.read(good);
        String arch = st.metadata().get(Checkpoint.ARCHITECTURE_KEY);
        Map<String, String> cases = new HashMap<>();
        cases.put("wider-layer", arch.replace("\"units\":3", "\"units\":5"));
        // 180M floats of parameters, as many gradients and 100M of activations (1.8 GB): refused before allocating
        cases.put("huge-layer", arch.replace("\"units\":3", "\"units\":20000000"));
        cases.put("huge-input", arch.replace("\"inputs\":4", "\"inputs\":500000000"));
        cases.put("other-input", arch.replace("\"inputs\":4", "\"inputs\":5"));
        cases.put("no-bias", arch.replace("\"units\":2,\"use_bias\":true", "\"units\":2,\"use_bias\":false"));
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Map<String, String> meta = new HashMap<>(st.metadata());
            meta.put(Checkpoint.ARCHITECTURE_KEY, c.getValue());
            Path bad = dir.resolve(c.getKey() + ".safetensors");
            SafeTensors.write(bad, st.tensors(), meta);
            long before = TickgradNative.tg_allocated_bytes();
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Checkpoint.load(bad, backend, 8),
                c.getKey());
            assertTrue(e.getCause() instanceof CheckpointFormatException, c.getKey() + ": " + e);
            assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("tickgrad.architecture")
                || e.getMessage().contains("tensors"), c.getKey() + ": " + e.getMessage());
            assertEquals(before, TickgradNative.tg_allocated_bytes(), c.getKey() + ": native bytes left");
        }
        // the refusal comes before allocating: the peak RSS does not move by the 1.8 GB that building it would touch
        Path huge = dir.resolve("huge-layer.safetensors");
        long peakBefore = peakRssKb();
        assertThrows(UncheckedIOException.class, () -> Checkpoint.load(huge, backend, 1));
        long peakGrowth = peakRssKb() - peakBefore;
        assertTrue(peakGrowth < 256 * 1024, "peak RSS grew by " + peakGrowth + " kB while refusing " + huge);
        for (int b : new int[] {0, -1}) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> Checkpoint.load(good, backend, b));
            assertTrue(e.getMessage().contains("maxBatch"), e.getMessage());
        }
    }
}
