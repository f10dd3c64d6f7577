package io.tickgrad.pretrain;

import java.util.Locale;

/**
 * What a market network predicts about the move from a decision tick to the tick {@code horizon} ticks later.
 * Both are binary, so every arm of a study trains with the same loss and is scored by the same ROC AUC.
 */
public enum Target {
    /** 1 when the price rises over the horizon, 0 when it falls; an unchanged price gives no sample. */
    DIRECTION,
    /**
     * 1 when the absolute log move over the horizon exceeds {@link #LARGE_MOVE_SIGMAS} times the volatility known
     * at the decision (slow EWMA of one-tick log returns, times sqrt(horizon)); else 0. Volatility clusters, so this
     * is the target on which past data says the most.
     */
    LARGE_MOVE;

    /** The threshold of {@link #LARGE_MOVE} in volatility units. */
    public static final double LARGE_MOVE_SIGMAS = 1.0;

    /**
     * The label of one decision: 1, 0, or -1 for no sample.
     *
     * @param logMove      ln(price at horizon / price at decision)
     * @param slowVariance the slow EWMA variance of one-tick log returns at the decision
     * @param horizon      the horizon in ticks
     * @return 1, 0, or -1 when the decision gives no sample (a non-finite move, an unchanged price for
     *         {@link #DIRECTION}, no volatility known yet for {@link #LARGE_MOVE})
     */
    public int label(double logMove, double slowVariance, int horizon) {
        if (!Double.isFinite(logMove)) {
            return -1;
        }
        if (this == DIRECTION) {
            return logMove > 0 ? 1 : logMove < 0 ? 0 : -1;
        }
        if (!(slowVariance > 0)) {
            return -1;
        }
        return Math.abs(logMove) > LARGE_MOVE_SIGMAS * Math.sqrt(slowVariance * horizon) ? 1 : 0;
    }

    /**
     * The command-line and metadata name: direction or large-move.
     *
     * @return the lower-case name with '-' for '_'
     */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Parses {@link #id()}, ignoring case.
     *
     * @param s     the name to parse
     * @param where the option or file (and field) named in the error
     * @return the target
     * @throws IllegalArgumentException when {@code s} names no target
     */
    public static Target parse(String s, String where) {
        for (Target t : values()) {
            if (t.id().equalsIgnoreCase(s)) {
                return t;
            }
        }
        throw new IllegalArgumentException(where + ": unknown target '" + s + "'; expected direction or large-move");
    }
}
