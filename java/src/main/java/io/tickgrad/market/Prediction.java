package io.tickgrad.market;

import static io.tickgrad.market.PredictionDescriptor.*;

import org.agrona.MutableDirectBuffer;

/**
 * A flyweight over one prediction laid out as {@link PredictionDescriptor}; like {@link Tick}, it wraps a buffer
 * at an offset and allocates nothing.
 */
public final class Prediction {
    private MutableDirectBuffer buffer;
    private int offset;

    /** Points this flyweight at the prediction starting at {@code offset}. */
    public Prediction wrap(MutableDirectBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public MutableDirectBuffer buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    public long tickSequence() {
        return buffer.getLong(offset + TICK_SEQUENCE_OFFSET);
    }

    public Prediction tickSequence(long v) {
        buffer.putLong(offset + TICK_SEQUENCE_OFFSET, v);
        return this;
    }

    public long tickExchangeTimeNs() {
        return buffer.getLong(offset + TICK_EXCHANGE_TIME_OFFSET);
    }

    public Prediction tickExchangeTimeNs(long v) {
        buffer.putLong(offset + TICK_EXCHANGE_TIME_OFFSET, v);
        return this;
    }

    public long tickReceiveTimeNs() {
        return buffer.getLong(offset + TICK_RECEIVE_TIME_OFFSET);
    }

    public Prediction tickReceiveTimeNs(long v) {
        buffer.putLong(offset + TICK_RECEIVE_TIME_OFFSET, v);
        return this;
    }

    public long decisionStartNs() {
        return buffer.getLong(offset + DECISION_START_OFFSET);
    }

    public Prediction decisionStartNs(long v) {
        buffer.putLong(offset + DECISION_START_OFFSET, v);
        return this;
    }

    public long decisionEndNs() {
        return buffer.getLong(offset + DECISION_END_OFFSET);
    }

    public Prediction decisionEndNs(long v) {
        buffer.putLong(offset + DECISION_END_OFFSET, v);
        return this;
    }

    public long modelVersion() {
        return buffer.getLong(offset + MODEL_VERSION_OFFSET);
    }

    public Prediction modelVersion(long v) {
        buffer.putLong(offset + MODEL_VERSION_OFFSET, v);
        return this;
    }

    /** Which update of the weights answered: 0 as loaded, then one more per online publication. */
    public long modelRevision() {
        return buffer.getLong(offset + MODEL_REVISION_OFFSET);
    }

    public Prediction modelRevision(long v) {
        buffer.putLong(offset + MODEL_REVISION_OFFSET, v);
        return this;
    }

    public int instrumentId() {
        return buffer.getInt(offset + INSTRUMENT_ID_OFFSET);
    }

    public Prediction instrumentId(int v) {
        buffer.putInt(offset + INSTRUMENT_ID_OFFSET, v);
        return this;
    }

    public int outputCount() {
        return buffer.getInt(offset + OUTPUT_COUNT_OFFSET);
    }

    /** Sets how many outputs are used and zeroes the unused slots. */
    public Prediction outputCount(int n) {
        buffer.putInt(offset + OUTPUT_COUNT_OFFSET, n);
        for (int i = n; i < MAX_OUTPUTS; i++) {
            buffer.putFloat(offset + OUTPUTS_OFFSET + i * Float.BYTES, 0f);
        }
        return this;
    }

    public float output(int i) {
        return buffer.getFloat(offset + OUTPUTS_OFFSET + i * Float.BYTES);
    }

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
