package io.tickgrad.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    /** Bit patterns a float codec most easily gets wrong. */
    private static final int[] SPECIAL_BITS = {
        0x0000_0000, 0x8000_0000,                 // +0.0, -0.0
        0x0000_0001, 0x8000_0001, 0x007F_FFFF,    // denormals
        0x7F80_0000, 0xFF80_0000,                 // infinities
        0x7FC0_0000, 0x7FC0_1234, 0xFFC0_0001,    // quiet NaNs with payloads
        0x7F80_0001, 0x7FA0_0000,                 // signalling NaNs
        0x7F7F_FFFF, 0x0080_0000,                 // largest, smallest normal
    };

    @TempDir
    Path dir;

    private final Random random = new Random(20240611);

    // ---- round trips ----

    @Test
    void shouldRoundTripFloatsBitForBitIncludingNaNPayloadsAndNegativeZero() throws IOException {
        List<TensorEntry> written = List.of(
                TensorEntry.f32("layer0.weight", new long[] {3, 5}, randomFloats(15)),
                TensorEntry.f32("special", new long[] {SPECIAL_BITS.length}, specialFloats()),
                TensorEntry.f32("scalar", new long[] {}, new float[] {Float.intBitsToFloat(0x7FC0_0042)}),
                TensorEntry.f32("empty", new long[] {0}, new float[0]),
                TensorEntry.f32("empty3d", new long[] {2, 0, 3}, new float[0]),
                TensorEntry.f32("big", new long[] {4, 100_000}, randomFloats(400_000)), // spans chunks
                TensorEntry.f32("a.bias", new long[] {1, 1, 7}, randomFloats(7)));
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, written, Map.of());

        SafeTensorsFile read = SafeTensors.read(file);
        assertEquals(written.size(), read.tensors().size());
        for (int i = 0; i < written.size(); i++) {
            TensorEntry expected = written.get(i);
            TensorEntry actual = read.tensors().get(i);
            assertEquals(expected.name(), actual.name(), "order as written");
            assertEquals(DType.F32, actual.dtype());
            assertArrayEquals(expected.shape(), actual.shape(), expected.name());
            assertArrayEquals(rawBits(expected.data()), rawBits(actual.data()), expected.name());
        }
        assertEquals(1, read.tensor("scalar").elementCount());
        assertEquals(0, read.tensor("scalar").rank());
        assertNull(read.tensor("missing"));
        assertTrue(read.metadata().isEmpty());
    }

    @Test
    void shouldRoundTripMetadataInOrder() throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "tickgrad");
        metadata.put("queue_index", "1234567890123");
        metadata.put("architecture", "{\"layers\":[{\"dense\":16}]}");
        metadata.put("note", "unicode ok: \u00e9\u6f22\ud83d\ude00, quotes \" and \\ and\nnewline");
        Path file = dir.resolve("ckpt.safetensors");
        SafeTensors.write(file, List.of(TensorEntry.f32("w", new long[] {2}, new float[] {1f, 2f})), metadata);

        SafeTensorsFile read = SafeTensors.read(file);
        assertEquals(metadata, read.metadata());
        assertEquals(List.copyOf(metadata.keySet()), List.copyOf(read.metadata().keySet()));
    }

    @Test
    void shouldPadTheHeaderWithSpacesToAMultipleOfEight() throws IOException {
        Path file = dir.resolve("padded.safetensors");
        SafeTensors.write(file, List.of(TensorEntry.f32("abc", new long[] {1}, new float[] {1f})),
                Map.of("k", "v"));
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8);
        assertEquals(8 + headerLength + 4, bytes.length);
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertEquals("{\"__metadata__\":{\"k\":\"v\"},\"abc\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                header.stripTrailing());
        assertTrue(header.substring(header.stripTrailing().length()).chars().allMatch(c -> c == ' '));
    }

    @Test
    void shouldWriteAnEmptyFileWithNoTensors() throws IOException {
        Path file = dir.resolve("none.safetensors");
        SafeTensors.write(file, List.of(), Map.of());
        SafeTensorsFile read = SafeTensors.read(file);
        assertTrue(read.tensors().isEmpty());
        assertTrue(read.metadata().isEmpty());
    }

    @Test
    void shouldReplaceAnExistingFileAndLeaveNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        SafeTensors.write(file, List.of(TensorEntry.f32("w", new long[] {1}, new float[] {1f})), Map.of());
        SafeTensors.write(file, List.of(TensorEntry.f32("w", new long[] {2}, new float[] {2f, 3f})), Map.of());
        assertArrayEquals(new float[] {2f, 3f}, SafeTensors.read(file).tensor("w").data());
        assertEquals(List.of(file.getFileName()), listDir());
    }

    @Test
    void shouldLeaveTheOldFileUntouchedWhenAWriteIsRefused() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        SafeTensors.write(file, List.of(TensorEntry.f32("w", new long[] {1}, new float[] {1f})), Map.of());
        byte[] before = Files.readAllBytes(file);
        List<TensorEntry> duplicate = List.of(TensorEntry.f32("w", new long[] {1}, new float[] {1f}),
                TensorEntry.f32("w", new long[] {1}, new float[] {2f}));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(file, duplicate, Map.of()));
        List<TensorEntry> reserved = List.of(TensorEntry.f32("__metadata__", new long[] {}, new float[] {1f}));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(file, reserved, Map.of()));
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file.getFileName()), listDir());
    }

    @Test
    void shouldRefuseATensorWhoseDataDoesNotMatchItsShape() {
        assertThrows(IllegalArgumentException.class, () -> TensorEntry.f32("w", new long[] {2, 2}, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> TensorEntry.f32("w", new long[] {-1}, new float[0]));
    }

    // ---- files from other writers ----

    @Test
    void shouldReadAFileLaidOutLikePythonSafetensorsSaveFile() throws IOException {
        // what safetensors.torch.save_file({"w": torch.tensor([[1., -2.], [0.5, 3.]])}, f, {"format": "pt"}) writes
        String json = "{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}";
        Path file = rawFile("python.safetensors", json, f32Bytes(1f, -2f, 0.5f, 3f));

        SafeTensorsFile read = SafeTensors.read(file);
        assertEquals(Map.of("format", "pt"), read.metadata());
        TensorEntry w = read.tensor("w");
        assertArrayEquals(new long[] {2, 2}, w.shape());
        assertArrayEquals(new float[] {1f, -2f, 0.5f, 3f}, w.data());
    }

    @Test
    void shouldReadMixedDtypesScalarsAndZeroSizeTensorsInHeaderOrder() throws IOException {
        String json = "{\"b\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[4,8]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},"
                + "\"z\":{\"dtype\":\"F64\",\"shape\":[0,5],\"data_offsets\":[8,8]},"
                + "\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[8,16]}}";
        ByteBuffer data = le(16).putFloat(7.5f).putShort((short) 0x3C00).putShort((short) 0xC000).putLong(42);
        SafeTensorsFile read = SafeTensors.read(rawFile("mixed.safetensors", json, data.array()));
        assertEquals(List.of("b", "a", "z", "n"), read.tensors().stream().map(TensorEntry::name).toList());
        assertArrayEquals(new float[] {1f, -2f}, read.tensor("b").data());
        assertEquals(DType.F16, read.tensor("b").dtype());
        assertArrayEquals(new float[] {7.5f}, read.tensor("a").data());
        assertEquals(0, read.tensor("z").elementCount());
        assertArrayEquals(new long[] {0, 5}, read.tensor("z").shape());
        assertArrayEquals(new float[] {42f}, read.tensor("n").data());
    }

    @Test
    void shouldAcceptANullMetadataAndTabOrNewlinePadding() throws IOException {
        String json = "{\"__metadata__\":null,\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}\n\t ";
        SafeTensorsFile read = SafeTensors.read(rawFile("nullmeta.safetensors", json, f32Bytes(5f)));
        assertTrue(read.metadata().isEmpty());
        assertArrayEquals(new float[] {5f}, read.tensor("w").data());
    }

    // ---- dtype conversion ----

    @Test
    void shouldConvertF16KnownValuesExactly() throws IOException {
        short[] halves = {0x3C00, (short) 0xC000, 0x7BFF, 0x0001, 0x03FF, 0x0400, (short) 0x8000, 0x0000,
                          0x7C00, (short) 0xFC00, 0x3555, (short) 0x8001, 0x7E00, 0x7D01};
        float[] expected = {1f, -2f, 65504f, 0x1p-24f, 1023 * 0x1p-24f, 0x1p-14f, -0f, 0f,
                            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.333251953125f, -0x1p-24f,
                            Float.intBitsToFloat(0x7FC0_0000), Float.intBitsToFloat(0x7FA0_2000)};
        ByteBuffer data = le(halves.length * 2);
        for (short h : halves) {
            data.putShort(h);
        }
        float[] actual = readSingle("F16", halves.length, data.array());
        assertArrayEquals(rawBits(expected), rawBits(actual));
    }

    @Test
    void shouldConvertEveryF16ValueLikeTheFloatWidening() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = FloatDecoder.halfToFloat((short) bits);
            int exponent = (bits >>> 10) & 0x1F;
            if (exponent == 0x1F && (bits & 0x3FF) != 0) {
                assertTrue(Float.isNaN(f));
                continue;
            }
            double sign = (bits & 0x8000) != 0 ? -1 : 1;
            double mantissa = bits & 0x3FF;
            double expected = exponent == 0 ? sign * mantissa * 0x1p-24
                    : exponent == 0x1F ? sign * Double.POSITIVE_INFINITY
                    : sign * (1 + mantissa / 1024) * Math.pow(2, exponent - 15);
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(f), "half 0x" + Integer.toHexString(bits));
        }
    }

    @Test
    void shouldConvertBF16KnownValuesExactly() throws IOException {
        short[] brains = {0x3F80, (short) 0xC000, 0x4049, 0x0001, (short) 0x8000, 0x7F80, (short) 0xFF80, 0x7FC1, 0x7F7F};
        float[] expected = {1f, -2f, 3.140625f, Float.intBitsToFloat(0x0001_0000), -0f, Float.POSITIVE_INFINITY,
                            Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0x7FC1_0000), Float.intBitsToFloat(0x7F7F_0000)};
        ByteBuffer data = le(brains.length * 2);
        for (short b : brains) {
            data.putShort(b);
        }
        assertArrayEquals(rawBits(expected), rawBits(readSingle("BF16", brains.length, data.array())));
    }

    @Test
    void shouldConvertF64KnownValuesByRoundingToNearest() throws IOException {
        double[] doubles = {0.1, -1e-50, 1e-40, 3.4028234663852886e38, Double.NEGATIVE_INFINITY, -0.0, Double.NaN};
        float[] expected = {0.1f, -0f, 1e-40f, Float.MAX_VALUE, Float.NEGATIVE_INFINITY, -0f, Float.NaN};
        ByteBuffer data = le(doubles.length * 8);
        for (double d : doubles) {
            data.putDouble(d);
        }
        float[] actual = readSingle("F64", doubles.length, data.array());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], "index " + i); // assertEquals(float) distinguishes -0 and NaN
            assertEquals(0, Float.compare(expected[i], actual[i]), "index " + i);
        }
    }

    @Test
    void shouldRefuseAnF64ValueBeyondTheFloatRangeRatherThanMakeItInfinite() throws IOException {
        Path file = singleTensorFile("overflow.safetensors", "F64", 2, le(16).putDouble(1).putDouble(1e300).array());
        assertRefused(file, "tensor 'w' element 1", "1.0E300");
    }

    @Test
    void shouldConvertIntegersOnlyWhenExact() throws IOException {
        float[] ints = readSingle("I64", 3, le(24).putLong(-5).putLong(1L << 40).putLong(16_777_216).array());
        assertArrayEquals(new float[] {-5f, 0x1p40f, 16_777_216f}, ints);
        assertArrayEquals(new float[] {255f, 0f, 1f}, readSingle("U8", 3, new byte[] {(byte) 255, 0, 1}));
        assertArrayEquals(new float[] {-1f, 1f}, readSingle("I8", 2, new byte[] {-1, 1}));
        assertArrayEquals(new float[] {1f, 0f}, readSingle("BOOL", 2, new byte[] {1, 0}));
        assertArrayEquals(new float[] {65535f}, readSingle("U16", 1, le(2).putShort((short) -1).array()));
        assertArrayEquals(new float[] {0x1p63f}, readSingle("U64", 1, le(8).putLong(Long.MIN_VALUE).array()));
        assertArrayEquals(new float[] {0x1p64f - 0x1p40f}, readSingle("U64", 1, le(8).putLong(-(1L << 40)).array()));

        assertRefused(singleTensorFile("i64.safetensors", "I64", 1, le(8).putLong(16_777_217).array()),
                "tensor 'w' element 0", "16777217");
        assertRefused(singleTensorFile("max.safetensors", "I64", 1, le(8).putLong(Long.MAX_VALUE).array()),
                "tensor 'w' element 0", String.valueOf(Long.MAX_VALUE));
        assertRefused(singleTensorFile("u64.safetensors", "U64", 1, le(8).putLong(-1).array()),
                "tensor 'w' element 0", "18446744073709551615");
        assertRefused(singleTensorFile("i32.safetensors", "I32", 2, le(8).putInt(1).putInt(Integer.MAX_VALUE).array()),
                "tensor 'w' element 1", String.valueOf(Integer.MAX_VALUE));
        assertRefused(singleTensorFile("bool.safetensors", "BOOL", 1, new byte[] {2}), "tensor 'w' element 0", "BOOL");
    }

    @Test
    void shouldRefuseAKnownButUnsupportedDtypeByName() throws IOException {
        assertRefused(singleTensorFile("f8.safetensors", "F8_E4M3", 1, new byte[] {1}), "tensor 'w' dtype", "F8_E4M3");
    }

    // ---- refusals ----

    @Test
    void shouldRefuseEveryTruncationOfAValidFile() throws IOException {
        Path valid = dir.resolve("valid.safetensors");
        SafeTensors.write(valid, List.of(TensorEntry.f32("w", new long[] {2, 3}, randomFloats(6)),
                TensorEntry.f32("b", new long[] {3}, randomFloats(3))), Map.of("format", "pt"));
        byte[] bytes = Files.readAllBytes(valid);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        for (int length = 0; length < bytes.length; length++) {
            Path cut = dir.resolve("cut" + length + ".safetensors");
            Files.write(cut, Arrays.copyOf(bytes, length));
            String field = length < 8 + headerLength ? "header length"
                    : length < 8 + headerLength + 24 ? "tensor 'w' data_offsets" : "tensor 'b' data_offsets";
            assertRefused(cut, field, length < 8 ? "found a file of " + length + " bytes" : "");
        }
    }

    @Test
    void shouldRefuseAHeaderLengthBeyondTheFileOrTooSmallOrHuge() throws IOException {
        Path beyond = dir.resolve("beyond.safetensors");
        Files.write(beyond, le(8 + 2).putLong(100).put((byte) '{').put((byte) '}').array());
        assertRefused(beyond, "header length", "found 100");

        Path tooSmall = dir.resolve("small.safetensors");
        Files.write(tooSmall, le(8 + 2).putLong(1).put((byte) '{').put((byte) '}').array());
        assertRefused(tooSmall, "header length", "found 1");

        Path huge = dir.resolve("huge.safetensors");
        Files.write(huge, le(8 + 2).putLong(-1).put((byte) '{').put((byte) '}').array());
        assertRefused(huge, "header length", "found 18446744073709551615");

        Path overLimit = dir.resolve("limit.safetensors");
        Files.write(overLimit, le(8 + 2).putLong(200L * 1024 * 1024).put((byte) '{').put((byte) '}').array());
        assertRefused(overLimit, "header length", "found 209715200");
    }

    @Test
    void shouldRefuseGarbageJson() throws IOException {
        assertRefused(rawFile("garbage.safetensors", "{\"w\": {\"dtype\": ", new byte[0]), "header", "invalid JSON");
        assertRefused(rawFile("trailing.safetensors", "{} {}", new byte[0]), "header", "invalid JSON");
        assertRefused(rawFile("comment.safetensors", "{/* x */}", new byte[0]), "header", "invalid JSON");
        byte[] badUtf8 = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
        assertRefused(rawFile("utf8.safetensors", badUtf8, new byte[0]), "header", "invalid byte sequence at byte 2");
        byte[] utf16 = "{}".getBytes(StandardCharsets.UTF_16LE);
        assertRefused(rawFile("utf16.safetensors", utf16, new byte[0]), "header", "");
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'};
        assertRefused(rawFile("bom.safetensors", bom, new byte[0]), "header", "invalid JSON");
    }

    @Test
    void shouldRefuseHostileJsonWithoutLeakingParserErrors() throws IOException {
        assertRefused(rawFile("deep.safetensors", "[".repeat(200_000), new byte[0]), "header", "invalid JSON");
        assertRefused(rawFile("deepobj.safetensors", "{\"a\":".repeat(100_000), new byte[0]), "header", "invalid JSON");
        String longNumber = "{\"w\":{\"dtype\":\"F32\",\"shape\":[" + "9".repeat(5000)
                + "],\"data_offsets\":[0,4]}}";
        assertRefused(rawFile("longnum.safetensors", longNumber, new byte[4]), "header", "invalid JSON");
    }

    @Test
    void shouldReadBackLongNamesAndMetadataValues() throws IOException {
        String name = "n".repeat(100_000);
        String value = "v".repeat(30_000_000);
        Path file = dir.resolve("long.safetensors");
        SafeTensors.write(file, List.of(TensorEntry.f32(name, new long[] {1}, new float[] {1f})), Map.of("k", value));
        SafeTensorsFile read = SafeTensors.read(file);
        assertEquals(value, read.metadata().get("k"));
        assertArrayEquals(new float[] {1f}, read.tensor(name).data());
    }

    @Test
    void shouldRefuseAHeaderThatIsNotAnObject() throws IOException {
        assertRefused(rawFile("array.safetensors", "[1, 2]", new byte[0]), "header", "expected a JSON object");
        assertRefused(rawFile("spaces.safetensors", "        ", new byte[0]), "header", "expected a JSON object");
        assertRefused(rawFile("string.safetensors", "\"w\"", new byte[0]), "header", "expected a JSON object");
        assertRefused(rawFile("entry.safetensors", "{\"w\": 3}", new byte[0]), "tensor 'w'", "expected an object");
    }

    @Test
    void shouldRefuseAnUnknownDtype() throws IOException {
        assertRefused(singleTensorFile("dtype.safetensors", "F33", 1, new byte[4]), "tensor 'w' dtype", "\"F33\"");
        assertRefused(rawFile("nodtype.safetensors", "{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]),
                "tensor 'w' dtype", "found nothing");
        assertRefused(rawFile("numdtype.safetensors", "{\"w\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}}",
                new byte[4]), "tensor 'w' dtype", "4");
    }

    @Test
    void shouldRefuseNegativeOrNonIntegerShapes() throws IOException {
        assertRefused(tensorFile("neg.safetensors", "F32", "[-1, 2]", "[0,4]", 4), "tensor 'w' shape", "-1");
        assertRefused(tensorFile("frac.safetensors", "F32", "[1.5]", "[0,4]", 4), "tensor 'w' shape", "1.5");
        assertRefused(tensorFile("str.safetensors", "F32", "[\"1\"]", "[0,4]", 4), "tensor 'w' shape", "\"1\"");
        assertRefused(tensorFile("notarray.safetensors", "F32", "1", "[0,4]", 4), "tensor 'w' shape", "array");
        assertRefused(tensorFile("bigint.safetensors", "F32", "[99999999999999999999]", "[0,4]", 4),
                "tensor 'w' shape", "99999999999999999999");
        assertRefused(tensorFile("overflow.safetensors", "F32", "[4294967296, 4294967296]", "[0,4]", 4),
                "tensor 'w' shape", "fits in a long");
        assertRefused(tensorFile("toolong.safetensors", "F32", "[4294967296]", "[0,4]", 4),
                "tensor 'w' shape", "float[]");
    }

    @Test
    void shouldRefuseAShapeThatDoesNotMatchTheByteSize() throws IOException {
        assertRefused(tensorFile("mismatch.safetensors", "F32", "[2, 3]", "[0,16]", 16),
                "tensor 'w' data_offsets", "expected 24 bytes");
        assertRefused(tensorFile("dtypesize.safetensors", "F16", "[4]", "[0,16]", 16),
                "tensor 'w' data_offsets", "expected 8 bytes");
    }

    @Test
    void shouldRefuseOffsetsOutOfRangeOrMalformed() throws IOException {
        assertRefused(tensorFile("range.safetensors", "F32", "[2]", "[4,12]", 8), "tensor 'w' data_offsets", "[4, 12]");
        assertRefused(tensorFile("reversed.safetensors", "F32", "[0]", "[8,4]", 8), "tensor 'w' data_offsets", "begin <= end");
        assertRefused(tensorFile("negoff.safetensors", "F32", "[1]", "[-4,0]", 8), "tensor 'w' data_offsets", "-4");
        assertRefused(tensorFile("three.safetensors", "F32", "[1]", "[0,4,8]", 8), "tensor 'w' data_offsets", "3 elements");
        assertRefused(tensorFile("gap.safetensors", "F32", "[1]", "[4,8]", 8), "tensor 'w' data_offsets", "gap");
    }

    @Test
    void shouldRefuseOverlappingTensors() throws IOException {
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertRefused(rawFile("overlap.safetensors", json, new byte[12]), "tensor 'b' data_offsets", "overlapping tensor 'a'");
        String same = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertRefused(rawFile("alias.safetensors", same, new byte[8]), "data_offsets", "overlapping");
    }

    @Test
    void shouldRefuseDuplicateKeys() throws IOException {
        String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        assertRefused(rawFile("dup.safetensors", json, new byte[8]), "header", "'w'");
        String inner = "{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        assertRefused(rawFile("dupinner.safetensors", inner, new byte[4]), "header", "dtype");
    }

    @Test
    void shouldRefuseNonStringMetadataValues() throws IOException {
        assertRefused(rawFile("meta.safetensors", "{\"__metadata__\":{\"format\":\"pt\",\"epoch\":3}}", new byte[0]),
                "__metadata__ 'epoch'", "expected a string value, found number 3");
        assertRefused(rawFile("meta2.safetensors", "{\"__metadata__\":[\"pt\"]}", new byte[0]),
                "__metadata__", "expected an object");
    }

    @Test
    void shouldRefuseUnknownKeysInTensorInfo() throws IOException {
        String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"byteorder\":\"big\"}}";
        assertRefused(rawFile("extra.safetensors", json, new byte[4]), "tensor 'w' byteorder", "unknown key");
    }

    /** Our writer never leaves bytes after the last tensor, nor does Python's; such a file is damaged. */
    @Test
    void shouldRefuseTrailingBytesAfterTheLastTensor() throws IOException {
        String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        assertRefused(rawFile("trailing.safetensors", json, new byte[7]), "data area", "3 trailing bytes");
    }

    @Test
    void shouldRefuseFilesNeedingMoreFloatMemoryThanTheCallerAllows() throws IOException {
        Path file = dir.resolve("cap.safetensors");
        SafeTensors.write(file, List.of(TensorEntry.f32("a", new long[] {10}, new float[10]),
                TensorEntry.f32("b", new long[] {10}, new float[10])), Map.of());
        assertEquals(2, SafeTensors.read(file, 80).tensors().size());
        CheckpointFormatException e = assertRefused(() -> SafeTensors.read(file, 79), file, "tensor 'b' shape", "79");
        assertEquals(file, e.file());
        assertEquals("tensor 'b' shape", e.field());
    }

    @Test
    void shouldEitherReadAWellFormedResultOrRefuseEveryCorruptedFile() throws IOException {
        Path valid = dir.resolve("valid.safetensors");
        SafeTensors.write(valid, List.of(TensorEntry.f32("layer.weight", new long[] {2, 3}, randomFloats(6)),
                TensorEntry.f32("s", new long[] {}, randomFloats(1)),
                TensorEntry.f32("e", new long[] {0, 2}, new float[0]),
                TensorEntry.f32("layer.bias", new long[] {3}, randomFloats(3))), Map.of("format", "pt", "step", "12"));
        byte[] bytes = Files.readAllBytes(valid);
        int headerEnd = 8 + (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Path corrupt = dir.resolve("corrupt.safetensors");
        int refused = 0;
        for (int trial = 0; trial < 2000; trial++) {
            byte[] copy = bytes.clone();
            int flips = 1 + random.nextInt(3);
            for (int f = 0; f < flips; f++) {
                // mostly hit the length and the JSON, where the interesting failures are
                int at = random.nextInt(4) == 0 ? random.nextInt(copy.length) : random.nextInt(headerEnd);
                copy[at] = random.nextBoolean() ? (byte) random.nextInt(256)
                        : (byte) "{}[]\",:0123456789-. eE\\".charAt(random.nextInt(23));
            }
            Files.write(corrupt, copy);
            try {
                SafeTensorsFile read = SafeTensors.read(corrupt);
                for (TensorEntry t : read.tensors()) {
                    assertNotNull(t.name());
                    assertEquals(Arrays.stream(t.shape()).reduce(1, Math::multiplyExact), t.data().length);
                }
                read.metadata().forEach((k, v) -> assertNotNull(v));
            } catch (CheckpointFormatException e) {
                refused++;
                assertTrue(e.getMessage().contains(corrupt.toString()), e.getMessage());
                assertNotNull(e.field());
            } catch (Throwable t) {
                fail("trial " + trial + ": a corrupted file must be refused with CheckpointFormatException", t);
            }
        }
        assertTrue(refused > 500, "most corruptions of the header are refused: " + refused);
    }

    // ---- helpers ----

    private CheckpointFormatException assertRefused(Path file, String field, String found) {
        return assertRefused(() -> SafeTensors.read(file), file, field, found);
    }

    private static CheckpointFormatException assertRefused(org.junit.jupiter.api.function.Executable read, Path file,
                                                           String field, String found) {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, read, file.getFileName().toString());
        String message = e.getMessage();
        assertTrue(message.contains(file.getFileName().toString()), "names the file: " + message);
        assertTrue(message.contains(field + ":"), "names the field '" + field + "': " + message);
        assertTrue(message.contains("expected"), "says what was expected: " + message);
        assertTrue(message.contains(found), "says what was found (" + found + "): " + message);
        return e;
    }

    private float[] readSingle(String dtype, int count, byte[] data) throws IOException {
        return SafeTensors.read(singleTensorFile("single-" + dtype + ".safetensors", dtype, count, data))
                .tensor("w").data();
    }

    private Path singleTensorFile(String name, String dtype, int count, byte[] data) throws IOException {
        return tensorFile(name, dtype, "[" + count + "]", "[0," + data.length + "]", data);
    }

    private Path tensorFile(String name, String dtype, String shape, String offsets, int dataBytes) throws IOException {
        byte[] data = new byte[dataBytes];
        random.nextBytes(data);
        return tensorFile(name, dtype, shape, offsets, data);
    }

    private Path tensorFile(String name, String dtype, String shape, String offsets, byte[] data) throws IOException {
        String json = "{\"w\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}}";
        return rawFile(name, json, data);
    }

    private Path rawFile(String name, String json, byte[] data) throws IOException {
        return rawFile(name, json.getBytes(StandardCharsets.UTF_8), data);
    }

    /** A file built byte by byte, its header padded with spaces to a multiple of 8 as Python's writer does. */
    private Path rawFile(String name, byte[] json, byte[] data) throws IOException {
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer bytes = le(8 + padded + data.length).putLong(padded).put(json);
        for (int i = json.length; i < padded; i++) {
            bytes.put((byte) ' ');
        }
        bytes.put(data);
        Path file = dir.resolve(name);
        Files.write(file, bytes.array());
        return file;
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] f32Bytes(float... values) {
        ByteBuffer bytes = le(values.length * 4);
        for (float v : values) {
            bytes.putFloat(v);
        }
        return bytes.array();
    }

    private float[] randomFloats(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            // any bit pattern: covers NaN payloads, denormals and infinities as well as ordinary values
            values[i] = i % 3 == 0 ? Float.intBitsToFloat(random.nextInt()) : (float) random.nextGaussian();
        }
        return values;
    }

    private static float[] specialFloats() {
        float[] values = new float[SPECIAL_BITS.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = Float.intBitsToFloat(SPECIAL_BITS[i]);
        }
        return values;
    }

    private static int[] rawBits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    private List<Path> listDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(Path::getFileName).toList();
        }
    }
}
