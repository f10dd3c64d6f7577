package io.tickgrad.backtest;

import java.util.Arrays;

/**
 * What a replay produced, one row per prediction, in columns: the tick it answered, the price then, the model's
 * score (probability of an up move), the matured label and forward return, and the tick-to-prediction latency.
 * The replay fills it; metrics and reports read it. Growable primitive arrays: no boxing. Not thread-safe: one
 * thread fills it, and readers read it after that thread is done.
 *
 * <p>A run of a model with a real-valued label ({@link #markRealValued}) also holds, per row, the forecast in the
 * label's units, the naive forecast it is compared with, and the realised label (NaN until it matures); its
 * class label stays {@link #NO_LABEL}, and the report shows regression metrics instead of classification ones.
 */
public final class BacktestRun {
    /** Label value of a row whose outcome is unknown (horizon past the end) or inside the dead zone. */
    public static final int NO_LABEL = -1;

    private long[] tickSequence = new long[1024];
    private long[] exchangeTimeNs = new long[1024];
    private double[] price = new double[1024];
    private float[] score = new float[1024];
    private int[] label = new int[1024];
    private double[] forwardReturn = new double[1024];
    private long[] latencyNs = new long[1024];
    private int size;
    // real-valued labels only (null otherwise)
    private String regressionLabel;
    private String naiveForecastName;
    private double[] forecast;
    private double[] naive;
    private double[] target;
    private boolean directional = true;

    /**
     * Declares the run's label real-valued: {@code label} describes it (for the report), {@code naiveName} the naive
     * forecast of {@link #setForecast}. Call before the first row.
     *
     * @param label     the label in words, e.g. "realised volatility over 100 ticks"
     * @param naiveName the naive forecast in words, e.g. "the mean of the labels matured before each prediction"
     * @throws IllegalStateException when the run already has rows
     */
    public void markRealValued(String label, String naiveName) {
        if (size > 0) {
            throw new IllegalStateException("markRealValued: the run already has " + size + " rows");
        }
        regressionLabel = label;
        directional = false;
        naiveForecastName = naiveName;
        forecast = new double[tickSequence.length];
        naive = new double[tickSequence.length];
        target = new double[tickSequence.length];
    }

    /**
     * Declares that the score says nothing about direction (a large-move probability, a volatility forecast): the
     * threshold strategy stays flat.
     */
    public void markNotDirectional() {
        directional = false;
    }

    /** @return whether the score is a probability of an up move, which the threshold strategy trades on */
    public boolean directional() {
        return directional;
    }

    /** @return whether the label is real-valued ({@link #markRealValued}) */
    public boolean realValued() {
        return regressionLabel != null;
    }

    /** @return what the real-valued label is, or null */
    public String regressionLabel() {
        return regressionLabel;
    }

    /** @return what the naive forecast is, or null */
    public String naiveForecastName() {
        return naiveForecastName;
    }

    /**
     * Sets row {@code i}'s forecast and naive forecast, in the label's units (real-valued runs).
     *
     * @param i             the row
     * @param modelForecast the model's forecast
     * @param naiveForecast the naive forecast (NaN: none yet)
     * @throws IndexOutOfBoundsException when there is no row {@code i}
     */
    public void setForecast(int i, double modelForecast, double naiveForecast) {
        checkIndex(i);
        forecast[i] = modelForecast;
        naive[i] = naiveForecast;
    }

    /**
     * Sets row {@code i}'s realised real-valued label.
     *
     * @param i     the row
     * @param value the label in its units (NaN: none)
     * @throws IndexOutOfBoundsException when there is no row {@code i}
     */
    public void setTarget(int i, double value) {
        checkIndex(i);
        target[i] = value;
    }

    /**
     * @param i the row
     * @return row {@code i}'s forecast in the label's units; NaN for a run with class labels
     */
    public double forecast(int i) {
        checkIndex(i);
        return forecast == null ? Double.NaN : forecast[i];
    }

    /**
     * @param i the row
     * @return row {@code i}'s naive forecast; NaN for a run with class labels or before the first matured label
     */
    public double naive(int i) {
        checkIndex(i);
        return naive == null ? Double.NaN : naive[i];
    }

    /**
     * @param i the row
     * @return row {@code i}'s realised real-valued label; NaN until it matures, and for a run with class labels
     */
    public double target(int i) {
        checkIndex(i);
        return target == null ? Double.NaN : target[i];
    }

    /**
     * Adds one prediction (the arrays grow by doubling; not for a hot path).
     *
     * @param tickSeq       the sequence of the tick predicted on
     * @param exchangeTime  its exchange time, epoch ns
     * @param px            its price (the one the shape has: trade, mid, close)
     * @param modelScore    the model's output (a probability of an up move for a direction label)
     * @param label         1 (up), 0 (down) or {@link #NO_LABEL}
     * @param forwardReturn the simple return from this tick's price to the price at the label horizon, NaN if unknown
     * @param latencyNs     tick receive (or append) time to prediction written, in ns; negative if not measured
     */
    public void add(long tickSeq, long exchangeTime, double px, float modelScore, int label, double forwardReturn,
                    long latencyNs) {
        if (size == this.tickSequence.length) {
            grow();
        }
        this.tickSequence[size] = tickSeq;
        this.exchangeTimeNs[size] = exchangeTime;
        this.price[size] = px;
        this.score[size] = modelScore;
        this.label[size] = label;
        this.forwardReturn[size] = forwardReturn;
        this.latencyNs[size] = latencyNs;
        if (target != null) {
            forecast[size] = Double.NaN;
            naive[size] = Double.NaN;
            target[size] = Double.NaN;
        }
        size++;
    }

    /**
     * Sets the matured label and forward return of row {@code i} (labels mature after their horizon).
     *
     * @param i             the row
     * @param label         1 (up), 0 (down) or {@link #NO_LABEL} (dead zone)
     * @param forwardReturn the simple return to the price at the horizon
     * @throws IndexOutOfBoundsException when there is no row {@code i}
     */
    public void setOutcome(int i, int label, double forwardReturn) {
        checkIndex(i);
        this.label[i] = label;
        this.forwardReturn[i] = forwardReturn;
    }

    private void grow() {
        int n = tickSequence.length * 2;
        tickSequence = Arrays.copyOf(tickSequence, n);
        exchangeTimeNs = Arrays.copyOf(exchangeTimeNs, n);
        price = Arrays.copyOf(price, n);
        score = Arrays.copyOf(score, n);
        label = Arrays.copyOf(label, n);
        forwardReturn = Arrays.copyOf(forwardReturn, n);
        latencyNs = Arrays.copyOf(latencyNs, n);
        if (target != null) {
            forecast = Arrays.copyOf(forecast, n);
            naive = Arrays.copyOf(naive, n);
            target = Arrays.copyOf(target, n);
        }
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("row " + i + " of " + size);
        }
    }

    /** @return rows so far */
    public int size() {
        return size;
    }

    /**
     * @param i the row, 0 to size() - 1 (each accessor throws {@link IndexOutOfBoundsException} outside)
     * @return the sequence of the tick predicted on
     */
    public long tickSequence(int i) {
        checkIndex(i);
        return tickSequence[i];
    }

    /**
     * @param i the row
     * @return the tick's exchange time, epoch ns
     */
    public long exchangeTimeNs(int i) {
        checkIndex(i);
        return exchangeTimeNs[i];
    }

    /**
     * @param i the row
     * @return the tick's price
     */
    public double price(int i) {
        checkIndex(i);
        return price[i];
    }

    /**
     * @param i the row
     * @return the model's score
     */
    public float score(int i) {
        checkIndex(i);
        return score[i];
    }

    /**
     * @param i the row
     * @return 1 (up), 0 (down) or {@link #NO_LABEL}
     */
    public int label(int i) {
        checkIndex(i);
        return label[i];
    }

    /**
     * @param i the row
     * @return the simple return to the price at the label horizon, NaN while unknown
     */
    public double forwardReturn(int i) {
        checkIndex(i);
        return forwardReturn[i];
    }

    /**
     * @param i the row
     * @return tick receive time to prediction, ns; negative when not measured
     */
    public long latencyNs(int i) {
        checkIndex(i);
        return latencyNs[i];
    }
}
