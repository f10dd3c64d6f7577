package io.tickgrad.online;

import io.tickgrad.market.HorizonLabeler;
import io.tickgrad.market.LabelSpec;
import io.tickgrad.tensor.Slab;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * The inference side of online learning: keeps each served sample (its features, or its frozen trunk's output)
 * until its label matures at the horizon, then hands it to the trainer through a {@link SampleSink} (in serving, the
 * ring buffer of a {@link SampleChannel}). Runs on the inference thread; allocates nothing, never blocks: when the
 * pending store is full or the sink refuses a sample, it is dropped and counted, so a slow trainer can never slow
 * serving down. Single-threaded: it is not safe to call from two threads, and does not check.
 */
public final class SampleCollector implements AutoCloseable {
    private final HorizonLabeler labeler;
    private final SampleSink sink;
    private final MaturedSample sample = new MaturedSample();
    private final int width;
    private final int rowBytes;
    private final int capacity;
    private final Slab pending;
    private final UnsafeBuffer rows;
    private final UnsafeBuffer values = new UnsafeBuffer(0, 0);
    private final HorizonLabeler.Outcome outcome = this::onOutcome;
    private long decisions;
    private long sent;
    private long deadZone;
    private long droppedPendingFull;
    private long droppedRingFull;

    /**
     * A collector writing into {@code ring} (see {@link SampleChannel#writerTo}).
     *
     * @param label    when a sample's label matures and what it is
     * @param ring     the ring buffer the trainer reads; stays the caller's
     * @param width    floats per sample
     * @param capacity the most samples awaiting their label; a tick horizon of h needs h + 1
     * @throws IllegalArgumentException also when a sample exceeds the ring's largest message
     */
    public SampleCollector(LabelSpec label, int width, int capacity, RingBuffer ring) {
        this(label, width, capacity, SampleChannel.writerTo(ring));
        if (MaturedSample.length(width) > ring.maxMsgLength()) {
            close();
            throw new IllegalArgumentException("sample collector: a sample of " + width + " floats ("
                + MaturedSample.length(width) + " bytes) exceeds the ring buffer's largest message, "
                + ring.maxMsgLength() + " bytes");
        }
    }

    /**
     * A collector handing each matured sample to {@code sink} (a test, or another transport than a ring).
     *
     * @param label    when a sample's label matures and what it is
     * @param width    floats per sample
     * @param capacity the most samples awaiting their label; a tick horizon of h needs h + 1
     * @param sink     takes each labelled sample, on the inference thread
     */
    public SampleCollector(LabelSpec label, int width, int capacity, SampleSink sink) {
        if (width < 1 || capacity < 1) {
            throw new IllegalArgumentException("sample collector: width and capacity must be >= 1, got " + width
                + " and " + capacity);
        }
        this.labeler = new HorizonLabeler(label);
        this.sink = java.util.Objects.requireNonNull(sink, "sample sink");
        this.width = width;
        this.rowBytes = MaturedSample.length(width);
        this.capacity = capacity;
        this.pending = Slab.ofBytes("pending-samples", (long) rowBytes * capacity);
        this.rows = pending.buffer();
    }

    /**
     * Feeds one valid tick; matures the samples whose horizon it reaches. Call before {@link #onPrediction}.
     * Inference thread; allocates nothing.
     *
     * @param exchangeTimeNs the tick's exchange time, epoch ns
     * @param price          the tick's price
     */
    public void onValidTick(long exchangeTimeNs, double price) {
        labeler.onTick(exchangeTimeNs, price, outcome);
    }

    /**
     * Keeps the sample served at the last tick fed to {@link #onValidTick}: {@code width} floats at
     * {@code valuesAddress} (native memory the inference network just wrote). Inference thread; allocates nothing.
     *
     * @param tickSequence   the tick's sequence
     * @param resumeIndex    the source index a restart re-reads from to rebuild the sample
     * @param exchangeTimeNs the tick's exchange time, epoch ns
     * @param price          the tick's price, against which the label is measured
     * @param valuesAddress  the address of {@code width} floats, copied now
     */
    public void onPrediction(long tickSequence, long resumeIndex, long exchangeTimeNs, double price,
                             long valuesAddress) {
        if (labeler.pending() >= capacity) {
            droppedPendingFull++;
            return;
        }
        int row = (int) (decisions % capacity);
        decisions++;
        int at = row * rowBytes;
        rows.putLong(at + MaturedSample.TICK_SEQUENCE_OFFSET, tickSequence);
        rows.putLong(at + MaturedSample.RESUME_INDEX_OFFSET, resumeIndex);
        rows.putLong(at + MaturedSample.EXCHANGE_TIME_OFFSET, exchangeTimeNs);
        rows.putInt(at + MaturedSample.WIDTH_OFFSET, width);
        rows.putBytes(at + MaturedSample.VALUES_OFFSET, valuesBuffer(valuesAddress), 0, width * Float.BYTES);
        labeler.decide(row, exchangeTimeNs, price);
    }

    private UnsafeBuffer valuesBuffer(long address) {
        values.wrap(address, width * Float.BYTES);
        return values;
    }

    private void onOutcome(int row, int label, double forwardReturn) {
        if (label < 0) {
            deadZone++;
            return;
        }
        int at = row * rowBytes;
        rows.putInt(at + MaturedSample.LABEL_OFFSET, label);
        if (sink.onSample(sample.wrap(rows, at))) {
            sent++;
        } else {
            droppedRingFull++;
        }
    }

    /** @return floats per sample */
    public int width() {
        return width;
    }

    /** @return samples handed to the trainer */
    public long sent() {
        return sent;
    }

    /** @return samples whose move ended inside the label's dead zone: no label, not sent */
    public long deadZone() {
        return deadZone;
    }

    /** @return samples dropped because too many were waiting for their label */
    public long droppedPendingFull() {
        return droppedPendingFull;
    }

    /** @return samples dropped because the sink refused them (the trainer had not drained the ring buffer) */
    public long droppedRingFull() {
        return droppedRingFull;
    }

    /** @return samples waiting for their label */
    public int pending() {
        return labeler.pending();
    }

    @Override
    public void close() {
        rows.wrap(new byte[0]);
        pending.close();
    }
}
