package io.tickgrad.serve;

import io.tickgrad.market.FeatureSpec;
import io.tickgrad.market.PredictionDescriptor;
import io.tickgrad.model.CheckpointImage;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Network;
import java.nio.file.Path;

/**
 * A model file read and checked once, kept in memory: its checkpoint, feature spec and version. {@link #open}
 * gives a new {@link ServingModel} with its own network each time without touching the file, which is what a sweep
 * needs once per task ({@link ServingModel#load} reads, parses and hashes the file). Immutable and safe to share
 * between threads.
 */
public final class ModelImage {
    private final CheckpointImage checkpoint;
    private final FeatureSpec features;
    private final long version;

    private ModelImage(CheckpointImage checkpoint, FeatureSpec features, long version) {
        this.checkpoint = checkpoint;
        this.features = features;
        this.version = version;
    }

    /**
     * Reads {@code file}: a checkpoint with its feature spec (tickgrad.features), whose network takes the spec's
     * width.
     *
     * @param file the model file
     * @return its image
     * @throws IllegalArgumentException     naming the file when it has no feature spec or a mismatched width
     * @throws java.io.UncheckedIOException naming the file and field when it is not a valid checkpoint, or the I/O
     *                                      error
     */
    public static ModelImage read(Path file) {
        CheckpointImage checkpoint = CheckpointImage.read(file);
        FeatureSpec spec = FeatureSpec.fromMetadata(checkpoint.metadata(), file.toString());
        int inputs = checkpoint.architecture().inputs();
        if (inputs != spec.width()) {
            throw new IllegalArgumentException(file + ": the network takes " + inputs + " inputs but its feature "
                + "spec writes " + spec.width());
        }
        long version = ServingModel.versionOf(file);
        return new ModelImage(checkpoint, spec, version);
    }

    /**
     * A new model on {@code backend}: its own batch-1 network with the file's weights and flags.
     *
     * @param backend the backend the network is built on; stays the caller's and must outlive the model
     * @return the model, owning its network (native memory freed by {@link ServingModel#close()})
     * @throws IllegalArgumentException naming the file when the network has more outputs than a prediction record
     *                                  holds
     */
    public ServingModel open(Backend backend) {
        Network net = checkpoint.newNetwork(backend, 1);
        if (net.outputs() > PredictionDescriptor.MAX_OUTPUTS) {
            net.close();
            throw new IllegalArgumentException(file() + ": the network has " + net.outputs() + " outputs; a prediction "
                + "record holds at most " + PredictionDescriptor.MAX_OUTPUTS);
        }
        return ServingModel.opened(file(), net, features, version);
    }

    /** @return the file it was read from */
    public Path file() {
        return checkpoint.file();
    }

    /** @return the feature pipeline and label the model expects */
    public FeatureSpec features() {
        return features;
    }

    /** @return the version written into each prediction: the first 8 bytes of the file's SHA-256 */
    public long version() {
        return version;
    }
}
