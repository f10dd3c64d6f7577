package io.tickgrad.io;

import io.tickgrad.market.Prediction;
import io.tickgrad.market.PredictionDescriptor;
import io.tickgrad.market.PredictionSink;
import java.nio.file.Path;
import net.openhft.chronicle.queue.ChronicleQueue;

/**
 * Appends predictions to a predictions queue, which the trading loop tails. One per writing thread.
 *
 * <p>{@link #close()} closes the queue; appending allocates nothing.
 */
public final class ChroniclePredictionWriter implements PredictionSink, AutoCloseable {
    private final ChronicleQueue queue;
    private final RecordAppender appender;
    private long appended;

    private ChroniclePredictionWriter(ChronicleQueue queue, String name) {
        this.queue = queue;
        this.appender = new RecordAppender(queue.createAppender(), PredictionDescriptor.LENGTH, name);
    }

    /**
     * Opens (creating if needed) the predictions queue in {@code dir}.
     *
     * @param dir the queue directory
     * @return the writer; the caller closes it (which closes the queue)
     */
    public static ChroniclePredictionWriter open(Path dir) {
        return new ChroniclePredictionWriter(Queues.open(dir), dir.toString());
    }

    /** Appends the prediction's bytes. Allocates nothing. */
    @Override
    public void onPrediction(Prediction prediction) {
        appender.append(prediction.buffer(), prediction.offset());
        appended++;
    }

    /**
     * Predictions appended by this writer.
     *
     * @return the count
     */
    public long appended() {
        return appended;
    }

    @Override
    public void close() {
        appender.close();
        queue.close();
    }
}
