package io.tickgrad.market;

/** Where ticks come from: a queue tailer, a CSV file, an array in a test. Polled by an agent's duty cycle. */
public interface TickSource extends AutoCloseable {
    /**
     * Hands up to {@code limit} available ticks to {@code handler}, in order, and returns how many it handed
     * (0 when none is available yet). Allocates nothing.
     */
    int poll(TickHandler handler, int limit);

    @Override
    default void close() {
    }
}
