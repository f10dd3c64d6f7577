package io.tickgrad.market;

import static io.tickgrad.market.PredictionDescriptor.*;

import org.agrona.MutableDirectBuffer;

/**
 * A flyweight over one prediction laid out as {@link PredictionDescriptor}; like {@link Tick}, it wraps a buffer
 * at an offset and allocates nothing.
 *
 * <p>Threads: an instance belongs to one thread; a prediction handed to a {@link PredictionSink} is valid only during
 * that call. All times are epoch nanoseconds.
 */
public final class Prediction {
    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Points this flyweight at the prediction starting at {@code offset}.
     *
     * @param buffer the memory holding the prediction (a queue's, or a scratch buffer); not copied
     * @param offset byte offset of the prediction in the buffer
     * @return this flyweight
     */
    public Prediction wrap(MutableDirectBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * The buffer this flyweight wraps.
     *
     * @return the buffer, or null before the first {@link #wrap}
     */
    public MutableDirectBuffer buffer() {
        return buffer;
    }

    /**
     * Where the wrapped prediction starts in {@link #buffer()}.
     *
     * @return the byte offset
     */
    public int offset() {
        return offset;
    }

    /**
     * The sequence of the tick that triggered the prediction.
     *
     * @return the tick's sequence
     */
    public long tickSequence() {
        return buffer.getLong(offset + TICK_SEQUENCE_OFFSET);
    }

    /**
     * Writes the tick's sequence.
     *
     * @param v the tick's sequence
     * @return this flyweight
     */
    public Prediction tickSequence(long v) {
        buffer.putLong(offset + TICK_SEQUENCE_OFFSET, v);
        return this;
    }

    /**
     * That tick's exchange time, epoch nanoseconds.
     *
     * @return the tick's exchange time, epoch ns
     */
    public long tickExchangeTimeNs() {
        return buffer.getLong(offset + TICK_EXCHANGE_TIME_OFFSET);
    }

    /**
     * Writes the tick's exchange time, epoch ns.
     *
     * @param v the tick's exchange time, epoch ns
     * @return this flyweight
     */
    public Prediction tickExchangeTimeNs(long v) {
        buffer.putLong(offset + TICK_EXCHANGE_TIME_OFFSET, v);
        return this;
    }

    /**
     * That tick's receive (append) time, epoch nanoseconds.
     *
     * @return the tick's receive time, epoch ns
     */
    public long tickReceiveTimeNs() {
        return buffer.getLong(offset + TICK_RECEIVE_TIME_OFFSET);
    }

    /**
     * Writes the tick's receive time, epoch ns.
     *
     * @param v the tick's receive time, epoch ns
     * @return this flyweight
     */
    public Prediction tickReceiveTimeNs(long v) {
        buffer.putLong(offset + TICK_RECEIVE_TIME_OFFSET, v);
        return this;
    }

    /**
     * When the inference agent took the tick up, epoch nanoseconds of the session's clock.
     *
     * @return the start time, epoch ns
     */
    public long decisionStartNs() {
        return buffer.getLong(offset + DECISION_START_OFFSET);
    }

    /**
     * Writes the start time, epoch ns.
     *
     * @param v the start time, epoch ns
     * @return this flyweight
     */
    public Prediction decisionStartNs(long v) {
        buffer.putLong(offset + DECISION_START_OFFSET, v);
        return this;
    }

    /**
     * When the prediction was complete, epoch nanoseconds, written just before appending; minus the receive time it is
     * the tick-to-prediction latency.
     *
     * @return the end time, epoch ns
     */
    public long decisionEndNs() {
        return buffer.getLong(offset + DECISION_END_OFFSET);
    }

    /**
     * Writes the end time, epoch ns.
     *
     * @param v the end time, epoch ns
     * @return this flyweight
     */
    public Prediction decisionEndNs(long v) {
        buffer.putLong(offset + DECISION_END_OFFSET, v);
        return this;
    }

    /**
     * Identifies the model that answered: the first 8 bytes of its file's SHA-256 (see the serving model).
     *
     * @return the model version
     */
    public long modelVersion() {
        return buffer.getLong(offset + MODEL_VERSION_OFFSET);
    }

    /**
     * Writes the model version.
     *
     * @param v the model version
     * @return this flyweight
     */
    public Prediction modelVersion(long v) {
        buffer.putLong(offset + MODEL_VERSION_OFFSET, v);
        return this;
    }

    /**
     * Which update of the weights answered: 0 as loaded, then one more per online publication.
     *
     * @return the revision
     */
    public long modelRevision() {
        return buffer.getLong(offset + MODEL_REVISION_OFFSET);
    }

    /**
     * Writes the revision of the weights that answered.
     *
     * @param v the revision
     * @return this flyweight
     */
    public Prediction modelRevision(long v) {
        buffer.putLong(offset + MODEL_REVISION_OFFSET, v);
        return this;
    }

    /**
     * The instrument of the tick.
     *
     * @return the instrument id
     */
    public int instrumentId() {
        return buffer.getInt(offset + INSTRUMENT_ID_OFFSET);
    }

    /**
     * Writes the instrument id.
     *
     * @param v the instrument id
     * @return this flyweight
     */
    public Prediction instrumentId(int v) {
        buffer.putInt(offset + INSTRUMENT_ID_OFFSET, v);
        return this;
    }

    /**
     * How many outputs are used.
     *
     * @return 1 to {@link PredictionDescriptor#MAX_OUTPUTS}
     */
    public int outputCount() {
        return buffer.getInt(offset + OUTPUT_COUNT_OFFSET);
    }

    /**
     * Sets how many outputs are used and zeroes the unused slots.
     *
     * @param n outputs used, 1 to {@link PredictionDescriptor#MAX_OUTPUTS}
     * @return this flyweight
     */
    public Prediction outputCount(int n) {
        buffer.putInt(offset + OUTPUT_COUNT_OFFSET, n);
        for (int i = n; i < MAX_OUTPUTS; i++) {
            buffer.putFloat(offset + OUTPUTS_OFFSET + i * Float.BYTES, 0f);
        }
        return this;
    }

    /**
     * One output of the network (a probability, a score, a forecast, as the model defines).
     *
     * @param i the output index, below {@link #outputCount()} (not checked)
     * @return the value
     */
    public float output(int i) {
        return buffer.getFloat(offset + OUTPUTS_OFFSET + i * Float.BYTES);
    }

    /**
     * Writes one output.
     *
     * @param i the output index, below {@link PredictionDescriptor#MAX_OUTPUTS} (not checked)
     * @param v the value
     * @return this flyweight
     */
    public Prediction output(int i, float v) {
        buffer.putFloat(offset + OUTPUTS_OFFSET + i * Float.BYTES, v);
        return this;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Prediction{tickSeq=").append(tickSequence())
            .append(", instrument=").append(instrumentId()).append(", modelVersion=").append(Long.toHexString(modelVersion()))
            .append(", modelRevision=").append(modelRevision())
            .append(", tickExchangeTimeNs=").append(tickExchangeTimeNs()).append(", tickReceiveTimeNs=")
            .append(tickReceiveTimeNs()).append(", decisionStartNs=").append(decisionStartNs())
            .append(", decisionEndNs=").append(decisionEndNs()).append(", outputs=[");
        int n = Math.min(Math.max(outputCount(), 0), MAX_OUTPUTS);
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : ", ").append(output(i));
        }
        return s.append("]}").toString();
    }
}
