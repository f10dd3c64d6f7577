package io.tickgrad.serve;

import io.tickgrad.market.FeatureSpec;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.Precision;
import io.tickgrad.tensor.ParamEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A checkpoint ready to serve: its network (batch 1), the feature pipeline it expects (from the checkpoint's
 * {@link FeatureSpec#METADATA_KEY} metadata) and its version, the first 8 bytes of the file's SHA-256, written
 * into every prediction so a trading loop knows which weights answered.
 */
public final class ServingModel implements AutoCloseable {
    private final Path file;
    private final Network network;
    private final FeatureSpec features;
    private final long version;

    private ServingModel(Path file, Network network, FeatureSpec features, long version) {
        this.file = file;
        this.network = network;
        this.features = features;
        this.version = version;
    }

    /**
     * Loads {@code file} (cold path) to predict with weights at {@code precision} ({@link Network#setPrecision});
     * refuses a checkpoint without a feature spec or with a mismatched width.
     *
     * @param file      a checkpoint with its feature spec (tickgrad.features)
     * @param backend   the backend the network is built on; stays the caller's and must outlive the model
     * @param precision the precision of the inference weights (fp32, or a bf16/int8 copy packed now)
     * @return the model, owning its batch-1 network (native memory freed by {@link #close()})
     * @throws IllegalArgumentException naming the file, when it does not load, has no feature spec, a mismatched
     *                                  width or too many outputs, or cannot be packed at that precision
     */
    public static ServingModel load(Path file, Backend backend, Precision precision) {
        ServingModel model = load(file, backend);
        try {
            model.network.setPrecision(precision);
        } catch (RuntimeException e) {
            model.close();
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        return model;
    }

    /**
     * Loads {@code file} (cold path) at fp32; refuses a checkpoint without a feature spec or with a mismatched width.
     *
     * @param file    a checkpoint with its feature spec (tickgrad.features)
     * @param backend the backend the network is built on; stays the caller's and must outlive the model
     * @return the model, owning its batch-1 network (native memory freed by {@link #close()})
     * @throws IllegalArgumentException naming the file, when it does not load, has no feature spec, a mismatched
     *                                  width or more outputs than a prediction record holds
     */
    public static ServingModel load(Path file, Backend backend) {
        return ModelImage.read(file).open(backend);
    }

    /** A model that owns {@code network}, read from {@code file} ({@link ModelImage#open}). */
    static ServingModel opened(Path file, Network network, FeatureSpec features, long version) {
        return new ServingModel(file, network, features, version);
    }

    /**
     * The architecture and feature pipeline of {@code file} with fresh weights ({@link Network#initialize(long)}
     * from {@code seed}) and every tensor trainable: the baseline that learns everything online, from scratch.
     * Its version is the seed, since its weights come from no file.
     *
     * @param file    the checkpoint whose architecture and feature spec are taken (its weights are not)
     * @param backend the backend the network is built on; stays the caller's
     * @param seed    the seed of the initial weights
     * @return the model, owning its network (freed by {@link #close()})
     * @throws IllegalArgumentException as {@link #load(Path, Backend)}
     */
    public static ServingModel untrained(Path file, Backend backend, long seed) {
        ServingModel loaded = load(file, backend);
        Network net = loaded.network;
        net.initialize(seed);
        for (ParamEntry e : net.parameters().entries()) {
            e.setTrainable(true);
        }
        return new ServingModel(file, net, loaded.features, seed);
    }

    /**
     * Wraps a network built in memory (tests, benchmarks); the caller keeps ownership of the network.
     *
     * @param network a batch-1 network; not closed by {@link #close()}
     * @param spec    the feature pipeline, whose width must be the network's input width
     * @param version the version written into each prediction
     * @return the model
     * @throws IllegalArgumentException when the widths differ
     */
    public static ServingModel of(Network network, FeatureSpec spec, long version) {
        if (network.inputs() != spec.width()) {
            throw new IllegalArgumentException("the network takes " + network.inputs() + " inputs but the feature spec "
                + "writes " + spec.width());
        }
        return new ServingModel(null, network, spec, version);
    }

    /**
     * @param file a model file
     * @return the first 8 bytes of the file's SHA-256, big-endian: the version written into each prediction
     * @throws java.io.UncheckedIOException naming the file when it cannot be read
     */
    public static long versionOf(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
            byte[] d = sha.digest();
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (d[i] & 0xff);
            }
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @return the network (batch 1): one thread at a time may predict with it; owned by this model when loaded
     *         from a file
     */
    public Network network() {
        return network;
    }

    /** @return the feature pipeline and label the model expects */
    public FeatureSpec features() {
        return features;
    }

    /** @return the version written into each prediction: the file's hash, the seed, or the given version */
    public long version() {
        return version;
    }

    /** @return the file it came from, or null when built in memory */
    public Path file() {
        return file;
    }

    /** Closes the network when it was loaded from a file. */
    @Override
    public void close() {
        if (file != null) {
            network.close();
        }
    }
}
