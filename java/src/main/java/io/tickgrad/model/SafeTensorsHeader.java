package io.tickgrad.model;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The validated header of a safetensors file: metadata and where each tensor lies in the data area.
 *
 * <p>Everything that can be checked without reading tensor bytes is checked here, so that nothing
 * is allocated for tensor data before the whole header is known to be consistent with the file size.
 */
final class SafeTensorsHeader {

    /** Headers above this are refused (the reference implementation uses the same limit). */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    /** The most values a Java float[] can safely hold. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    static final String METADATA_KEY = "__metadata__";

    /**
     * Strict JSON: duplicate keys and trailing tokens refused; strings and names may be as long as a
     * header, so whatever {@link SafeTensors#write} produces can be read back.
     */
    static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength((int) MAX_HEADER_BYTES)
                            .maxNameLength((int) MAX_HEADER_BYTES)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final Set<String> TENSOR_KEYS = Set.of("dtype", "shape", "data_offsets");

    /** One tensor's place in the data area: bytes [begin, end) after the header. */
    record Slot(String name, DType dtype, long[] shape, long elementCount, long begin, long end) {
    }

    final Map<String, String> metadata;
    final List<Slot> slots;
    /** File position of the first data byte: 8 + header length. */
    final long dataStart;

    private SafeTensorsHeader(Map<String, String> metadata, List<Slot> slots, long dataStart) {
        this.metadata = metadata;
        this.slots = slots;
        this.dataStart = dataStart;
    }

    /** Reads and validates the header of {@code channel}, the open {@code file}. */
    /**
     * What a file whose first 8 bytes are no plausible header length looks like, in words; null when it may be a
     * damaged safetensors file (then the header length is reported).
     */
    static String sniff(ByteBuffer first8) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = first8.get(i);
        }
        if (b[0] == 'P' && b[1] == 'K') {
            return "a zip archive (a PyTorch .pt/.pth or Keras .keras file? save the weights with "
                + "safetensors.torch.save_file, or import a Keras model.json)";
        }
        if ((b[0] & 0xff) == 0x89 && b[1] == 'H' && b[2] == 'D' && b[3] == 'F') {
            return "an HDF5 file (a Keras .h5 model? convert it with tensorflowjs_converter and import the model.json)";
        }
        if ((b[0] & 0xff) == 0x80 && b[1] >= 2 && b[1] <= 5) {
            return "a Python pickle (a PyTorch checkpoint? save the weights with safetensors.torch.save_file)";
        }
        if ((b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
            return "a gzip file";
        }
        int start = (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf ? 3 : 0;
        boolean text = true;
        for (int i = start; i < 8; i++) {
            int c = b[i] & 0xff;
            if (!(c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0x7f))) {
                text = false;
                break;
            }
        }
        if (text) {
            StringBuilder sb = new StringBuilder();
            for (int i = start; i < 8; i++) {
                int c = b[i] & 0xff;
                sb.append(c >= 0x20 ? (char) c : ' ');
            }
            return "text starting '" + sb.toString().strip() + "' (a CSV or JSON file given as a model?)";
        }
        return null;
    }

    static SafeTensorsHeader read(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw new CheckpointFormatException(file, "header length",
                    "expected an 8-byte little-endian header length, found a file of " + fileSize + " bytes");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, "header length", channel, lengthBytes, 0);
        long headerLength = lengthBytes.getLong(0);
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > fileSize - 8) {
            String kind = sniff(lengthBytes);
            if (kind != null) {
                throw new CheckpointFormatException(file, "content", "expected a safetensors file (an 8-byte header "
                    + "length, then a JSON header), found " + kind);
            }
            throw new CheckpointFormatException(file, "header length",
                    "expected between 2 and " + Math.min(MAX_HEADER_BYTES, fileSize - 8)
                            + " bytes (at most 100 MB and what the " + fileSize + "-byte file holds after"
                            + " the 8-byte length), found " + Long.toUnsignedString(headerLength));
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(file, "header", channel, headerBytes, 8);
        long dataStart = 8 + headerLength;
        return parse(file, headerBytes.array(), dataStart, fileSize - dataStart);
    }

    private static SafeTensorsHeader parse(Path file, byte[] json, long dataStart, long dataLength)
            throws CheckpointFormatException {
        String text = decodeUtf8(file, json);
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new CheckpointFormatException(file, "header",
                    "expected a UTF-8 JSON object without duplicate keys, found invalid JSON: "
                            + e.getOriginalMessage() + locationOf(e), e);
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointFormatException(file, "header",
                    "expected a JSON object mapping tensor names to tensor info, found " + describe(root));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Slot> slots = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (METADATA_KEY.equals(field.getKey())) {
                parseMetadata(file, field.getValue(), metadata);
            } else {
                slots.add(parseSlot(file, field.getKey(), field.getValue(), dataLength));
            }
        }
        checkCoverage(file, slots, dataLength);
        return new SafeTensorsHeader(metadata, List.copyOf(slots), dataStart);
    }

    private static void parseMetadata(Path file, JsonNode node, Map<String, String> metadata)
            throws CheckpointFormatException {
        if (node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw new CheckpointFormatException(file, METADATA_KEY,
                    "expected an object of string values, found " + describe(node));
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isTextual()) {
                throw new CheckpointFormatException(file, METADATA_KEY + " '" + entry.getKey() + "'",
                        "expected a string value, found " + describe(entry.getValue()));
            }
            metadata.put(entry.getKey(), entry.getValue().textValue());
        }
    }

    private static Slot parseSlot(Path file, String name, JsonNode node, long dataLength)
            throws CheckpointFormatException {
        String tensor = "tensor '" + name + "'";
        if (!node.isObject()) {
            throw new CheckpointFormatException(file, tensor,
                    "expected an object with dtype, shape and data_offsets, found " + describe(node));
        }
        for (Map.Entry<String, JsonNode> key : node.properties()) {
            if (!TENSOR_KEYS.contains(key.getKey())) {
                throw new CheckpointFormatException(file, tensor + " " + key.getKey(),
                        "expected only the keys dtype, shape and data_offsets, found this unknown key");
            }
        }
        DType dtype = parseDtype(file, tensor + " dtype", node.get("dtype"));
        long[] shape = parseNonNegativeLongs(file, tensor + " shape", node.get("shape"), -1);
        long[] offsets = parseNonNegativeLongs(file, tensor + " data_offsets", node.get("data_offsets"), 2);
        long begin = offsets[0];
        long end = offsets[1];

        long elementCount = 1;
        for (long dim : shape) {
            elementCount = multiplyOrFail(file, tensor + " shape", elementCount, dim, shape);
        }
        if (elementCount > MAX_ELEMENTS) {
            throw new CheckpointFormatException(file, tensor + " shape",
                    "expected at most " + MAX_ELEMENTS + " values (a Java float[]), found " + elementCount
                            + " in shape " + Arrays.toString(shape));
        }
        if (begin > end) {
            throw new CheckpointFormatException(file, tensor + " data_offsets",
                    "expected begin <= end, found [" + begin + ", " + end + "]");
        }
        long byteLength = multiplyOrFail(file, tensor + " shape", elementCount, dtype.byteSize(), shape);
        if (byteLength != end - begin) {
            throw new CheckpointFormatException(file, tensor + " data_offsets",
                    "expected " + byteLength + " bytes (shape " + Arrays.toString(shape) + " of " + dtype
                            + "), found [" + begin + ", " + end + "] spanning " + (end - begin) + " bytes");
        }
        if (end > dataLength) {
            throw new CheckpointFormatException(file, tensor + " data_offsets",
                    "expected end <= " + dataLength + " (the data area after the header holds " + dataLength
                            + " bytes; is the file truncated?), found [" + begin + ", " + end + "]");
        }
        return new Slot(name, dtype, shape, elementCount, begin, end);
    }

    private static DType parseDtype(Path file, String field, JsonNode node) throws CheckpointFormatException {
        if (node == null || !node.isTextual()) {
            throw new CheckpointFormatException(file, field,
                    "expected a dtype string such as \"F32\", found " + describe(node));
        }
        DType dtype = DType.fromHeaderName(node.textValue());
        if (dtype == null) {
            throw new CheckpointFormatException(file, field,
                    "expected one of " + Arrays.toString(DType.values()) + ", found \"" + node.textValue() + "\"");
        }
        if (!dtype.convertibleToFloat()) {
            throw new CheckpointFormatException(file, field,
                    "expected a dtype tickgrad can load as float32, found " + dtype
                            + " (a valid safetensors dtype that is not supported)");
        }
        return dtype;
    }

    /** A JSON array of non-negative integers; {@code requiredLength} -1 means any length. */
    private static long[] parseNonNegativeLongs(Path file, String field, JsonNode node, int requiredLength)
            throws CheckpointFormatException {
        String expected = requiredLength < 0 ? "an array of non-negative integers"
                : "an array of " + requiredLength + " non-negative integers";
        if (node == null || !node.isArray()) {
            throw new CheckpointFormatException(file, field, "expected " + expected + ", found " + describe(node));
        }
        if (requiredLength >= 0 && node.size() != requiredLength) {
            throw new CheckpointFormatException(file, field,
                    "expected " + expected + ", found " + node.size() + " elements: " + node);
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode element = node.get(i);
            if (!element.isIntegralNumber() || !element.canConvertToLong() || element.longValue() < 0) {
                throw new CheckpointFormatException(file, field,
                        "expected " + expected + ", found " + element + " at index " + i);
            }
            values[i] = element.longValue();
        }
        return values;
    }

    private static long multiplyOrFail(Path file, String field, long a, long b, long[] shape)
            throws CheckpointFormatException {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new CheckpointFormatException(file, field,
                    "expected a shape whose byte size fits in a long, found " + Arrays.toString(shape), e);
        }
    }

    /** Tensors must tile the data area exactly: no overlap, no gap, no trailing bytes. */
    private static void checkCoverage(Path file, List<Slot> slots, long dataLength)
            throws CheckpointFormatException {
        List<Slot> byOffset = new ArrayList<>(slots);
        byOffset.sort(Comparator.comparingLong(Slot::begin).thenComparingLong(Slot::end));
        long cursor = 0;
        Slot previous = null;
        for (Slot slot : byOffset) {
            if (slot.begin() < cursor) {
                throw new CheckpointFormatException(file, "tensor '" + slot.name() + "' data_offsets",
                        "expected begin >= " + cursor + ", found [" + slot.begin() + ", " + slot.end()
                                + "] overlapping tensor '" + previous.name() + "' at [" + previous.begin() + ", "
                                + previous.end() + "]");
            }
            if (slot.begin() > cursor) {
                throw new CheckpointFormatException(file, "tensor '" + slot.name() + "' data_offsets",
                        "expected begin = " + cursor + " (tensors cover the data area without gaps), found ["
                                + slot.begin() + ", " + slot.end() + "], leaving a gap of "
                                + (slot.begin() - cursor) + " bytes");
            }
            cursor = slot.end();
            previous = slot;
        }
        if (cursor != dataLength) {
            throw new CheckpointFormatException(file, "data area",
                    "expected the tensors to cover all " + dataLength + " bytes after the header, found "
                            + (dataLength - cursor) + " trailing bytes after the last tensor (ends at " + cursor + ")");
        }
    }

    /** Reads exactly buffer.remaining() bytes at position, or refuses the file as cut short. */
    static void readFully(Path file, String field, FileChannel channel, ByteBuffer buffer, long position)
            throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new CheckpointFormatException(file, field,
                        "expected " + buffer.remaining() + " more bytes at file position " + at
                                + ", found the end of the file (did it shrink while being read?)");
            }
            at += read;
        }
        buffer.flip();
    }

    /** Strict UTF-8, decoded here rather than by Jackson, which would also accept UTF-16 and UTF-32. */
    private static String decodeUtf8(Path file, byte[] bytes) throws CheckpointFormatException {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new CheckpointFormatException(file, "header",
                    "expected UTF-8 text, found an invalid byte sequence at byte " + in.position() + " of the header");
        }
        return out.flip().toString();
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String text = node.toString();
        if (text.length() > 60) {
            text = text.substring(0, 60) + "...";
        }
        return node.getNodeType().name().toLowerCase() + " " + text;
    }

    private static String locationOf(JacksonException e) {
        return e.getLocation() == null ? ""
                : " (at character " + e.getLocation().getCharOffset() + " of the header)";
    }
}
