package io.tickgrad.ta4j;

import org.agrona.MutableDirectBuffer;
import org.ta4j.core.BarSeries;

/**
 * How a network's input row is computed from the bars of a series: only from the bars up to and including the
 * scored bar, never from later ones. Implementations keep their scratch space and allocate nothing per bar; one
 * instance serves one indicator, on the thread that reads it.
 */
public interface BarFeatures {
    /** @return the number of float32 features written per bar; equals the network's input width */
    int count();

    /** @return bars at the start of a series that have too little history to score (they score NaN) */
    int unstableBars();

    /**
     * Writes the features of bar {@code index} as {@link #count()} float32 values in native byte order.
     *
     * @param series the bars; only bars {@code [index - unstableBars(), index]} are read
     * @param index the scored bar, at least {@link #unstableBars()} after the series' begin index
     * @param input where the features go, e.g. {@code Network.input()}
     * @param byteOffset the byte offset of the first feature in {@code input}
     */
    void write(BarSeries series, int index, MutableDirectBuffer input, int byteOffset);
}
