package io.tickgrad.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.tensor.ParamEntry;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints: bit-exact round trips, metadata, and refusals that name the file and the field. */
class CheckpointTest {
    private static NativeCpuBackend backend;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        backend = NativeCpuBackend.create();
    }

    @AfterAll
    static void tearDown() {
        backend.close();
    }

    private static Network network() {
        return Network.builder(7).dense(9).layerNorm().gelu().dropout(0.2f).dense(4, false).leakyRelu(0.2f)
            .dense(3).softmax().build(backend, 4, 1);
    }

    private static void randomize(Network net, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (ParamEntry e : net.parameters().entries()) {
            float[] v = new float[(int) e.length()];
            for (int i = 0; i < v.length; i++) {
                v[i] = Float.intBitsToFloat(r.nextInt());   // every bit pattern, NaN payloads included
            }
            net.setParameter(e.name(), v);
        }
    }

    @Test
    void shouldRoundTripEveryParameterBitForBitWithFlagsAndMetadata() {
        Path file = dir.resolve("m.safetensors");
        try (Network net = network()) {
            randomize(net, 3);
            net.freezeFirst(1);
            net.parameters().get("dense_4.weight").setLearningRateScale(0.1f);
            net.parameters().get("dense_6.bias").setWeightDecayed(false);
            Checkpoint.save(net, file, Map.of(FeatureNormalisation.METADATA_KEY,
                new FeatureNormalisation(new float[] {1, 2}, new float[] {3, 4}).toJson()));
            try (Network back = Checkpoint.load(file, backend, 2)) {
                assertEquals(net.layers().size(), back.layers().size());
                for (ParamEntry e : net.parameters().entries()) {
                    float[] a = net.getParameter(e.name());
                    float[] b = back.getParameter(e.name());
                    for (int i = 0; i < a.length; i++) {
                        assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), e.name() + "[" + i + "]");
                    }
                    ParamEntry be = back.parameters().get(e.name());
                    assertEquals(e.trainable(), be.trainable(), e.name());
                    assertEquals(e.learningRateScale(), be.learningRateScale(), e.name());
                    assertEquals(e.weightDecayed(), be.weightDecayed(), e.name());
                }
                assertFalse(back.parameters().get("dense_0.weight").trainable());
                assertFalse(back.parameters().get("dense_6.bias").weightDecayed());
                assertTrue(back.parameters().get("dense_4.weight").weightDecayed());
                assertEquals(2, back.maxBatch());
            }
            Map<String, String> meta = Checkpoint.readMetadata(file);
            FeatureNormalisation fn = FeatureNormalisation.fromJson(meta.get(FeatureNormalisation.METADATA_KEY), "m");
            assertArrayEquals(new float[] {1, 2}, fn.mean());
            assertTrue(meta.get(Checkpoint.ARCHITECTURE_KEY).contains("\"layer_norm\""));
        }
    }

    @Test
    void shouldKeepStateTensorsBesideTheWeightsAndLoadLikeAnyCheckpoint() {
        Path file = dir.resolve("state.safetensors");
        try (Network net = network()) {
            randomize(net, 8);
            float[] m = {1f, -2f, 3.5f};
            Checkpoint.save(net, file, Map.of(), List.of(TensorEntry.f32("optimizer.adam.m.dense_2.bias", new long[] {3}, m)));
            Map<String, TensorEntry> state = Checkpoint.readState(file);
            assertEquals(List.of("optimizer.adam.m.dense_2.bias"), List.copyOf(state.keySet()));
            assertArrayEquals(m, state.get("optimizer.adam.m.dense_2.bias").data());
            try (Network back = Checkpoint.load(file, backend, 1)) {
                for (ParamEntry e : net.parameters().entries()) {
                    assertArrayEquals(net.getParameter(e.name()), back.getParameter(e.name()), e.name());
                }
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.save(net,
                dir.resolve("bad.safetensors"), Map.of(), List.of(TensorEntry.f32("dense_9.weight", new long[] {1},
                    new float[1]))));
            assertTrue(e.getMessage().contains("optimizer."), e.getMessage());
        }
        try (Network plain = network()) {
            Checkpoint.save(plain, dir.resolve("plain.safetensors"));
            assertTrue(Checkpoint.readState(dir.resolve("plain.safetensors")).isEmpty());
        }
    }

    @Test
    void shouldRefuseATruncatedFileNamingIt() throws Exception {
        Path file = dir.resolve("t.safetensors");
        try (Network net = network()) {
            Checkpoint.save(net, file);
        }
        byte[] bytes = Files.readAllBytes(file);
        for (int cut : new int[] {0, 7, 8, 20, bytes.length / 2, bytes.length - 1}) {
            Path truncated = dir.resolve("cut" + cut + ".safetensors");
            Files.write(truncated, java.util.Arrays.copyOf(bytes, cut));
            UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> Checkpoint.load(truncated, backend, 1));
            assertInstanceOf(CheckpointFormatException.class, e.getCause());
            assertTrue(e.getMessage().contains(truncated.getFileName().toString()), e.getMessage());
        }
    }

    @Test
    void shouldListEveryTensorThatDoesNotMatchTheArchitecture() throws Exception {
        Path file = dir.resolve("x.safetensors");
        try (Network net = network()) {
            Checkpoint.save(net, file);
        }
        SafeTensorsFile st = SafeTensors.read(file);
        List<TensorEntry> changed = new ArrayList<>();
        for (TensorEntry t : st.tensors()) {
            if (t.name().equals("dense_0.bias")) {
                continue;   // missing
            }
            if (t.name().equals("dense_6.weight")) {
                changed.add(TensorEntry.f32(t.name(), new long[] {2, 2}, new float[4]));   // wrong shape
                continue;
            }
            changed.add(t);
        }
        changed.add(TensorEntry.f32("extra.weight", new long[] {1}, new float[1]));   // unexpected
        Path bad = dir.resolve("bad.safetensors");
        SafeTensors.write(bad, changed, st.metadata());
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Checkpoint.load(bad, backend, 1));
        String m = e.getMessage();
        assertTrue(m.contains("bad.safetensors"), m);
        assertTrue(m.contains("missing tensor 'dense_0.bias'"), m);
        assertTrue(m.contains("'dense_6.weight' has shape [2, 2], expected [4, 3]"), m);
        assertTrue(m.contains("unexpected tensor 'extra.weight'"), m);
    }

    @Test
    void shouldRefuseForeignOrCorruptMetadata() throws Exception {
        Path foreign = dir.resolve("foreign.safetensors");
        SafeTensors.write(foreign, List.of(TensorEntry.f32("w", new long[] {1}, new float[] {1})), Map.of());
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Checkpoint.load(foreign, backend, 1));
        assertTrue(e.getMessage().contains("tickgrad.format"), e.getMessage());

        Path corrupt = dir.resolve("corrupt.safetensors");
        SafeTensors.write(corrupt, List.of(TensorEntry.f32("w", new long[] {1}, new float[] {1})),
            Map.of(Checkpoint.FORMAT_KEY, "1", Checkpoint.ARCHITECTURE_KEY, "{\"inputs\": 2, \"layers\": [{]}"));
        e = assertThrows(UncheckedIOException.class, () -> Checkpoint.load(corrupt, backend, 1));
        assertTrue(e.getMessage().contains("corrupt.safetensors"), e.getMessage());
        assertTrue(e.getMessage().contains("tickgrad.architecture"), e.getMessage());

        try (Network net = network()) {   // a weight-decay flag that is not a boolean is named, field and file
            Path saved = dir.resolve("decay.safetensors");
            Checkpoint.save(net, saved);
            Map<String, String> meta = new java.util.LinkedHashMap<>(Checkpoint.readMetadata(saved));
            meta.put(Checkpoint.WEIGHT_DECAY_KEY, "{\"dense_6.bias\": 0}");
            Path bad = dir.resolve("bad-decay.safetensors");
            SafeTensors.write(bad, SafeTensors.read(saved).tensors(), meta);
            e = assertThrows(UncheckedIOException.class, () -> Checkpoint.load(bad, backend, 1));
            assertTrue(e.getMessage().contains("bad-decay.safetensors"), e.getMessage());
            assertTrue(e.getMessage().contains("tickgrad.weight_decay.dense_6.bias"), e.getMessage());
        }

        Path future = dir.resolve("future.safetensors");
        SafeTensors.write(future, List.of(), Map.of(Checkpoint.FORMAT_KEY, "9"));
        e = assertThrows(UncheckedIOException.class, () -> Checkpoint.load(future, backend, 1));
        assertTrue(e.getMessage().contains("expected version 1"), e.getMessage());
    }

    @Test
    void shouldImportPyTorchSequentialWeightsTransposingLinearKernels() throws Exception {
        Architecture arch = Architecture.parseSpec("3:dense(2),relu,layer_norm(0.00001),dense(1)");
        float[] w0 = {1, 2, 3, 4, 5, 6};            // torch [out=2, in=3]
        Path file = dir.resolve("torch.safetensors");
        SafeTensors.write(file, List.of(
            TensorEntry.f32("0.weight", new long[] {2, 3}, w0),
            TensorEntry.f32("0.bias", new long[] {2}, new float[] {0.5f, -0.5f}),
            TensorEntry.f32("2.weight", new long[] {2}, new float[] {1, 1}),
            TensorEntry.f32("2.bias", new long[] {2}, new float[] {0, 0}),
            TensorEntry.f32("3.weight", new long[] {1, 2}, new float[] {7, 8}),
            TensorEntry.f32("3.bias", new long[] {1}, new float[] {9})), Map.of("format", "pt"));
        try (Network net = TorchImporter.importSequential(file, arch, backend, 1, "", Map.of())) {
            assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, net.getParameter("dense_0.weight"));   // [in, out]
            assertArrayEquals(new float[] {7, 8}, net.getParameter("dense_3.weight"));
            assertArrayEquals(new float[] {9}, net.getParameter("dense_3.bias"));
        }
        Architecture wrong = Architecture.parseSpec("3:dense(4),relu,layer_norm,dense(1)");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
            () -> TorchImporter.importSequential(file, wrong, backend, 1, "", Map.of()));
        assertTrue(e.getMessage().contains("'0.weight' has shape [2, 3], expected [4, 3]"), e.getMessage());
    }
}
