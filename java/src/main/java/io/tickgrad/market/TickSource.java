package io.tickgrad.market;

/** Where ticks come from: a queue tailer, a CSV file, an array in a test. Polled by an agent's duty cycle. */
public interface TickSource extends AutoCloseable {
    /**
     * Hands up to {@code limit} available ticks to {@code handler}, in order, and returns how many it handed
     * (0 when none is available yet). Allocates nothing.
     *
     * Called from one thread (the agent's); the tick handed is valid only during the handler's call.
     *
     * @param handler receives each tick
     * @param limit   the most ticks to hand in this call, at least 1
     * @return ticks handed, 0 when none is available
     */
    int poll(TickHandler handler, int limit);

    /** Releases what the source holds (a tailer, a file); the default holds nothing. */
    @Override
    default void close() {
    }
}
