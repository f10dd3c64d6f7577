package io.tickgrad.market;

/**
 * The fixed binary layout of one prediction, 96 bytes, little-endian, fields aligned to their size.
 *
 * <pre>
 * offset size field
 *      0    8 tickSequence        sequence of the tick that triggered the prediction
 *      8    8 tickExchangeTimeNs  that tick's exchange time, epoch ns
 *     16    8 tickReceiveTimeNs   that tick's receive (append) time, epoch ns
 *     24    8 decisionStartNs     when the tick was taken up, epoch ns
 *     32    8 decisionEndNs       when the prediction was complete, epoch ns (written just before appending)
 *     40    8 modelVersion        identifies the weights (see io.tickgrad.serve.ServingModel#version)
 *     48    4 instrumentId
 *     52    4 outputCount         1..{@link #MAX_OUTPUTS}
 *     56   32 outputs             float32[{@link #MAX_OUTPUTS}], the first outputCount used, the rest zero
 *     88    8 modelRevision       0 for the weights as loaded; 1, 2, ... for each update published by online
 *                                 learning since (see io.tickgrad.online.WeightSlots); was a reserved zero word
 * </pre>
 */
public final class PredictionDescriptor {
    /** Byte offset of tickSequence, int64. */
    public static final int TICK_SEQUENCE_OFFSET = 0;
    /** Byte offset of tickExchangeTimeNs, int64 epoch ns. */
    public static final int TICK_EXCHANGE_TIME_OFFSET = 8;
    /** Byte offset of tickReceiveTimeNs, int64 epoch ns. */
    public static final int TICK_RECEIVE_TIME_OFFSET = 16;
    /** Byte offset of decisionStartNs, int64 epoch ns. */
    public static final int DECISION_START_OFFSET = 24;
    /** Byte offset of decisionEndNs, int64 epoch ns. */
    public static final int DECISION_END_OFFSET = 32;
    /** Byte offset of modelVersion, int64. */
    public static final int MODEL_VERSION_OFFSET = 40;
    /** Byte offset of instrumentId, int32. */
    public static final int INSTRUMENT_ID_OFFSET = 48;
    /** Byte offset of outputCount, int32. */
    public static final int OUTPUT_COUNT_OFFSET = 52;
    /** Byte offset of the outputs, float32[MAX_OUTPUTS]. */
    public static final int OUTPUTS_OFFSET = 56;
    /** The most outputs a prediction record holds. */
    public static final int MAX_OUTPUTS = 8;
    /** Byte offset of modelRevision, int64. */
    public static final int MODEL_REVISION_OFFSET = OUTPUTS_OFFSET + MAX_OUTPUTS * Float.BYTES;
    /** Bytes of one prediction. */
    public static final int LENGTH = MODEL_REVISION_OFFSET + 8;

    private PredictionDescriptor() {
    }
}
