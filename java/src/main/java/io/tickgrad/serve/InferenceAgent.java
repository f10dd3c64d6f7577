package io.tickgrad.serve;

import io.tickgrad.io.QueueWriteException;
import io.tickgrad.market.TickSource;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;

/**
 * The inference thread's duty cycle: poll the tick source into the {@link InferenceService}. Run it with an
 * {@link org.agrona.concurrent.AgentRunner} and the idle strategy of choice ({@link IdleStrategies}).
 */
public final class InferenceAgent implements Agent {
    private final TickSource source;
    private final InferenceService service;
    private final int burst;
    private volatile Throwable failure;

    /**
     * @param source  the ticks, polled only by the agent's thread; stays the caller's
     * @param service the serving logic the ticks go to; driven only by the agent's thread
     * @param burst   the most ticks handled per duty cycle
     */
    public InferenceAgent(TickSource source, InferenceService service, int burst) {
        this.source = source;
        this.service = service;
        this.burst = burst;
    }

    /**
     * Polls up to the burst of ticks. A prediction that cannot be appended (a full disk: {@link QueueWriteException})
     * ends the agent, since no retry can fix it; the failure is kept for the thread that waits on the agent.
     */
    @Override
    public int doWork() {
        try {
            return source.poll(service, burst);
        } catch (QueueWriteException e) {
            failure = e;
            throw new AgentTerminationException(e);
        }
    }

    /** @return what ended the agent, or null while it runs (or ended normally); any thread may read it */
    public Throwable failure() {
        return failure;
    }

    @Override
    public String roleName() {
        return "tickgrad-inference";
    }

    /** @return the serving logic this agent drives */
    public InferenceService service() {
        return service;
    }
}
