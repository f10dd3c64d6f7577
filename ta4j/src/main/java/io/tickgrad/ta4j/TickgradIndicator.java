package io.tickgrad.ta4j;

import io.tickgrad.nn.Network;
import org.ta4j.core.BarSeries;
import org.ta4j.core.indicators.CachedIndicator;
import org.ta4j.core.num.NaN;
import org.ta4j.core.num.Num;

/**
 * A tickgrad network as a ta4j {@code Indicator<Num>}: the value at a bar is one output of the network (for
 * example a class probability or an up/down score) on the features of the bars up to that bar. It drops into ta4j
 * rules, strategies and {@code BarSeriesManager} backtests like any other indicator; values are cached per bar by
 * {@link CachedIndicator}.
 *
 * <p>The indicator borrows the network: the caller owns it and closes it (its native memory) after the last
 * read. Bars before {@link BarFeatures#unstableBars()} have too little history and score {@link NaN#NaN}.
 * Thread-safety: {@link #getValue(int)} is synchronized per indicator, but a {@link Network} predicts on one
 * thread at a time, so indicators that share a network must be read from one thread (as a ta4j backtest does).
 */
public final class TickgradIndicator extends CachedIndicator<Num> {
    private final Network network;
    private final BarFeatures features;
    private final int output;

    /**
     * @param series the bars to score
     * @param network the model; its input width must equal {@code features.count()}; borrowed, not closed here
     * @param features how the input row of a bar is computed from the bars up to it
     * @param output which output of the network is the indicator's value, in [0, network.outputs())
     */
    public TickgradIndicator(BarSeries series, Network network, BarFeatures features, int output) {
        super(series);
        if (network.inputs() != features.count()) {
            throw new IllegalArgumentException("tickgrad indicator: the network takes " + network.inputs()
                + " inputs but the bar features give " + features.count());
        }
        if (output < 0 || output >= network.outputs()) {
            throw new IllegalArgumentException("tickgrad indicator: output " + output + " is not in [0, "
                + network.outputs() + ")");
        }
        this.network = network;
        this.features = features;
        this.output = output;
    }

    @Override
    protected Num calculate(int index) {
        if (index - features.unstableBars() < getBarSeries().getBeginIndex()) {
            return NaN.NaN;
        }
        features.write(getBarSeries(), index, network.input(), 0);
        network.predict(1);
        return numOf(network.output().getFloat(output * Float.BYTES));
    }

    @Override
    public int getUnstableBars() {
        return features.unstableBars();
    }
}
