package io.tickgrad.serve;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.ErrorHandler;

/**
 * The error handler of the serving agents: an agent's duty cycle that throws is retried on the next cycle, so a
 * persistent fault would throw on every cycle; this prints the first few in full and then only counts them, so
 * the log cannot grow without bound. {@link #onError} may be called from any thread (it counts atomically).
 */
public final class AgentErrors implements ErrorHandler {
    private static final int PRINTED = 5;
    private final String agent;
    private final PrintStream out;
    private final AtomicLong count = new AtomicLong();

    /**
     * @param agent the agent's name, at the start of each printed error
     * @param out   where the first errors are printed in full
     */
    public AgentErrors(String agent, PrintStream out) {
        this.agent = agent;
        this.out = out;
    }

    @Override
    public void onError(Throwable t) {
        long n = count.incrementAndGet();
        if (n <= PRINTED) {
            out.println(agent + ": error " + n + " (the first " + PRINTED + " are printed, then only counted):");
            t.printStackTrace(out);
        }
    }

    /** @return errors seen so far; any thread */
    public long count() {
        return count.get();
    }
}
