package io.tickgrad.ta4j;

import io.tickgrad.model.Checkpoint;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import java.nio.file.Path;
import org.ta4j.core.BarSeries;
import org.ta4j.core.BaseStrategy;
import org.ta4j.core.Strategy;
import org.ta4j.core.TradingRecord;
import org.ta4j.core.backtest.BarSeriesManager;
import org.ta4j.core.criteria.EnterAndHoldCriterion;
import org.ta4j.core.criteria.MaximumDrawdownCriterion;
import org.ta4j.core.criteria.NumberOfPositionsCriterion;
import org.ta4j.core.criteria.pnl.ReturnCriterion;
import org.ta4j.core.rules.OverIndicatorRule;

/**
 * The pretrained chart-pattern network as two ta4j indicators over 2013's daily Apple bars: the probability that
 * the last 40 closes trend up (class TU) and that they trend down (TD). Long while "up" beats "down"; ta4j's
 * BarSeriesManager runs the backtest and its criteria report it. Run from the repository root (it reads models/).
 */
public final class ChartPatternBacktest {
    /** @param args none; prints the backtest's report */
    public static void main(String[] args) {
        BarSeries bars = BundledBars.appleDaily();                 // 252 daily bars (ta4j-examples jar)
        try (Backend backend = NativeCpuBackend.create();
             Network net = Checkpoint.load(Path.of("models/chart-patterns/chart-patterns.safetensors"),
                                           backend, 1)) {
            // outputs: IHS, TU, DB, HS, TD, DT (softmax probabilities); 40 closes resampled to 400 inputs each
            TickgradIndicator trendUp = new TickgradIndicator(bars, net, new ChartFeatures(40), 1);
            TickgradIndicator trendDown = new TickgradIndicator(bars, net, new ChartFeatures(40), 4);
            Strategy strategy = new BaseStrategy("chart trend", new OverIndicatorRule(trendUp, trendDown),
                new OverIndicatorRule(trendDown, trendUp), trendUp.getUnstableBars());

            TradingRecord record = new BarSeriesManager(bars).run(strategy);

            System.out.printf("%s: %d bars, %s to %s%n", bars.getName(), bars.getBarCount(),
                bars.getFirstBar().getEndTime().toLocalDate(), bars.getLastBar().getEndTime().toLocalDate());
            System.out.printf("positions:     %d%n", new NumberOfPositionsCriterion().calculate(bars, record).intValue());
            System.out.printf("gross return:  %.4f (end value / start value)%n",
                new ReturnCriterion().calculate(bars, record).doubleValue());
            System.out.printf("buy and hold:  %.4f%n",
                EnterAndHoldCriterion.EnterAndHoldReturnCriterion().calculate(bars, record).doubleValue());
            System.out.printf("max drawdown:  %.4f%n",
                new MaximumDrawdownCriterion().calculate(bars, record).doubleValue());
        }
    }
}
