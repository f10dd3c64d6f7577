package io.tickgrad.online;

import io.tickgrad.market.FeatureSpec;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.model.CheckpointStore;
import io.tickgrad.model.TensorEntry;
import io.tickgrad.nn.Network;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.agrona.concurrent.SystemNanoClock;

/**
 * Checkpoints of online learning: each one holds the published weights, the feature spec (so it serves like any
 * other checkpoint), and the point of the ticks queue it covers. They are written through {@link CheckpointStore}
 * (temporary file, fsync, rename), so a process killed at any moment leaves the previous one intact.
 *
 * <p>A restart reads the newest valid one ({@link #latest}), serves its weights, re-reads the ticks queue from its
 * {@link #RESUME_INDEX_KEY} (which rebuilds the features and the samples not yet trained on) and trains only on
 * samples after its {@link #TRAINED_THROUGH_KEY}.
 */
public final class OnlineCheckpoints {
    /** Ticks-queue index from which a restart re-reads (hex). */
    public static final String RESUME_INDEX_KEY = "tickgrad.online.resume_index";
    /** Tick sequence of the newest sample these weights were trained with. */
    public static final String TRAINED_THROUGH_KEY = "tickgrad.online.trained_through";
    /** The revision of the process that wrote it (for reports). */
    public static final String REVISION_KEY = "tickgrad.online.revision";
    /** Version of the weights online learning started from. */
    public static final String BASE_VERSION_KEY = "tickgrad.online.base_version";
    /** Metadata key: the optimizer's step count, present when the checkpoint holds the optimizer's moments. */
    public static final String OPTIMIZER_STEPS_KEY = "tickgrad.online.optimizer_steps";

    private final CheckpointStore store;
    private final FeatureSpec features;
    private final long baseVersion;
    private final long intervalNs;
    private long lastSaveNs;
    private long saved;

    /** Where a restart resumes: the checkpoint to serve, the ticks-queue index, and the samples already trained on. */
    /**
     * @param baseVersion    the version of the base model the checkpoint was trained from ({@link #BASE_VERSION_KEY})
     * @param optimizerSteps the optimizer's step count when the checkpoint also holds its moments, else -1
     */
    public record Resume(Path file, long resumeIndex, long trainedThrough, long baseVersion, long optimizerSteps,
                         List<String> skipped) {
    }

    /**
     * Checkpoints into {@code dir} with the interval counted from time 0 of the trainer's clock. Cold path.
     *
     * @param dir         the checkpoint directory (created when missing); one owner at a time (see
     *                    {@link io.tickgrad.serve.ServingSession})
     * @param keep        how many checkpoints to keep
     * @param features    the feature spec written into every checkpoint, so each one serves on its own
     * @param baseVersion the version of the base model learning started from ({@link io.tickgrad.serve.ServingModel#version()}),
     *                    recorded in every checkpoint; a restart keeps the base model's, not its checkpoint's
     * @param intervalNs  the least time between two checkpoints (0: after every publication)
     */
    public OnlineCheckpoints(Path dir, int keep, FeatureSpec features, long baseVersion, long intervalNs) {
        this(dir, keep, features, baseVersion, intervalNs, SystemNanoClock.INSTANCE.nanoTime());
    }

    /**
     * As above, with the interval counted from {@code startNs} of the clock the trainer agent times checkpoints with.
     *
     * @param dir         the checkpoint directory (created when missing)
     * @param keep        how many checkpoints to keep
     * @param features    the feature spec written into every checkpoint
     * @param baseVersion the version of the base model learning started from, recorded in every checkpoint
     * @param intervalNs  the least time between two checkpoints, ns (0: after every publication)
     * @param startNs     the time the interval is first counted from, in the trainer clock's ns
     */
    public OnlineCheckpoints(Path dir, int keep, FeatureSpec features, long baseVersion, long intervalNs,
                             long startNs) {
        if (intervalNs < 0) {
            throw new IllegalArgumentException("checkpoint interval must be >= 0 ns, got " + intervalNs);
        }
        this.store = new CheckpointStore(dir, keep);
        this.features = features;
        this.baseVersion = baseVersion;
        this.intervalNs = intervalNs;
        this.lastSaveNs = startNs;
    }

    /** Whether the interval has passed since the last save. */
    boolean due(long nowNs) {
        return nowNs - lastSaveNs >= intervalNs;
    }

    /**
     * Saves {@code net} (the published weights) covering samples through {@code trainedThrough}, with the optimizer's
     * moments and step count when given (empty list: none). Trainer thread.
     */
    void save(Network net, long revision, long trainedThrough, long resumeIndex, long nowNs,
              List<TensorEntry> optimizerState, long optimizerSteps) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(FeatureSpec.METADATA_KEY, features.toJson());
        meta.put(RESUME_INDEX_KEY, Long.toHexString(resumeIndex));
        meta.put(TRAINED_THROUGH_KEY, Long.toString(trainedThrough));
        meta.put(REVISION_KEY, Long.toString(revision));
        meta.put(BASE_VERSION_KEY, String.format("%016x", baseVersion));
        if (!optimizerState.isEmpty()) {
            meta.put(OPTIMIZER_STEPS_KEY, Long.toString(optimizerSteps));
        }
        store.save(net, meta, optimizerState);
        lastSaveNs = nowNs;
        saved++;
    }

    /** @return checkpoints written by this process */
    public long saved() {
        return saved;
    }

    /** @return the store that writes, lists and prunes the checkpoint files; used by the trainer thread */
    public CheckpointStore store() {
        return store;
    }

    /**
     * The newest checkpoint in {@code dir} that reads back, with its resume point; null when there is none.
     * Corrupt newer ones are skipped and named in {@link Resume#skipped()}. Cold path; writes nothing but the
     * directory itself when it is missing.
     *
     * @param dir the checkpoint directory
     * @return the checkpoint to resume from, or null when none reads back
     * @throws java.io.UncheckedIOException when the directory cannot be created or listed
     */
    public static Resume latest(Path dir) {
        CheckpointStore store = new CheckpointStore(dir, Integer.MAX_VALUE);
        List<Long> versions = store.versions();
        List<String> skipped = new ArrayList<>();
        for (int i = versions.size() - 1; i >= 0; i--) {
            Path file = store.file(versions.get(i));
            try {
                Map<String, String> meta = Checkpoint.readMetadata(file);
                String index = meta.get(RESUME_INDEX_KEY);
                String through = meta.get(TRAINED_THROUGH_KEY);
                String base = meta.get(BASE_VERSION_KEY);
                if (index == null || through == null || base == null) {
                    skipped.add(file + ": no " + RESUME_INDEX_KEY + ", " + TRAINED_THROUGH_KEY + " or "
                        + BASE_VERSION_KEY + " metadata");
                    continue;
                }
                String steps = meta.get(OPTIMIZER_STEPS_KEY);
                return new Resume(file, Long.parseUnsignedLong(index, 16), Long.parseLong(through),
                    Long.parseUnsignedLong(base, 16), steps == null ? -1 : Long.parseLong(steps), List.copyOf(skipped));
            } catch (RuntimeException e) {
                skipped.add(file + ": " + e.getMessage());
            }
        }
        return null;
    }
}
