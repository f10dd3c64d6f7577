package io.tickgrad.market;

/**
 * How a prediction's outcome is labelled: the sign of the price move from the decision tick to the first tick at
 * or after the horizon, which is {@code horizonTicks} ticks later, or (when {@code horizonTicks} is 0)
 * {@code horizonNs} of exchange time later. Moves within {@code deadZoneBps} basis points give no label.
 */
public record LabelSpec(int horizonTicks, long horizonNs, double deadZoneBps) {
    public LabelSpec {
        if (horizonTicks < 0 || horizonNs < 0 || (horizonTicks == 0) == (horizonNs == 0)) {
            throw new IllegalArgumentException("label: exactly one of horizonTicks and horizonNs must be > 0, got "
                + horizonTicks + " and " + horizonNs);
        }
        if (!(deadZoneBps >= 0) || !Double.isFinite(deadZoneBps)) {
            throw new IllegalArgumentException("label: deadZoneBps must be finite and >= 0, got " + deadZoneBps);
        }
    }

    /** A horizon counted in ticks. */
    public static LabelSpec ticks(int horizon, double deadZoneBps) {
        return new LabelSpec(horizon, 0, deadZoneBps);
    }

    /** A horizon in exchange time. */
    public static LabelSpec time(long horizonNs, double deadZoneBps) {
        return new LabelSpec(0, horizonNs, deadZoneBps);
    }

    /** 1 for up, 0 for down, -1 inside the dead zone (or for a non-finite move). */
    public int label(double fromPrice, double toPrice) {
        double moveBps = (toPrice / fromPrice - 1) * 1e4;
        if (!Double.isFinite(moveBps) || Math.abs(moveBps) <= deadZoneBps) {
            return -1;
        }
        return moveBps > 0 ? 1 : 0;
    }
}
