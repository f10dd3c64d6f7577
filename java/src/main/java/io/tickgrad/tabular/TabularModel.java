package io.tickgrad.tabular;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Network;
import io.tickgrad.train.Fitter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A binary classifier over raw table rows: the fitted {@link TabularPreprocessor}, a network ending in one
 * sigmoid output, and the decision threshold chosen for a {@link ThresholdGoal}. Saved as an ordinary tickgrad
 * checkpoint whose metadata key {@value #METADATA_KEY} holds the preprocessing, the threshold and how it was
 * trained as JSON, so that predict and evaluate take rows of the same CSV shape. Owns its network.
 *
 * <p>Memory: the model owns its network (native memory) and frees it with {@link #close()}. Threads: one thread at a
 * time, as its network; to serve from several threads, load one model per thread.
 */
public final class TabularModel implements AutoCloseable {
    /** The checkpoint metadata key that marks a tabular model and holds its preprocessing. */
    public static final String METADATA_KEY = "tickgrad.tabular";
    /** Version of the JSON under {@link #METADATA_KEY}. */
    public static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Network network;
    private final TabularPreprocessor preprocessor;
    private final double threshold;
    private final ThresholdGoal goal;
    private final List<Integer> hidden;

    /**
     * @param network       one sigmoid output, {@code preprocessor.width()} inputs (owned from now on)
     * @param preprocessor  the fitted preprocessing
     * @param threshold     positive when the probability is at or above it
     * @param goal          what the threshold was chosen for
     * @param hidden        the hidden layer sizes (empty for logistic regression), recorded for reports
     */
    public TabularModel(Network network, TabularPreprocessor preprocessor, double threshold, ThresholdGoal goal,
                        List<Integer> hidden) {
        if (network.inputs() != preprocessor.width() || network.outputs() != 1) {
            throw new IllegalArgumentException("the network has " + network.inputs() + " inputs and "
                + network.outputs() + " outputs; the preprocessing writes " + preprocessor.width()
                + " inputs and a binary model has 1 output");
        }
        this.network = network;
        this.preprocessor = preprocessor;
        this.threshold = threshold;
        this.goal = goal;
        this.hidden = List.copyOf(hidden);
    }

    /**
     * Probability of the positive class for every row of {@code table}.
     *
     * @param table    rows of the training CSV's shape (the label may be absent)
     * @param warnings where tolerated problems are counted
     * @return a new array, one probability per row
     * @throws TabularDataException when a cell is refused
     */
    public float[] score(CsvTable table, TableWarnings warnings) {
        float[] x = preprocessor.encode(table, warnings);
        if (table.rowCount() == 0) {
            return new float[0];
        }
        return Fitter.predict(network, x, table.rowCount());
    }

    /**
     * Every metric of the model on a labelled table, at the model's threshold.
     *
     * @param table    rows with the label column
     * @param warnings where tolerated problems are counted
     * @return the evaluation
     */
    public BinaryEvaluation evaluate(CsvTable table, TableWarnings warnings) {
        return evaluate(table, warnings, threshold);
    }

    /**
     * Every metric of the model on a labelled table, at {@code atThreshold}.
     *
     * @param table       rows with the label column
     * @param warnings    where tolerated problems are counted
     * @param atThreshold the threshold to evaluate at
     * @return the evaluation
     */
    public BinaryEvaluation evaluate(CsvTable table, TableWarnings warnings, double atThreshold) {
        float[] y = preprocessor.targets(table);
        return BinaryEvaluation.of(score(table, warnings), y, atThreshold);
    }

    /**
     * The network, owned by this model (closed by {@link #close()}).
     *
     * @return the network
     */
    public Network network() {
        return network;
    }

    /**
     * The fitted preprocessing.
     *
     * @return the preprocessor
     */
    public TabularPreprocessor preprocessor() {
        return preprocessor;
    }

    /**
     * The decision threshold on the probability.
     *
     * @return the threshold, in [0, 1]
     */
    public double threshold() {
        return threshold;
    }

    /**
     * What the threshold was chosen for.
     *
     * @return the goal
     */
    public ThresholdGoal thresholdGoal() {
        return goal;
    }

    /**
     * Hidden layer sizes; empty for logistic regression.
     *
     * @return an unmodifiable list
     */
    public List<Integer> hidden() {
        return hidden;
    }

    /**
     * Saves the network and, under {@link #METADATA_KEY}, the preprocessing and threshold (atomically).
     *
     * @param file the checkpoint to write
     * @throws java.io.UncheckedIOException when writing fails
     */
    public void save(Path file) {
        Checkpoint.save(network, file, Map.of(METADATA_KEY, toJson()));
    }

    String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", FORMAT_VERSION);
        root.put("threshold", threshold);
        root.put("threshold_goal", goal.toString());
        ArrayNode h = root.putArray("hidden");
        hidden.forEach(h::add);
        root.set("preprocessing", preprocessor.toJson());
        return root.toString();
    }

    /**
     * Whether a checkpoint's metadata marks a tabular model.
     *
     * @param checkpointMetadata the metadata
     * @return true when it holds {@link #METADATA_KEY}
     */
    public static boolean isTabular(Map<String, String> checkpointMetadata) {
        return checkpointMetadata.containsKey(METADATA_KEY);
    }

    /**
     * Whether the checkpoint file holds a tabular model.
     *
     * @param checkpoint the file
     * @return true for a tabular model
     * @throws java.io.UncheckedIOException when the file cannot be read
     */
    public static boolean isTabular(Path checkpoint) {
        return isTabular(Checkpoint.readMetadata(checkpoint));
    }

    /**
     * Loads a tabular checkpoint onto {@code backend}; refuses a checkpoint without tabular metadata.
     *
     * @param file    the checkpoint
     * @param backend the backend of the network (borrowed)
     * @return the model; the caller closes it
     * @throws IllegalArgumentException naming the file when it is not a tabular checkpoint
     * @throws java.io.UncheckedIOException when the file cannot be read or is not a valid checkpoint
     */
    public static TabularModel load(Path file, Backend backend) {
        Map<String, String> meta = Checkpoint.readMetadata(file);
        String json = meta.get(METADATA_KEY);
        if (json == null) {
            throw new IllegalArgumentException(file + ": not a tabular model (no '" + METADATA_KEY
                + "' metadata); it takes numeric rows without a header");
        }
        JsonNode root;
        TabularPreprocessor pre;
        ThresholdGoal goal;
        List<Integer> hidden = new ArrayList<>();
        double threshold;
        try {
            root = JSON.readTree(json);
            int version = root.path("version").asInt(-1);
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("version " + version + ", expected " + FORMAT_VERSION);
            }
            pre = TabularPreprocessor.fromJson(root.get("preprocessing"));
            threshold = root.get("threshold").asDouble();
            goal = ThresholdGoal.parse(root.path("threshold_goal").asText("f1"));
            for (JsonNode n : root.path("hidden")) {
                hidden.add(n.asInt());
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": metadata '" + METADATA_KEY + "' is not valid JSON: "
                + e.getOriginalMessage());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": metadata '" + METADATA_KEY + "' is not a valid tabular "
                + "preprocessing: " + e, e);
        }
        Network net = Checkpoint.load(file, backend, TabularFitOptions.MAX_BATCH);
        try {
            return new TabularModel(net, pre, threshold, goal, hidden);
        } catch (RuntimeException e) {
            net.close();
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Closes the network. */
    @Override
    public void close() {
        network.close();
    }
}
