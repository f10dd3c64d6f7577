package io.tickgrad.train;

import java.util.Arrays;

/** Points (samples seen, mean batch loss) of an online learner's accepted rounds, in order. */
public final class LearningCurve {
    private long[] samples = new long[256];
    private double[] losses = new double[256];
    private int size;

    /**
     * Adds one point (the online learner, after each accepted round); grows its arrays as needed.
     *
     * @param samplesSeen samples taken by then
     * @param loss        the round's mean batch loss
     */
    public void add(long samplesSeen, double loss) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
            losses = Arrays.copyOf(losses, size * 2);
        }
        samples[size] = samplesSeen;
        losses[size] = loss;
        size++;
    }

    /**
     * The number of points.
     *
     * @return points added so far
     */
    public int size() {
        return size;
    }

    /**
     * The x of a point.
     *
     * @param i the point index, from 0, below {@link #size()}
     * @return samples seen by that round
     */
    public long samples(int i) {
        return samples[i];
    }

    /**
     * The y of a point.
     *
     * @param i the point index, from 0, below {@link #size()}
     * @return the round's mean batch loss
     */
    public double loss(int i) {
        return losses[i];
    }
}
