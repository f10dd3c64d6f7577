package io.tickgrad.reliability;

import io.tickgrad.model.Architecture;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.model.SafeTensors;
import io.tickgrad.model.TensorEntry;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes the seed corpus of {@link ParserFuzzTest} (small valid inputs, one per feature a parser supports) into
 * {@code <dir>/ParserFuzzTestInputs/<method>/seed-*}. Run once from the test class path with the test resources
 * folder {@code src/test/resources/io/tickgrad/reliability} as the argument; the output is committed.
 */
public final class SeedCorpus {
    private SeedCorpus() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]).resolve("ParserFuzzTestInputs");
        Path tmp = Files.createTempDirectory("seeds");
        try (NativeCpuBackend backend = NativeCpuBackend.create();
             Network net = Network.builder(4).dense(3).relu().layerNorm().dropout(0.25f).dense(2).sigmoid()
                 .build(backend, 2, 7)) {
            net.setTrainable("dense_0", false);
            Path ck = tmp.resolve("tiny.safetensors");
            Checkpoint.save(net, ck, Map.of("note", "seed"));
            byte[] checkpoint = Files.readAllBytes(ck);
            put(root, "checkpointLoad", "seed-tiny", checkpoint);
            put(root, "safeTensorsRead", "seed-tiny-checkpoint", checkpoint);
            put(root, "architectureJson", "seed-tiny", Architecture.of(net).toJson().getBytes(StandardCharsets.UTF_8));
        }
        // safetensors with the other dtypes a reader converts, and an empty tensor
        put(root, "safeTensorsRead", "seed-dtypes", safetensors(
            "{\"__metadata__\":{\"k\":\"v\"},\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1,2],\"data_offsets\":[4,8]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]},"
                + "\"e\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[16,16]}}",
            new byte[] {0x00, 0x3c, 0x00, (byte) 0xc0, (byte) 0x80, 0x3f, 0x00, 0x40, 0, 0, 0, 0, 0, 0, (byte) 0xf0, 0x3f}));
        // torch-style names for 4:dense(3),relu,layer_norm,dense(2); kernels [out, in]
        Path torch = tmp.resolve("torch.safetensors");
        SafeTensors.write(torch, List.of(
            TensorEntry.f32("0.weight", new long[] {3, 4}, ramp(12)),
            TensorEntry.f32("0.bias", new long[] {3}, ramp(3)),
            TensorEntry.f32("2.weight", new long[] {3}, ramp(3)),
            TensorEntry.f32("2.bias", new long[] {3}, ramp(3)),
            TensorEntry.f32("3.weight", new long[] {2, 3}, ramp(6)),
            TensorEntry.f32("3.bias", new long[] {2}, ramp(2))), Map.of());
        put(root, "torchImport", "seed-sequential", Files.readAllBytes(torch));

        String keras = """
            {"format": "layers-model", "modelTopology": {"keras_version": "2.15.0", "model_config": {
             "class_name": "Sequential", "config": {"name": "tiny", "layers": [
              {"class_name": "InputLayer", "config": {"name": "in", "batch_input_shape": [null, 3]}},
              {"class_name": "Dense", "config": {"name": "d", "units": 2, "activation": "tanh", "use_bias": true}},
              {"class_name": "LayerNormalization", "config": {"name": "ln", "axis": [-1], "epsilon": 0.01,
               "center": false, "scale": true}},
              {"class_name": "LeakyReLU", "config": {"name": "lr", "alpha": 0.1}},
              {"class_name": "Dropout", "config": {"name": "dr", "rate": 0.5}},
              {"class_name": "Dense", "config": {"name": "h", "units": 2, "activation": "softmax", "use_bias": false,
               "trainable": false}}]}}},
             "weightsManifest": [{"paths": ["s1"], "weights": [
              {"name": "d/kernel", "shape": [3, 2], "dtype": "float32"},
              {"name": "d/bias", "shape": [2], "dtype": "float32"},
              {"name": "ln/gamma", "shape": [2], "dtype": "float32"},
              {"name": "h/kernel", "shape": [2, 2], "dtype": "float32"}]}]}""";
        String kerasList = """
            {"modelTopology": {"keras_version": "2.2.2", "model_config": {"class_name": "Sequential", "config": [
              {"class_name": "Dense", "config": {"name": "a", "units": 2, "activation": "relu",
               "batch_input_shape": [null, 2]}},
              {"class_name": "Dense", "config": {"name": "b", "units": 1, "activation": "sigmoid"}}]}},
             "weightsManifest": [{"paths": ["s1"], "weights": [
              {"name": "a/kernel", "shape": [2, 2], "dtype": "float32"},
              {"name": "a/bias", "shape": [2], "dtype": "float32"},
              {"name": "b/kernel", "shape": [2, 1], "dtype": "float32"},
              {"name": "b/bias", "shape": [1], "dtype": "float32"}]}]}""";
        put(root, "kerasImport", "seed-layers", concat(keras, floats(ramp(14))));
        put(root, "kerasImport", "seed-keras2-list", concat(kerasList, floats(ramp(9))));

        put(root, "numericCsv", "seed-rows", "1,2,3\n4.5,-6e-3, 7\n\n8,9,10\n".getBytes(StandardCharsets.UTF_8));
        put(root, "tradesCsv", "seed-trades", ("timestamp,price,amount\n1385856000,1000.5,0.1\n\n"
            + "1385856060,1001,2.5\n1385856120,999.25,0.0\n").getBytes(StandardCharsets.UTF_8));
        put(root, "architectureSpec", "seed-mlp", "32:dense(64),relu,dense(1)".getBytes(StandardCharsets.UTF_8));
        put(root, "architectureSpec", "seed-all", ("8:dense_nobias(4),leaky_relu(0.1),gelu,gelu_tanh,tanh,layer_norm(1e-3),"
            + "dropout(0.2),dense(3),linear,softmax,sigmoid,relu").getBytes(StandardCharsets.UTF_8));
    }

    private static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i - n / 2f) / n;
        }
        return v;
    }

    private static byte[] floats(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    private static byte[] concat(String json, byte[] shard) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(json.getBytes(StandardCharsets.UTF_8));
        out.write(0);
        out.write(shard);
        return out.toByteArray();
    }

    private static byte[] safetensors(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return b.array();
    }

    private static void put(Path root, String method, String name, byte[] data) throws IOException {
        Path dir = root.resolve(method);
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), data);
    }
}
