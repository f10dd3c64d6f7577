package io.tickgrad.io;

import io.tickgrad.market.Tick;
import io.tickgrad.market.TickDescriptor;
import io.tickgrad.market.TickHandler;
import io.tickgrad.market.TickSource;
import java.nio.file.Path;
import net.openhft.chronicle.queue.ChronicleQueue;
import org.agrona.concurrent.UnsafeBuffer;

/** Tails a ticks queue from its start, reading each tick in place through a {@link Tick} flyweight. */
public final class ChronicleTickSource implements TickSource {
    private final ChronicleQueue queue;
    private final boolean ownsQueue;
    private final RecordTailer tailer;
    private final Tick tick = new Tick();
    private TickHandler current;
    private final RecordTailer.RecordHandler dispatch = this::dispatch;

    private ChronicleTickSource(ChronicleQueue queue, boolean ownsQueue) {
        this.queue = queue;
        this.ownsQueue = ownsQueue;
        this.tailer = new RecordTailer(queue.createTailer().toStart(), TickDescriptor.LENGTH);
    }

    /** Opens the existing queue in {@code dir} and tails it from the first tick. */
    public static ChronicleTickSource open(Path dir) {
        return new ChronicleTickSource(Queues.openExisting(dir), true);
    }

    /** Tails a queue the caller opened (and closes). Package-private: Chronicle types stay in this package. */
    static ChronicleTickSource on(ChronicleQueue queue) {
        return new ChronicleTickSource(queue, false);
    }

    @Override
    public int poll(TickHandler handler, int limit) {
        current = handler;
        return tailer.poll(dispatch, limit);
    }

    private void dispatch(UnsafeBuffer buffer, long index) {
        current.onTick(tick.wrap(buffer, 0));
    }

    /** Documents that were not ticks (wrong length), skipped. */
    public long foreignDocuments() {
        return tailer.foreignDocuments();
    }

    @Override
    public void close() {
        tailer.close();
        if (ownsQueue) {
            queue.close();
        }
    }
}
