package io.tickgrad.cli;

import io.tickgrad.online.OnlineConfig;
import picocli.CommandLine.Option;

/** The --online switch and the settings of online learning, shared by serve and replay. */
final class OnlineOptions {
    private static final OnlineConfig DEFAULTS = OnlineConfig.defaults();

    @Option(names = "--online", description = "fine-tune the model online from its own matured predictions while "
        + "serving (the model's trainable layers; a frozen trunk stays frozen)")
    boolean online;

    @Option(names = "--online-lr", description = "Adam learning rate of online learning; default 1e-3")
    Float learningRate;

    @Option(names = "--online-batch", description = "samples per training step; default 32")
    Integer batch;

    @Option(names = "--online-cadence", description = "a training round every this many matured samples; default 32")
    Integer cadence;

    @Option(names = "--online-window", description = "steps draw from the newest this many samples; default 4096")
    Integer window;

    @Option(names = "--online-steps", description = "training steps per round; default 4")
    Integer steps;

    @Option(names = "--online-budget-us", description = "time budget of a round in µs, 0 for none (serve only: a "
        + "replay never uses one, to stay deterministic); default 2000")
    Long budgetUs;

    @Option(names = "--online-spike-factor", description = "reject a round whose batch loss exceeds this many times "
        + "the typical loss (0: off); default 4")
    Double spikeFactor;

    @Option(names = "--online-max-distance", description = "keep the trained weights within this L2 distance of the "
        + "--model's weights, also after a restart from a checkpoint (0: no bound); default 0")
    Double maxDistance;

    @Option(names = "--online-seed", description = "seed of the batch sampling; default 42")
    Long seed;

    /** The configuration, or null when --online is not given. */
    OnlineConfig config() {
        if (!online) {
            return null;
        }
        OnlineConfig c = DEFAULTS;
        if (learningRate != null) {
            c = c.withLearningRate(learningRate);
        }
        if (batch != null) {
            c = c.withBatch(batch);
        }
        if (cadence != null) {
            c = c.withCadence(cadence);
        }
        if (window != null) {
            c = c.withWindow(window);
        }
        if (steps != null) {
            c = c.withStepsPerRound(steps);
        }
        if (budgetUs != null) {
            c = c.withRoundBudgetNs(budgetUs * 1000);
        }
        if (spikeFactor != null) {
            c = c.withSpikeFactor(spikeFactor);
        }
        if (maxDistance != null) {
            c = c.withMaxDistance(maxDistance);
        }
        if (seed != null) {
            c = c.withSeed(seed);
        }
        return c;
    }
}
