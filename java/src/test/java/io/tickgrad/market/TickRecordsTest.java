package io.tickgrad.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class TickRecordsTest {
    @Test
    void shouldLayOutATickAtTheDescribedOffsets() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[16 + TickDescriptor.LENGTH]);
        Tick tick = new Tick().wrap(buffer, 16);
        tick.quote(42, 9, 1_000, 2_000, 99.5, 100.5, 3, 4);
        assertEquals(1_000, buffer.getLong(16 + TickDescriptor.EXCHANGE_TIME_OFFSET));
        assertEquals(2_000, buffer.getLong(16 + TickDescriptor.RECEIVE_TIME_OFFSET));
        assertEquals(42, buffer.getLong(16 + TickDescriptor.SEQUENCE_OFFSET));
        assertEquals(9, buffer.getInt(16 + TickDescriptor.INSTRUMENT_ID_OFFSET));
        assertEquals(TickKind.QUOTE, buffer.getByte(16 + TickDescriptor.KIND_OFFSET));
        assertEquals(100.0, buffer.getDouble(16 + TickDescriptor.PRICE_OFFSET));
        assertEquals(99.5, buffer.getDouble(16 + TickDescriptor.BID_OFFSET));
        assertEquals(100.5, buffer.getDouble(16 + TickDescriptor.ASK_OFFSET));
        assertEquals(3.0, buffer.getDouble(16 + TickDescriptor.BID_SIZE_OFFSET));
        assertEquals(4.0, buffer.getDouble(16 + TickDescriptor.ASK_SIZE_OFFSET));
        assertEquals(80, TickDescriptor.LENGTH);
        assertTrue(tick.hasQuote());
        tick.trade(43, 9, 5, 6, 101, 0.5);
        assertFalse(tick.hasQuote());
        assertEquals(TickKind.TRADE, tick.kind());
        assertEquals(0.5, tick.size());
    }

    @Test
    void shouldRoundTripAPrediction() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[PredictionDescriptor.LENGTH]);
        Prediction p = new Prediction().wrap(buffer, 0);
        p.tickSequence(1).tickExchangeTimeNs(2).tickReceiveTimeNs(3).decisionStartNs(4).decisionEndNs(5)
            .modelVersion(0x5a7551ecad3a3e1eL).instrumentId(6).outputCount(2).output(0, 0.25f).output(1, 0.75f);
        assertEquals(1, p.tickSequence());
        assertEquals(2, p.tickExchangeTimeNs());
        assertEquals(3, p.tickReceiveTimeNs());
        assertEquals(4, p.decisionStartNs());
        assertEquals(5, p.decisionEndNs());
        assertEquals(0x5a7551ecad3a3e1eL, buffer.getLong(PredictionDescriptor.MODEL_VERSION_OFFSET));
        assertEquals(6, p.instrumentId());
        assertEquals(2, p.outputCount());
        assertEquals(0.75f, buffer.getFloat(PredictionDescriptor.OUTPUTS_OFFSET + 4));
        assertEquals(96, PredictionDescriptor.LENGTH);
    }
}
