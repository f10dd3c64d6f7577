package io.tickgrad.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads and writes the Hugging Face safetensors format: an 8-byte little-endian header length N,
 * N bytes of UTF-8 JSON (tensor name to dtype, shape and data_offsets, plus an optional
 * {@code __metadata__} string map), then the raw little-endian tensor bytes.
 *
 * <p>Reading validates the whole header against the file size before any tensor memory is
 * allocated, so a hostile header cannot make the reader allocate more than the file backs (at most
 * 4 bytes of float per on-disk byte, for 1-byte dtypes). Tensors must tile the data area exactly:
 * overlaps, gaps and trailing bytes after the last tensor are refused, because writers following
 * the format (ours and the Python one) never produce them. Every malformed file is refused with a
 * {@link CheckpointFormatException} naming the file, the field and what was expected.
 *
 * <p>Writing stores every tensor as F32 in list order, bit for bit (NaN payloads and -0.0 included),
 * with the header padded by spaces to a multiple of 8 bytes so the data is 8-byte aligned.
 */
public final class SafeTensors {

    /** Buffer size for streaming tensor bytes; a multiple of every dtype size. */
    private static final int CHUNK_BYTES = 1 << 20;

    private SafeTensors() {
    }

    /**
     * Reads a safetensors file, converting every tensor to float32.
     *
     * @param file the file
     * @return the tensors and metadata, on the Java heap
     * @throws CheckpointFormatException if the file is malformed, truncated, or holds values that
     *                                   cannot be loaded as float32 exactly (see {@link FloatDecoder})
     * @throws IOException               if the file cannot be read at all
     */
    public static SafeTensorsFile read(Path file) throws IOException {
        return read(file, Long.MAX_VALUE);
    }

    /**
     * As {@link #read(Path)}, refusing the file when its tensors, as float32, would need more than
     * {@code maxFloatBytes} bytes of heap in total (a guard for loading untrusted files).
     *
     * @param file          the file
     * @param maxFloatBytes the most heap bytes the float32 values may take
     * @return the tensors and metadata
     * @throws CheckpointFormatException if the file is malformed or too large
     * @throws IOException               if the file cannot be read
     */
    public static SafeTensorsFile read(Path file, long maxFloatBytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            SafeTensorsHeader header = SafeTensorsHeader.read(file, channel);
            long floatBytes = 0;
            for (SafeTensorsHeader.Slot slot : header.slots) {
                floatBytes += slot.elementCount() * Float.BYTES;
                if (floatBytes > maxFloatBytes) {
                    throw new CheckpointFormatException(file, "tensor '" + slot.name() + "' shape",
                            "expected the tensors to need at most " + maxFloatBytes + " bytes as float32,"
                                    + " found at least " + floatBytes + " by this tensor");
                }
            }
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            List<TensorEntry> tensors = new ArrayList<>(header.slots.size());
            for (SafeTensorsHeader.Slot slot : header.slots) {
                float[] data = readTensor(file, channel, header.dataStart, slot, chunk);
                tensors.add(new TensorEntry(slot.name(), slot.dtype(), slot.shape(), data));
            }
            return new SafeTensorsFile(file, header.metadata, tensors);
        }
    }

    private static float[] readTensor(Path file, FileChannel channel, long dataStart, SafeTensorsHeader.Slot slot,
                                      ByteBuffer chunk) throws IOException {
        int count = (int) slot.elementCount();
        float[] data = new float[count];
        int size = slot.dtype().byteSize();
        int perChunk = CHUNK_BYTES / size;
        long position = dataStart + slot.begin();
        for (int done = 0; done < count; ) {
            int n = Math.min(perChunk, count - done);
            chunk.clear().limit(n * size);
            SafeTensorsHeader.readFully(file, "tensor '" + slot.name() + "' data", channel, chunk, position);
            FloatDecoder.decode(slot.dtype(), chunk, data, done, n, done, file, slot.name());
            position += (long) n * size;
            done += n;
        }
        return data;
    }

    /**
     * Writes {@code tensors} (as F32, in list order) and {@code metadata} to {@code file}, atomically:
     * the bytes go to a temporary file in the same directory, are forced to disk, and the temporary
     * file is renamed over {@code file}; then the directory is forced too where the platform allows.
     * A reader sees either the old file or the complete new one, never a mix, even after a crash.
     *
     * @param file     the destination
     * @param tensors  the tensors, names unique
     * @param metadata string pairs stored under {@code __metadata__}; omitted from the header if empty
     * @throws IllegalArgumentException         if two tensors share a name, or a name is {@code __metadata__}
     * @throws AtomicMoveNotSupportedException  if the file system cannot rename atomically (nothing written)
     * @throws IOException                      if writing fails; {@code file} is then left untouched
     */
    public static void write(Path file, List<TensorEntry> tensors, Map<String, String> metadata) throws IOException {
        Objects.requireNonNull(file, "file");
        byte[] header = headerBytes(tensors, metadata);
        Path target = file.toAbsolutePath();
        Path directory = target.getParent();
        Path temp = createTempSibling(target);
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
                drain(channel, length);
                drain(channel, ByteBuffer.wrap(header, 0, header.length).position(header.length));
                ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                for (TensorEntry tensor : tensors) {
                    for (float value : tensor.data()) {
                        if (chunk.remaining() < Float.BYTES) {
                            drain(channel, chunk);
                        }
                        chunk.putInt(Float.floatToRawIntBits(value));
                    }
                }
                drain(channel, chunk);
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            forceDirectory(directory);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** The JSON header, padded with spaces to a multiple of 8 bytes. */
    static byte[] headerBytes(List<TensorEntry> tensors, Map<String, String> metadata) {
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(metadata, "metadata");
        ObjectNode root = SafeTensorsHeader.JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(SafeTensorsHeader.METADATA_KEY);
            metadata.forEach((key, value) -> meta.put(Objects.requireNonNull(key, "metadata key"),
                    Objects.requireNonNull(value, () -> "metadata value of '" + key + "'")));
        }
        Set<String> names = new HashSet<>();
        long offset = 0;
        for (TensorEntry tensor : tensors) {
            String name = tensor.name();
            if (SafeTensorsHeader.METADATA_KEY.equals(name) || !names.add(name)) {
                throw new IllegalArgumentException("tensor name '" + name + "' is reserved or used twice");
            }
            ObjectNode info = root.putObject(name);
            info.put("dtype", DType.F32.name());
            ArrayNode shape = info.putArray("shape");
            Arrays.stream(tensor.shape()).forEach(shape::add);
            long end = offset + (long) tensor.elementCount() * Float.BYTES;
            info.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json;
        try {
            json = SafeTensorsHeader.JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        int padded = (json.length + 7) & ~7;
        if (padded > SafeTensorsHeader.MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("header of " + padded + " bytes exceeds the 100 MB readers accept");
        }
        byte[] header = Arrays.copyOf(json, padded);
        Arrays.fill(header, json.length, padded, (byte) ' ');
        return header;
    }

    private static Path createTempSibling(Path target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong());
            Path temp = target.resolveSibling("." + target.getFileName() + "." + suffix + ".tmp");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 8) {
                    throw e;
                }
            }
        }
    }

    private static void drain(FileChannel channel, ByteBuffer chunk) throws IOException {
        chunk.flip();
        while (chunk.hasRemaining()) {
            channel.write(chunk);
        }
        chunk.clear();
    }

    /** Makes the rename durable; not every platform can open a directory (Windows cannot), so best effort. */
    private static void forceDirectory(Path directory) {
        if (directory == null) {
            return;
        }
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // the data itself is on disk; only the directory entry's durability is left to the OS
        }
    }
}
