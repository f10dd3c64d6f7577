package io.tickgrad.backtest;

/**
 * The threshold strategy's net PnL of each period, bps, in period order, under the conventions of
 * {@link BacktestSummary} (the same numbers its mean, standard deviation and Sharpe are computed from). Sweeps read
 * it for the higher moments a deflated Sharpe ratio needs.
 */
public final class StrategyReturns {
    private StrategyReturns() {
    }

    /**
     * @param run     the rows; only read
     * @param options the strategy's thresholds, cost and decision step
     * @return net PnL per period after costs, bps; empty when the run has no strategy period
     */
    public static double[] netBps(BacktestRun run, BacktestOptions options) {
        double[] equity = BacktestAnalysis.of(run, options).equityBps;
        double[] r = new double[equity.length];
        double previous = 0;
        for (int i = 0; i < equity.length; i++) {
            r[i] = equity[i] - previous;
            previous = equity[i];
        }
        return r;
    }
}
