package io.tickgrad.market;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickgrad.model.FeatureNormalisation;
import java.util.Arrays;
import java.util.Map;

/**
 * The feature pipeline a network expects, stored with it: which online features, in which order, their fitted
 * normalisation, the label it was trained on, and the span it was trained on. Serialised as JSON under
 * {@link #METADATA_KEY} in a checkpoint, so {@code serve} and {@code replay} rebuild the pipeline from the model
 * file alone.
 *
 * <p>The feature vector, in order: the chart window ({@code chartPoints} values: the last {@code chartWindow}
 * prices resampled and L2-normalised, as the pretrained chart network expects), one log return in bps per lag in
 * {@code returnLags}, the EWMA volatility of one-tick log returns in bps (half-life in ticks), the trade-size
 * imbalance over the last {@code sizeImbalanceWindow} trades (tick rule, in [-1, 1]), the seconds since the
 * previous tick, and, when {@code quotes}, the spread in bps and the book imbalance (bid size - ask size) /
 * (bid size + ask size) of the last quote (0 before any quote), and, when {@code barRange}, the last bar's range
 * ln(high / low) in bps (0 for ticks of other shapes). Sizes feed the imbalance only where the shape has them (a
 * trade's size, a bar's volume); a price series or a quote stream leaves it at 0. Last, when {@code transfer} is
 * set, the instrument-free columns of {@link TransferFeatures} (absent from older checkpoints, which load as before).
 *
 * @param chartWindow         prices in the chart window, 0 for none
 * @param chartPoints         points the chart window is resampled to
 * @param returnLags          lags in ticks of the log-return features
 * @param ewmaVolHalfLife     half-life in ticks of the EWMA volatility feature, 0 for none
 * @param sizeImbalanceWindow trades in the size-imbalance feature, 0 for none
 * @param timeSinceLast       whether the seconds since the previous tick are a feature
 * @param quotes              whether the spread and book imbalance of the last quote are features
 * @param normalisation       fitted statistics applied to the vector, or null
 * @param label               the label the network was trained on, or null
 * @param trainFromNs         start of the training span, epoch ns (0 when unknown)
 * @param trainToNs           end of the training span, epoch ns, exclusive (0 when unknown)
 * @param barRange            whether the last bar's range in bps is a feature
 * @param transfer            the instrument-free transfer features, or null for none
 */
public record FeatureSpec(int chartWindow, int chartPoints, int[] returnLags, int ewmaVolHalfLife,
                          int sizeImbalanceWindow, boolean timeSinceLast, boolean quotes,
                          FeatureNormalisation normalisation, LabelSpec label, long trainFromNs, long trainToNs,
                          boolean barRange, TransferFeatures transfer) {
    /** The checkpoint metadata key. */
    public static final String METADATA_KEY = "tickgrad.features";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Validates the components (the lags are copied; with no chart window chartPoints becomes 0).
     *
     * @param chartWindow         prices in the chart window, 0 for none or at least 2
     * @param chartPoints         points the window is resampled to, at least 2 with a window (400 for the chart
     *                            network)
     * @param returnLags          lags in ticks of the log-return features, each at least 1; null for none
     * @param ewmaVolHalfLife     half-life in ticks of the EWMA volatility feature, 0 for none
     * @param sizeImbalanceWindow trades in the size-imbalance feature, 0 for none
     * @param timeSinceLast       whether to add the seconds since the previous tick
     * @param quotes              whether to add the spread and book imbalance of the last quote
     * @param normalisation       fitted statistics applied to the vector, or null
     * @param label               the label the network was trained on, or null
     * @param trainFromNs         start of the training span, epoch ns (0 when unknown)
     * @param trainToNs           end of the training span, epoch ns, exclusive (0 when unknown)
     * @param barRange            whether to add the last bar's range ln(high / low) in bps
     * @param transfer            the instrument-free {@link TransferFeatures} appended last, or null for none
     * @throws IllegalArgumentException naming the field when a value is out of range, the pipeline is empty or the
     *                                  normalisation's width differs
     */
    public FeatureSpec {
        returnLags = returnLags == null ? new int[0] : returnLags.clone();
        if (chartWindow < 0 || (chartWindow > 0 && (chartWindow < 2 || chartPoints < 2))) {
            throw new IllegalArgumentException("features: chartWindow 0 (none) or >= 2 with chartPoints >= 2, got "
                + chartWindow + " and " + chartPoints);
        }
        for (int lag : returnLags) {
            if (lag < 1) {
                throw new IllegalArgumentException("features: return lags must be >= 1, got " + lag);
            }
        }
        if (ewmaVolHalfLife < 0 || sizeImbalanceWindow < 0) {
            throw new IllegalArgumentException("features: ewmaVolHalfLife and sizeImbalanceWindow must be >= 0");
        }
        if (chartWindow == 0) {
            chartPoints = 0;
        }
        int width = chartPoints + returnLags.length + (ewmaVolHalfLife > 0 ? 1 : 0) + (sizeImbalanceWindow > 0 ? 1 : 0)
            + (timeSinceLast ? 1 : 0) + (quotes ? 2 : 0) + (barRange ? 1 : 0) + (transfer == null ? 0 : transfer.width());
        if (width == 0) {
            throw new IllegalArgumentException("features: the pipeline has no feature");
        }
        if (normalisation != null && normalisation.features() != width) {
            throw new IllegalArgumentException("features: normalisation has " + normalisation.features()
                + " columns, the pipeline " + width);
        }
    }

    /**
     * A pipeline without transfer features (the form every pipeline had before pretraining).
     *
     * @param chartWindow         prices in the chart window, 0 for none
     * @param chartPoints         points the window is resampled to
     * @param returnLags          lags in ticks of the log-return features
     * @param ewmaVolHalfLife     half-life in ticks of the EWMA volatility, 0 for none
     * @param sizeImbalanceWindow trades in the size imbalance, 0 for none
     * @param timeSinceLast       whether to add the seconds since the previous tick
     * @param quotes              whether to add the spread and book imbalance
     * @param normalisation       fitted statistics, or null
     * @param label               the label, or null
     * @param trainFromNs         start of the training span, epoch ns
     * @param trainToNs           end of the training span, epoch ns, exclusive
     * @param barRange            whether the last bar's range in bps is a feature
     */
    public FeatureSpec(int chartWindow, int chartPoints, int[] returnLags, int ewmaVolHalfLife, int sizeImbalanceWindow,
                       boolean timeSinceLast, boolean quotes, FeatureNormalisation normalisation, LabelSpec label,
                       long trainFromNs, long trainToNs, boolean barRange) {
        this(chartWindow, chartPoints, returnLags, ewmaVolHalfLife, sizeImbalanceWindow, timeSinceLast, quotes,
            normalisation, label, trainFromNs, trainToNs, barRange, null);
    }

    /**
     * Only the instrument-free {@link TransferFeatures}, no normalisation yet.
     *
     * @param transfer the transfer features
     * @param label    the label the network is trained on, or null
     * @return the spec
     */
    public static FeatureSpec transfer(TransferFeatures transfer, LabelSpec label) {
        return new FeatureSpec(0, 0, new int[0], 0, 0, false, false, null, label, 0, 0, false, transfer);
    }

    /**
     * A pipeline without the bar range (the form every pipeline had before bars).
     *
     * @param chartWindow         prices in the chart window, 0 for none
     * @param chartPoints         points the window is resampled to
     * @param returnLags          lags in ticks of the log-return features
     * @param ewmaVolHalfLife     half-life in ticks of the EWMA volatility, 0 for none
     * @param sizeImbalanceWindow trades in the size imbalance, 0 for none
     * @param timeSinceLast       whether to add the seconds since the previous tick
     * @param quotes              whether to add the spread and book imbalance
     * @param normalisation       fitted statistics, or null
     * @param label               the label, or null
     * @param trainFromNs         start of the training span, epoch ns
     * @param trainToNs           end of the training span, epoch ns, exclusive
     */
    public FeatureSpec(int chartWindow, int chartPoints, int[] returnLags, int ewmaVolHalfLife, int sizeImbalanceWindow,
                       boolean timeSinceLast, boolean quotes, FeatureNormalisation normalisation, LabelSpec label,
                       long trainFromNs, long trainToNs) {
        this(chartWindow, chartPoints, returnLags, ewmaVolHalfLife, sizeImbalanceWindow, timeSinceLast, quotes,
            normalisation, label, trainFromNs, trainToNs, false);
    }

    /**
     * Only the pretrained network's chart window of the last {@code window} prices (400 points), no normalisation.
     *
     * @param window prices in the chart window
     * @param label  the label, or null
     * @return the spec
     */
    public static FeatureSpec chart(int window, LabelSpec label) {
        return new FeatureSpec(window, ChartWindow.UPSTREAM_POINTS, new int[0], 0, 0, false, false, null, label, 0, 0);
    }

    /**
     * How many floats the pipeline writes.
     *
     * @return the vector's width, the network's input width
     */
    public int width() {
        return chartPoints + returnLags.length + (ewmaVolHalfLife > 0 ? 1 : 0) + (sizeImbalanceWindow > 0 ? 1 : 0)
            + (timeSinceLast ? 1 : 0) + (quotes ? 2 : 0) + (barRange ? 1 : 0) + (transfer == null ? 0 : transfer.width());
    }

    /**
     * Ticks the pipeline must see before its first complete vector.
     *
     * @return ticks of warm-up
     */
    public int warmupTicks() {
        int need = 2;
        need = Math.max(need, chartWindow);
        for (int lag : returnLags) {
            need = Math.max(need, lag + 1);
        }
        if (transfer != null) {
            need = Math.max(need, transfer.warmupTicks());
        }
        return need;
    }

    /**
     * The lags of the log-return features, in ticks.
     *
     * @return a copy
     */
    @Override
    public int[] returnLags() {
        return returnLags.clone();
    }

    /**
     * The same pipeline with fitted normalisation statistics and the span they were fitted on.
     *
     * @param stats  the statistics, as wide as the vector
     * @param fromNs start of the fitting span, epoch ns
     * @param toNs   end of the fitting span, epoch ns, exclusive
     * @return a new spec
     */
    public FeatureSpec withNormalisation(FeatureNormalisation stats, long fromNs, long toNs) {
        return new FeatureSpec(chartWindow, chartPoints, returnLags, ewmaVolHalfLife, sizeImbalanceWindow,
            timeSinceLast, quotes, stats, label, fromNs, toNs, barRange, transfer);
    }

    /**
     * The same pipeline recording the training span (exchange time, ns, end exclusive).
     *
     * @param fromNs start, epoch ns
     * @param toNs   end, epoch ns, exclusive
     * @return a new spec
     */
    public FeatureSpec withTrainSpan(long fromNs, long toNs) {
        return new FeatureSpec(chartWindow, chartPoints, returnLags, ewmaVolHalfLife, sizeImbalanceWindow,
            timeSinceLast, quotes, normalisation, label, fromNs, toNs, barRange, transfer);
    }

    /**
     * The JSON form stored under {@link #METADATA_KEY}.
     *
     * @return compact JSON text
     */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        ObjectNode chart = root.putObject("chart");
        chart.put("window", chartWindow);
        chart.put("points", chartPoints);
        ArrayNode lags = root.putArray("returnLags");
        for (int lag : returnLags) {
            lags.add(lag);
        }
        root.put("ewmaVolHalfLife", ewmaVolHalfLife);
        root.put("sizeImbalanceWindow", sizeImbalanceWindow);
        root.put("timeSinceLast", timeSinceLast);
        root.put("quotes", quotes);
        if (barRange) {
            root.put("barRange", true);
        }
        if (transfer != null) {
            ObjectNode t = root.putObject("transfer");
            ArrayNode scaled = t.putArray("scaledLags");
            for (int lag : transfer.scaledLags()) {
                scaled.add(lag);
            }
            t.put("fastHalfLife", transfer.fastHalfLife());
            t.put("slowHalfLife", transfer.slowHalfLife());
            t.put("range", transfer.range());
            t.put("volume", transfer.volume());
            if (transfer.spread()) {
                t.put("spread", true);
            }
            t.put("timeOfDay", transfer.timeOfDay());
        }
        if (normalisation != null) {
            try {
                root.set("normalisation", JSON.readTree(normalisation.toJson()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        if (label != null) {
            label.writeJson(root.putObject("label"));
        }
        ObjectNode span = root.putObject("trainSpan");
        span.put("fromNs", trainFromNs);
        span.put("toNs", trainToNs);
        return root.toString();
    }

    /**
     * Parses {@link #toJson()}; {@code source} names the file in error messages.
     *
     * @param json   the text
     * @param source the file, for messages
     * @return the spec
     * @throws IllegalArgumentException naming the source and the field at fault
     */
    public static FeatureSpec fromJson(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": " + METADATA_KEY + " is not valid JSON: "
                + e.getOriginalMessage());
        }
        if (root.path("version").asInt(-1) != 1) {
            throw new IllegalArgumentException(source + ": " + METADATA_KEY + ".version: expected 1, found "
                + root.get("version"));
        }
        try {
            JsonNode lagsNode = root.path("returnLags");
            int[] lags = new int[lagsNode.size()];
            for (int i = 0; i < lags.length; i++) {
                lags[i] = lagsNode.get(i).asInt();
            }
            FeatureNormalisation stats = root.has("normalisation")
                ? FeatureNormalisation.fromJson(root.get("normalisation").toString(), source) : null;
            JsonNode l = root.get("label");
            LabelSpec label = l == null ? null : LabelSpec.fromJson(l);
            return new FeatureSpec(root.path("chart").path("window").asInt(), root.path("chart").path("points").asInt(),
                lags, root.path("ewmaVolHalfLife").asInt(), root.path("sizeImbalanceWindow").asInt(),
                root.path("timeSinceLast").asBoolean(), root.path("quotes").asBoolean(), stats, label,
                root.path("trainSpan").path("fromNs").asLong(), root.path("trainSpan").path("toNs").asLong(),
                root.path("barRange").asBoolean(false), transfer(root.get("transfer")));
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(source) ? e
                : new IllegalArgumentException(source + ": " + METADATA_KEY + ": " + e.getMessage());
        }
    }

    private static TransferFeatures transfer(JsonNode t) {
        if (t == null) {
            return null;
        }
        JsonNode lagsNode = t.path("scaledLags");
        int[] lags = new int[lagsNode.size()];
        for (int i = 0; i < lags.length; i++) {
            lags[i] = lagsNode.get(i).asInt();
        }
        return new TransferFeatures(lags, t.path("fastHalfLife").asInt(), t.path("slowHalfLife").asInt(),
            t.path("range").asBoolean(), t.path("volume").asBoolean(), t.path("spread").asBoolean(false),
            t.path("timeOfDay").asBoolean());
    }

    /**
     * Reads the spec from checkpoint metadata; a checkpoint without one is refused with what is missing.
     *
     * @param metadata the checkpoint's metadata
     * @param source   the file, for messages
     * @return the spec
     * @throws IllegalArgumentException naming the source when the spec is missing or malformed
     */
    public static FeatureSpec fromMetadata(Map<String, String> metadata, String source) {
        String json = metadata.get(METADATA_KEY);
        if (json == null) {
            throw new IllegalArgumentException(source + ": no '" + METADATA_KEY + "' metadata: the checkpoint does "
                + "not say which features its network expects (save it with the feature spec)");
        }
        return fromJson(json, source);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureSpec f && toJson().equals(f.toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    @Override
    public String toString() {
        return "FeatureSpec" + toJson() + " width=" + width() + " lags=" + Arrays.toString(returnLags);
    }
}
