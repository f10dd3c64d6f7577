package io.tickgrad.io;

import io.tickgrad.market.Prediction;
import io.tickgrad.market.PredictionDescriptor;
import io.tickgrad.market.PredictionSink;
import java.nio.file.Files;
import java.nio.file.Path;
import net.openhft.chronicle.queue.ChronicleQueue;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Tails a predictions queue from its start (what a trading loop does), reading each prediction in place.
 *
 * <p>Read-only; {@link #close()} closes the queue. Polled from one thread; each prediction is valid only during the
 * sink's call.
 */
public final class ChroniclePredictionSource implements AutoCloseable {
    private final ChronicleQueue queue;
    private final RecordTailer tailer;
    private final Prediction prediction = new Prediction();
    private PredictionSink current;
    private final RecordTailer.RecordHandler dispatch = this::dispatch;

    private ChroniclePredictionSource(ChronicleQueue queue) {
        this.queue = queue;
        this.tailer = new RecordTailer(queue.createTailer().toStart(), PredictionDescriptor.LENGTH);
    }

    /**
     * Opens (creating if needed, so a reader may start before the writer) the predictions queue in {@code dir}.
     *
     * @param dir the queue directory
     * @return the source, positioned at the first prediction; the caller closes it (which closes the queue)
     */
    public static ChroniclePredictionSource open(Path dir) {
        return new ChroniclePredictionSource(Queues.open(dir));
    }

    /**
     * The tick sequence of the last prediction in the queue in {@code dir}, or {@link Long#MIN_VALUE} when it holds
     * none (or does not exist): a restarted server predicts only ticks after it. Cold path.
     *
     * @param dir the queue directory
     * @return the tick sequence of the last prediction, or {@link Long#MIN_VALUE}
     */
    public static long lastTickSequence(Path dir) {
        if (!Files.isDirectory(dir) || Queues.checkDataFiles(dir).isEmpty()) {
            return Long.MIN_VALUE;
        }
        try (ChronicleQueue queue = Queues.openReadOnly(dir)) {
            return RecordTailer.lastRecordLong(queue, PredictionDescriptor.LENGTH,
                PredictionDescriptor.TICK_SEQUENCE_OFFSET, Long.MIN_VALUE);
        }
    }

    /**
     * Hands up to {@code limit} available predictions to {@code sink}; returns how many. Allocates nothing.
     *
     * @param sink  receives each prediction, a flyweight valid only during the call, on this thread
     * @param limit the most predictions to hand, at least 1
     * @return predictions handed, 0 when none is available
     */
    public int poll(PredictionSink sink, int limit) {
        current = sink;
        return tailer.poll(dispatch, limit);
    }

    private void dispatch(UnsafeBuffer buffer, long index) {
        current.onPrediction(prediction.wrap(buffer, 0));
    }

    @Override
    public void close() {
        tailer.close();
        queue.close();
    }
}
