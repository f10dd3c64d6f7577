package io.tickgrad.model;

import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Network;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A directory of numbered checkpoints, {@code checkpoint-<version>.safetensors}, of which the newest {@code keep}
 * are kept. Each is written by {@link Checkpoint#save} (temporary file, fsync, rename), so a process killed while
 * saving leaves every earlier checkpoint intact and at most a temporary file, which is never taken for a
 * checkpoint and is removed by the next save.
 *
 * <p>{@link #loadLatest} loads the newest checkpoint. A corrupt or truncated one (a disk fault, a copy cut short)
 * is refused with a message naming it; when fallback is asked for, it is reported in {@link Loaded#skipped()} and
 * the newest valid one is loaded instead. One writer per directory.
 *
 * <p>Threads: not synchronised; use a store from one thread (a serving session saves from its trainer thread).
 */
public final class CheckpointStore {
    /** Metadata key holding the version a checkpoint was saved as. */
    public static final String VERSION_KEY = "checkpoint.version";
    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d{1,18})\\.safetensors");
    /** The temporary siblings {@link SafeTensors#write} creates for our names. */
    private static final Pattern TEMP = Pattern.compile("\\.checkpoint-\\d{1,18}\\.safetensors\\.[0-9a-f]+\\.tmp");

    private final Path dir;
    private final int keep;

    /**
     * A checkpoint loaded from the store: its version and file, the network, and the newer files refused.
     *
     * @param version the version loaded
     * @param file    its file
     * @param network the network, owned by the caller, who closes it
     * @param skipped one line per newer checkpoint refused as corrupt (with fallback only)
     */
    public record Loaded(long version, Path file, Network network, List<String> skipped) {
    }

    /**
     * Opens (creating if needed) the directory {@code dir}; saves keep the newest {@code keep} checkpoints. One
     * writer per directory (a serving session also holds an OS lock on it).
     *
     * @param dir  the directory
     * @param keep how many checkpoints to keep, at least 1
     * @throws IllegalArgumentException if {@code keep < 1}
     * @throws java.io.UncheckedIOException when the directory cannot be created
     */
    public CheckpointStore(Path dir, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("checkpoint store " + dir + ": keep must be >= 1, got " + keep);
        }
        this.dir = dir;
        this.keep = keep;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot create the checkpoint directory: " + e.getMessage(), e);
        }
    }

    /**
     * The directory of this store.
     *
     * @return the path given at construction
     */
    public Path directory() {
        return dir;
    }

    /**
     * The file of a version.
     *
     * @param version the version number
     * @return {@code <dir>/checkpoint-<version>.safetensors}, whether or not it exists
     */
    public Path file(long version) {
        if (version < 0) {
            throw new IllegalArgumentException("checkpoint version must be >= 0, got " + version);
        }
        return dir.resolve(String.format("checkpoint-%012d.safetensors", version));
    }

    /**
     * The versions present, oldest first (only complete files: temporary files are not listed).
     *
     * @return the version numbers, ascending
     * @throws java.io.UncheckedIOException when the directory cannot be listed
     */
    public List<Long> versions() {
        List<Long> versions = new ArrayList<>();
        for (Path p : list()) {
            Matcher m = NAME.matcher(p.getFileName().toString());
            if (m.matches() && Files.isRegularFile(p)) {
                versions.add(Long.parseLong(m.group(1)));
            }
        }
        Collections.sort(versions);
        return versions;
    }

    /**
     * Saves {@code net} as the next version; removes temporary files of interrupted saves and old versions.
     *
     * @param net the network to save (read only; no other thread may change it meanwhile)
     * @return the version saved: one more than the newest present, 1 in an empty directory
     * @throws java.io.UncheckedIOException when writing fails
     */
    public long save(Network net) {
        return save(net, Map.of());
    }

    /**
     * As {@link #save(Network)}, with extra metadata (see {@link Checkpoint#save(Network, Path, Map)}).
     *
     * @param net           the network to save
     * @param extraMetadata extra string entries
     * @return the version saved
     */
    public long save(Network net, Map<String, String> extraMetadata) {
        return save(net, extraMetadata, List.of());
    }

    /**
     * As {@link #save(Network, Map)}, with state tensors beside the weights (see
     * {@link Checkpoint#STATE_TENSOR_PREFIX}).
     *
     * @param net           the network to save
     * @param extraMetadata extra string entries
     * @param state         state tensors, each named with the state prefix
     * @return the version saved
     */
    public long save(Network net, Map<String, String> extraMetadata, List<TensorEntry> state) {
        removeTemporaryFiles();
        List<Long> versions = versions();
        long version = versions.isEmpty() ? 1 : versions.get(versions.size() - 1) + 1;
        Map<String, String> meta = new LinkedHashMap<>(extraMetadata);
        meta.put(VERSION_KEY, Long.toString(version));
        Checkpoint.save(net, file(version), meta, state);
        versions.add(version);
        for (int i = 0; i < versions.size() - keep; i++) {
            try {
                Files.deleteIfExists(file(versions.get(i)));
            } catch (IOException e) {
                throw new UncheckedIOException(file(versions.get(i)) + ": cannot remove an old checkpoint: "
                    + e.getMessage(), e);
            }
        }
        return version;
    }

    /**
     * Loads the newest checkpoint. Without {@code fallback}, a corrupt newest checkpoint is an error naming it;
     * with it, each corrupt one is listed in {@link Loaded#skipped()} and the next older one is tried.
     *
     * @param backend  the backend of the loaded network (borrowed)
     * @param maxBatch the row capacity of the loaded network
     * @param fallback whether to skip corrupt checkpoints and load the newest valid one
     * @return the loaded checkpoint; the caller owns its network and closes it
     * @throws UncheckedIOException wrapping a {@link CheckpointFormatException} when the directory holds no
     *                              checkpoint, when the newest is corrupt (without fallback), or when none is valid
     */
    public Loaded loadLatest(Backend backend, int maxBatch, boolean fallback) {
        List<Long> versions = versions();
        if (versions.isEmpty()) {
            throw new UncheckedIOException(new CheckpointFormatException(dir, "checkpoints",
                "expected at least one checkpoint-<version>.safetensors, found none"));
        }
        List<String> skipped = new ArrayList<>();
        for (int i = versions.size() - 1; i >= 0; i--) {
            Path file = file(versions.get(i));
            try {
                return new Loaded(versions.get(i), file, Checkpoint.load(file, backend, maxBatch), List.copyOf(skipped));
            } catch (UncheckedIOException e) {
                if (!fallback) {
                    throw new UncheckedIOException("the latest checkpoint " + file + " cannot be loaded (load with "
                        + "fallback to use the newest valid one): " + e.getMessage(), e.getCause());
                }
                skipped.add(e.getMessage());
            }
        }
        throw new UncheckedIOException(new CheckpointFormatException(dir, "checkpoints",
            "expected a valid checkpoint, but all " + versions.size() + " are corrupt: " + String.join("; ", skipped)));
    }

    private void removeTemporaryFiles() {
        for (Path p : list()) {
            if (TEMP.matcher(p.getFileName().toString()).matches()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left for the next save; it is never taken for a checkpoint
                }
            }
        }
    }

    private List<Path> list() {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(entries::add);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot list the checkpoint directory: " + e.getMessage(), e);
        }
        return entries;
    }
}
