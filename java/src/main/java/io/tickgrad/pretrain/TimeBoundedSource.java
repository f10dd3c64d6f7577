package io.tickgrad.pretrain;

import io.tickgrad.market.Tick;
import io.tickgrad.market.TickHandler;
import io.tickgrad.market.TickSource;

/**
 * The ticks of another source with an exchange time before {@code untilNs}; later ticks are read and dropped, so a
 * pretraining set can end before an evaluation period begins. Does not close the source it wraps.
 */
public final class TimeBoundedSource implements TickSource {
    private final TickSource source;
    private final long untilNs;
    private TickHandler target;
    private final TickHandler filter = this::onTick;

    public TimeBoundedSource(TickSource source, long untilNs) {
        this.source = source;
        this.untilNs = untilNs;
    }

    private void onTick(Tick tick) {
        if (tick.exchangeTimeNs() < untilNs) {
            target.onTick(tick);
        }
    }

    /** Returns how many ticks it read from the wrapped source (handed on or dropped). */
    @Override
    public int poll(TickHandler handler, int limit) {
        target = handler;
        return source.poll(filter, limit);
    }
}
