package io.tickgrad.pretrain;

import io.tickgrad.market.Tick;
import io.tickgrad.market.TickHandler;
import io.tickgrad.market.TickSource;

/**
 * The ticks of another source with an exchange time before {@code untilNs}; later ticks are read and dropped, so a
 * pretraining set can end before an evaluation period begins. Does not close the source it wraps.
 *
 * <p>Polled from one thread, as the source it wraps; allocates nothing per poll.
 */
public final class TimeBoundedSource implements TickSource {
    private final TickSource source;
    private final long untilNs;
    private TickHandler target;
    private final TickHandler filter = this::onTick;

    /**
     * Wraps {@code source}.
     *
     * @param source  the ticks to filter; borrowed, not closed
     * @param untilNs the end of the kept period, exchange time in epoch ns, exclusive
     */
    public TimeBoundedSource(TickSource source, long untilNs) {
        this.source = source;
        this.untilNs = untilNs;
    }

    private void onTick(Tick tick) {
        if (tick.exchangeTimeNs() < untilNs) {
            target.onTick(tick);
        }
    }

    /**
     * Polls the wrapped source and hands on the ticks before the end of the period.
     *
     * @param handler receives each kept tick, on the calling thread; the tick is valid only during the call
     * @param limit   the most ticks to read from the wrapped source in this call, at least 1
     * @return how many ticks it read from the wrapped source (handed on or dropped); 0 when none was available
     */
    @Override
    public int poll(TickHandler handler, int limit) {
        target = handler;
        return source.poll(filter, limit);
    }
}
