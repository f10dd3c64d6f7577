package io.tickgrad.backtest.sweep;

/**
 * Creates a runner by name; other modules provide one through {@link java.util.ServiceLoader} (a
 * META-INF/services/io.tickgrad.backtest.sweep.SweepRunnerFactory entry), so the core depends on none of them.
 */
public interface SweepRunnerFactory {
    /** @return the name given to {@code --runner} */
    String name();

    /**
     * @param master  the cluster URL (null: the one the launcher configured)
     * @param workers parallel tasks wanted (0: what the cluster has)
     * @return the runner
     */
    SweepRunner create(String master, int workers);
}
