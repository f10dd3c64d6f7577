package io.tickgrad.market;

/**
 * The inbound direction: whatever consumes ticks. The tick is a flyweight valid only during the call (it may wrap
 * queue memory); copy what must outlive it.
 */
@FunctionalInterface
public interface TickHandler {
    /**
     * Handles one tick; must not throw on bad data (count and skip it instead).
     *
     * @param tick the tick, valid only during the call
     */
    void onTick(Tick tick);
}
