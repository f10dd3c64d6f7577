package io.tickgrad.serve;

import io.tickgrad.market.TickSource;
import org.agrona.concurrent.Agent;

/**
 * The inference thread's duty cycle: poll the tick source into the {@link InferenceService}. Run it with an
 * {@link org.agrona.concurrent.AgentRunner} and the idle strategy of choice ({@link IdleStrategies}).
 */
public final class InferenceAgent implements Agent {
    private final TickSource source;
    private final InferenceService service;
    private final int burst;

    /** @param burst the most ticks handled per duty cycle */
    public InferenceAgent(TickSource source, InferenceService service, int burst) {
        this.source = source;
        this.service = service;
        this.burst = burst;
    }

    @Override
    public int doWork() {
        return source.poll(service, burst);
    }

    @Override
    public String roleName() {
        return "tickgrad-inference";
    }

    public InferenceService service() {
        return service;
    }
}
