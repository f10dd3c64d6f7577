package io.tickgrad.online;

/**
 * How online learning trains: a round of training starts every {@code cadence} matured samples; it takes up to
 * {@code stepsPerRound} Adam steps of {@code batch} samples drawn uniformly from the newest {@code window} samples,
 * stopping early when {@code roundBudgetNs} has passed (0: no time limit, which keeps a replay deterministic).
 * The guard rejects a round whose loss or gradients are not finite, or whose batch loss exceeds
 * {@code spikeFactor} times the recent typical loss (0: off), and rolls the weights back; with
 * {@code maxDistance} &gt; 0 the trained weights are kept within that L2 distance of the weights learning started
 * from.
 */
public record OnlineConfig(int batch, int cadence, int window, int stepsPerRound, long roundBudgetNs,
                           float learningRate, double spikeFactor, double maxDistance, long seed) {
    /**
     * Checks every setting.
     *
     * @param batch         samples per step, &gt; 0
     * @param cadence       matured samples between two rounds, &gt; 0
     * @param window        newest samples the batches are drawn from, &gt;= batch
     * @param stepsPerRound the most steps in a round, &gt; 0
     * @param roundBudgetNs the most time a round takes, ns of the trainer's clock (0: no limit)
     * @param learningRate  Adam's learning rate, finite and &gt; 0
     * @param spikeFactor   reject a round whose loss exceeds this times the typical loss; 0 (off) or &gt; 1
     * @param maxDistance   the L2 bound of the trained weights around the starting weights; 0: none
     * @param seed          the seed of the batch draws
     * @throws IllegalArgumentException naming the setting that is out of range, with its value
     */
    public OnlineConfig {
        positive("batch", batch);
        positive("cadence", cadence);
        positive("window", window);
        positive("stepsPerRound", stepsPerRound);
        if (window < batch) {
            throw new IllegalArgumentException("online learning: window (" + window + ") must hold at least a batch ("
                + batch + ")");
        }
        if (roundBudgetNs < 0) {
            throw new IllegalArgumentException("online learning: roundBudgetNs must be >= 0, got " + roundBudgetNs);
        }
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("online learning: learningRate must be finite and > 0, got "
                + learningRate);
        }
        if (!(spikeFactor == 0 || spikeFactor > 1) || !Double.isFinite(spikeFactor)) {
            throw new IllegalArgumentException("online learning: spikeFactor must be 0 (off) or > 1, got " + spikeFactor);
        }
        if (!(maxDistance >= 0) || !Double.isFinite(maxDistance)) {
            throw new IllegalArgumentException("online learning: maxDistance must be finite and >= 0, got "
                + maxDistance);
        }
    }

    /**
     * @return batch 32 every 32 samples, window 4096, 4 steps a round within 2 ms, Adam 1e-3, spike factor 4, no bound
     */
    public static OnlineConfig defaults() {
        return new OnlineConfig(32, 32, 4096, 4, 2_000_000L, 1e-3f, 4.0, 0.0, 42L);
    }

    /**
     * @param v samples per step
     * @return a copy with that batch
     */
    public OnlineConfig withBatch(int v) {
        return new OnlineConfig(v, cadence, window, stepsPerRound, roundBudgetNs, learningRate, spikeFactor,
            maxDistance, seed);
    }

    /**
     * @param v matured samples between two rounds
     * @return a copy with that cadence
     */
    public OnlineConfig withCadence(int v) {
        return new OnlineConfig(batch, v, window, stepsPerRound, roundBudgetNs, learningRate, spikeFactor,
            maxDistance, seed);
    }

    /**
     * @param v newest samples the batches are drawn from
     * @return a copy with that window
     */
    public OnlineConfig withWindow(int v) {
        return new OnlineConfig(batch, cadence, v, stepsPerRound, roundBudgetNs, learningRate, spikeFactor,
            maxDistance, seed);
    }

    /**
     * @param v the most steps in a round
     * @return a copy with that many steps per round
     */
    public OnlineConfig withStepsPerRound(int v) {
        return new OnlineConfig(batch, cadence, window, v, roundBudgetNs, learningRate, spikeFactor, maxDistance,
            seed);
    }

    /**
     * @param v the most time a round takes, ns (0: no limit)
     * @return a copy with that round budget
     */
    public OnlineConfig withRoundBudgetNs(long v) {
        return new OnlineConfig(batch, cadence, window, stepsPerRound, v, learningRate, spikeFactor, maxDistance,
            seed);
    }

    /**
     * @param v Adam's learning rate
     * @return a copy with that learning rate
     */
    public OnlineConfig withLearningRate(float v) {
        return new OnlineConfig(batch, cadence, window, stepsPerRound, roundBudgetNs, v, spikeFactor, maxDistance,
            seed);
    }

    /**
     * @param v the spike threshold over the typical loss (0: off)
     * @return a copy with that spike factor
     */
    public OnlineConfig withSpikeFactor(double v) {
        return new OnlineConfig(batch, cadence, window, stepsPerRound, roundBudgetNs, learningRate, v, maxDistance,
            seed);
    }

    /**
     * @param v the L2 bound around the starting weights (0: none)
     * @return a copy with that bound
     */
    public OnlineConfig withMaxDistance(double v) {
        return new OnlineConfig(batch, cadence, window, stepsPerRound, roundBudgetNs, learningRate, spikeFactor, v,
            seed);
    }

    /**
     * @param v the seed of the batch draws
     * @return a copy with that seed
     */
    public OnlineConfig withSeed(long v) {
        return new OnlineConfig(batch, cadence, window, stepsPerRound, roundBudgetNs, learningRate, spikeFactor,
            maxDistance, v);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("online learning: " + name + " must be >= 1, got " + value);
        }
    }
}
