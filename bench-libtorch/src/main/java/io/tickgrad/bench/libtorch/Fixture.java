package io.tickgrad.bench.libtorch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One network's fixture as bench/ writes it (io.tickgrad.bench.PeerFixtures): a safetensors file with F32
 * tensors and string metadata. A minimal reader of its own, so that this module needs nothing from the tickgrad
 * core (whose JavaCPP version must not meet the pytorch presets').
 */
final class Fixture {
    /** Where bench/run.sh has the fixtures written; -Dtickgrad.fixtures=DIR overrides it. */
    static final String DIR_PROPERTY = "tickgrad.fixtures";
    static final String DEFAULT_DIR = "bench/target/peer-fixtures";

    record Tensor(long[] shape, float[] data) {
    }

    final Path file;
    final Map<String, Tensor> tensors = new LinkedHashMap<>();
    final Map<String, String> metadata = new LinkedHashMap<>();

    private Fixture(Path file) {
        this.file = file;
    }

    static Fixture load(String network) throws IOException {
        Path file = Path.of(System.getProperty(DIR_PROPERTY, DEFAULT_DIR), network + ".safetensors");
        if (!Files.isRegularFile(file)) {
            throw new IOException(file.toAbsolutePath() + " is missing: bench/run.sh writes it (PeerFixtures) before "
                + "the LibTorch benchmarks run; or point -D" + DIR_PROPERTY + " at the directory");
        }
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buf.getLong(0);
        if (headerLength <= 0 || 8 + headerLength > bytes.length) {
            throw new IOException(file + ": header length " + headerLength + " does not fit a " + bytes.length + "-byte file");
        }
        JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, (int) headerLength, java.nio.charset.StandardCharsets.UTF_8));
        int dataStart = 8 + (int) headerLength;
        Fixture f = new Fixture(file);
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                e.getValue().fields().forEachRemaining(m -> f.metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            JsonNode t = e.getValue();
            if (!"F32".equals(t.path("dtype").asText())) {
                throw new IOException(file + ": tensor " + e.getKey() + " has dtype " + t.path("dtype") + ", expected F32");
            }
            long[] shape = new long[t.path("shape").size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.path("shape").get(i).asLong();
                count *= shape[i];
            }
            long begin = t.path("data_offsets").get(0).asLong();
            long end = t.path("data_offsets").get(1).asLong();
            if (end - begin != count * Float.BYTES || dataStart + end > bytes.length) {
                throw new IOException(file + ": tensor " + e.getKey() + " data_offsets [" + begin + ", " + end
                    + "] do not hold " + count + " floats inside the file");
            }
            float[] data = new float[(int) count];
            buf.position(dataStart + (int) begin);
            buf.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
            f.tensors.put(e.getKey(), new Tensor(shape, data));
        }
        return f;
    }

    Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalStateException(file + ": no tensor '" + name + "' (has " + tensors.keySet() + ")");
        }
        return t;
    }

    String meta(String key) {
        String v = metadata.get(key);
        if (v == null) {
            throw new IllegalStateException(file + ": no metadata '" + key + "' (has " + metadata.keySet() + ")");
        }
        return v;
    }
}
