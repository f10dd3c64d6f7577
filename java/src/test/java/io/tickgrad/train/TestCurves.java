package io.tickgrad.train;

/** Learning curves for tests outside this package (the learner is the only writer of a real one). */
public final class TestCurves {
    private TestCurves() {
    }

    /** A curve of {@code rounds} points, 32 samples apart, whose loss falls from ln 2 towards 0.6 with some noise. */
    public static LearningCurve falling(int rounds, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        LearningCurve curve = new LearningCurve();
        for (int i = 0; i < rounds; i++) {
            curve.add(32L * (i + 1), 0.6 + 0.093 * Math.exp(-i / 50.0) + 0.02 * (random.nextDouble() - 0.5));
        }
        return curve;
    }
}
