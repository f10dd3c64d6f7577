package io.tickgrad.nn;

/**
 * The counter-based dropout hash of tickgrad.h, reproduced bit for bit so that Java and native code
 * draw the same mask for the same (seed, index).
 *
 * <p>u(seed, i) = (splitmix64(seed + i * 0x9E3779B97F4A7C15) &gt;&gt;&gt; 40) * 2^-24; element i is dropped when
 * u &lt; rate and otherwise scaled by the float {@code 1.0f / (1.0f - rate)} (inverted dropout).
 * Counter-based (no state carried between elements), so any slice of a mask can be drawn on its own
 * and a step can be replayed exactly. Arithmetic wraps modulo 2^64, as uint64_t does in C.
 *
 * <p>Pure static functions: any thread.
 */
public final class DropoutMask {
    private DropoutMask() {
    }

    /** The golden-ratio increment of SplitMix64. */
    public static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    /**
     * SplitMix64's output for state z (the increment is applied first, as in the reference generator).
     *
     * @param z the state
     * @return the mixed 64 bits
     */
    public static long splitmix64(long z) {
        z += GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * u(seed, i) in [0, 1): the top 24 bits of the hash, exactly representable as a float.
     *
     * @param seed  the step's seed
     * @param index the element index, from 0
     * @return the uniform draw
     */
    public static float uniform(long seed, long index) {
        return (splitmix64(seed + index * GOLDEN_GAMMA) >>> 40) * 0x1p-24f;
    }

    /**
     * The value a kept element is multiplied by, computed in float exactly as the C kernels do.
     *
     * @param rate the drop probability, in [0, 1)
     * @return {@code 1.0f / (1.0f - rate)}
     */
    public static float keepScale(float rate) {
        return 1.0f / (1.0f - rate);
    }

    /**
     * mask[i]: 0 where u(seed, i) &lt; rate, else {@link #keepScale(float)}.
     *
     * @param seed  the step's seed
     * @param index the element index, from 0
     * @param rate  the drop probability, in [0, 1)
     * @return the mask value of that element
     */
    public static float value(long seed, long index, float rate) {
        return uniform(seed, index) < rate ? 0.0f : keepScale(rate);
    }
}
