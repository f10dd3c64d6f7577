package io.tickgrad.spark;

import io.tickgrad.backtest.sweep.SweepRunner;
import io.tickgrad.backtest.sweep.SweepRunnerFactory;

/** Offers the Spark runner to {@code tickgrad sweep --runner spark} through {@link java.util.ServiceLoader}. */
public final class SparkSweepRunnerFactory implements SweepRunnerFactory {
    @Override
    public String name() {
        return "spark";
    }

    @Override
    public SweepRunner create(String master, int workers) {
        return new SparkSweepRunner(master, workers);
    }
}
