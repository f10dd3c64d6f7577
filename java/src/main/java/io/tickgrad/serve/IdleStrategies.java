package io.tickgrad.serve;

import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/** Idle strategies by name, for the command line and configuration. */
public final class IdleStrategies {
    /** The names {@link #parse} accepts. */
    public static final String NAMES = "busy-spin, noop, yielding, backoff, sleeping";

    private IdleStrategies() {
    }

    /**
     * A new idle strategy (one per agent thread: they hold state).
     *
     * @param name busy-spin (lowest latency, burns a core), noop, yielding, backoff (spin, yield, park up to 1 ms)
     *             or sleeping (1 ms)
     * @return the idle strategy
     * @throws IllegalArgumentException for another name, listing {@link #NAMES}
     */
    public static IdleStrategy parse(String name) {
        switch (name) {
            case "busy-spin":
                return new BusySpinIdleStrategy();
            case "noop":
                return new NoOpIdleStrategy();
            case "yielding":
                return new YieldingIdleStrategy();
            case "backoff":
                return new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1));
            case "sleeping":
                return new SleepingMillisIdleStrategy(1);
            default:
                throw new IllegalArgumentException("idle strategy: expected one of " + NAMES + ", got '" + name + "'");
        }
    }
}
