package io.tickgrad.market;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * How a prediction's outcome is labelled, at the first tick at or after the horizon, which is {@code horizonTicks}
 * ticks later, or (when {@code horizonTicks} is 0) {@code horizonNs} of exchange time later. Every tick shape
 * labels with the one price it has ({@link TickKind}: trade price, quote mid, bar close, bare price).
 *
 * <p>The {@link Target} says what is labelled; r_i = ln(p_i / p_(i-1)) are the one-tick log returns after the
 * decision tick, up to and including the horizon tick, and R = ln(p_horizon / p_decision):
 * <ul>
 *   <li>{@code direction} (the default, and the only target before regression): 1 up, 0 down; moves within
 *       {@code deadZoneBps} basis points give no label;</li>
 *   <li>{@code realised_vol}: sqrt(sum r_i^2), in bps (real-valued);</li>
 *   <li>{@code realised_var}: sum r_i^2, in bps^2 (real-valued; the target of a QLIKE variance forecast);</li>
 *   <li>{@code abs_move}: |R|, in bps (real-valued);</li>
 *   <li>{@code large_move}: 1 when |R| &gt; {@code largeMoveK} x the recent volatility per horizon, else 0, where the
 *       recent volatility is sqrt(sum of r_i^2 over the {@code volLookback} horizons before the decision tick /
 *       volLookback) (a horizon of ticks counts ticks; one of time, time); no label until that much history
 *       exists or when it shows no movement.</li>
 * </ul>
 *
 * <p>{@code logOutput}: the network's output is the natural log of the forecast (a QLIKE head predicts
 * log-variance), so metrics compare exp(output) with the label; otherwise the output is the forecast itself.
 *
 * @param horizonTicks ticks to the horizon, or 0 for a time horizon
 * @param horizonNs    exchange-time nanoseconds to the horizon, or 0 for a tick horizon
 * @param deadZoneBps  moves within this many basis points give no direction label
 * @param target       what is labelled
 * @param largeMoveK   the large-move threshold in recent-volatility units (0 unless a large move)
 * @param volLookback  horizons of history in the recent volatility (0 unless a large move)
 * @param logOutput    whether the network outputs ln(forecast)
 */
public record LabelSpec(int horizonTicks, long horizonNs, double deadZoneBps, Target target, double largeMoveK,
                        int volLookback, boolean logOutput) {

    /** What a label measures; {@link #key()} is its name in the CLI and the checkpoint. */
    public enum Target {
        /** 1 up, 0 down, no label inside the dead zone. */
        DIRECTION("direction"),
        /** sqrt(sum r_i^2) over the horizon, in bps. */
        REALISED_VOL("realised_vol"),
        /** sum r_i^2 over the horizon, in bps^2. */
        REALISED_VAR("realised_var"),
        /** |R|, the absolute log move to the horizon, in bps. */
        ABS_MOVE("abs_move"),
        /** 1 when |R| exceeds k times the recent volatility per horizon, else 0. */
        LARGE_MOVE("large_move");

        private final String key;

        Target(String key) {
            this.key = key;
        }

        /**
         * The target's name in the CLI and in checkpoints.
         *
         * @return e.g. "realised_vol"
         */
        public String key() {
            return key;
        }

        /**
         * Whether the label is a real number (regression) rather than a class 0/1.
         *
         * @return true for realised_vol, realised_var and abs_move
         */
        public boolean realValued() {
            return this == REALISED_VOL || this == REALISED_VAR || this == ABS_MOVE;
        }

        /**
         * Parses a {@link #key()} (also accepts the enum name and "realized_").
         *
         * @param s the text
         * @return the target
         * @throws IllegalArgumentException naming the accepted keys
         */
        public static Target parse(String s) {
            String k = s.trim().toLowerCase(Locale.ROOT).replace("realized", "realised").replace('-', '_');
            for (Target t : values()) {
                if (t.key.equals(k)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("label: unknown target '" + s + "'; expected one of direction, "
                + "realised_vol, realised_var, abs_move, large_move");
        }
    }

    /** The default lookback of the large-move label's recent volatility, in horizons. */
    public static final int DEFAULT_VOL_LOOKBACK = 20;

    /**
     * Validates and normalises the components: a missing target is a direction; the dead zone is kept for a direction
     * only, the large-move fields for a large move only (others are set to 0).
     *
     * @param horizonTicks ticks to the horizon, or 0 for a time horizon
     * @param horizonNs    exchange-time nanoseconds to the horizon, or 0 for a tick horizon
     * @param deadZoneBps  moves within this many basis points give no direction label, finite and &gt;= 0
     * @param target       what is labelled; null means direction
     * @param largeMoveK   the large-move threshold in recent-volatility units, &gt; 0 for a large move
     * @param volLookback  horizons of history in the recent volatility, at least 1 for a large move
     * @param logOutput    whether the network outputs ln(forecast) (real-valued targets only)
     * @throws IllegalArgumentException naming the field and what was expected
     */
    public LabelSpec {
        if (horizonTicks < 0 || horizonNs < 0 || (horizonTicks == 0) == (horizonNs == 0)) {
            throw new IllegalArgumentException("label: exactly one of horizonTicks and horizonNs must be > 0, got "
                + horizonTicks + " and " + horizonNs);
        }
        if (!(deadZoneBps >= 0) || !Double.isFinite(deadZoneBps)) {
            throw new IllegalArgumentException("label: deadZoneBps must be finite and >= 0, got " + deadZoneBps);
        }
        if (target == null) {
            target = Target.DIRECTION;
        }
        if (target == Target.LARGE_MOVE) {
            if (!(largeMoveK > 0) || !Double.isFinite(largeMoveK)) {
                throw new IllegalArgumentException("label: large_move needs largeMoveK finite and > 0, got "
                    + largeMoveK);
            }
            if (volLookback < 1) {
                throw new IllegalArgumentException("label: large_move needs volLookback >= 1 horizons, got "
                    + volLookback);
            }
            if (horizonTicks > 0 && (long) horizonTicks * volLookback > 10_000_000L) {
                throw new IllegalArgumentException("label: large_move lookback of " + volLookback + " x "
                    + horizonTicks + " ticks is over 10,000,000 ticks");
            }
        } else {
            largeMoveK = 0;
            volLookback = 0;
        }
        if (target != Target.DIRECTION) {
            deadZoneBps = 0;   // only a direction has a dead zone
        }
        if (logOutput && !target.realValued()) {
            throw new IllegalArgumentException("label: logOutput is for real-valued targets, not " + target.key());
        }
    }

    /**
     * A direction label (the form every label had before regression targets).
     *
     * @param horizonTicks ticks to the horizon, or 0 for a time horizon
     * @param horizonNs    exchange-time nanoseconds to the horizon, or 0 for a tick horizon
     * @param deadZoneBps  the dead zone in basis points
     */
    public LabelSpec(int horizonTicks, long horizonNs, double deadZoneBps) {
        this(horizonTicks, horizonNs, deadZoneBps, Target.DIRECTION, 0, 0, false);
    }

    /**
     * A horizon counted in ticks.
     *
     * @param horizon     ticks to the horizon, at least 1
     * @param deadZoneBps the dead zone in basis points
     * @return a direction label
     */
    public static LabelSpec ticks(int horizon, double deadZoneBps) {
        return new LabelSpec(horizon, 0, deadZoneBps);
    }

    /**
     * A horizon in exchange time.
     *
     * @param horizonNs   nanoseconds of exchange time to the horizon, at least 1
     * @param deadZoneBps the dead zone in basis points
     * @return a direction label
     */
    public static LabelSpec time(long horizonNs, double deadZoneBps) {
        return new LabelSpec(0, horizonNs, deadZoneBps);
    }

    /**
     * The same horizon with a real-valued target (realised_vol, realised_var or abs_move); no dead zone.
     *
     * @param t the target
     * @return a new label
     */
    public LabelSpec withTarget(Target t) {
        if (t == Target.LARGE_MOVE) {
            return withLargeMove(2, DEFAULT_VOL_LOOKBACK);
        }
        return new LabelSpec(horizonTicks, horizonNs, t == Target.DIRECTION ? deadZoneBps : 0, t, 0, 0, false);
    }

    /**
     * The same horizon labelling large moves: |R| above {@code k} x the recent volatility over {@code lookback}.
     *
     * @param k                the threshold, in units of recent volatility per horizon
     * @param lookbackHorizons horizons of history the recent volatility covers
     * @return a new large-move label
     */
    public LabelSpec withLargeMove(double k, int lookbackHorizons) {
        return new LabelSpec(horizonTicks, horizonNs, 0, Target.LARGE_MOVE, k, lookbackHorizons, false);
    }

    /**
     * The same label over {@code ticks} ticks, with dead zone {@code deadZone} (for a direction label).
     *
     * @param ticks    ticks to the horizon
     * @param deadZone the dead zone in basis points
     * @return a new label
     */
    public LabelSpec withHorizonTicks(int ticks, double deadZone) {
        return new LabelSpec(ticks, 0, deadZone, target, largeMoveK, volLookback, logOutput);
    }

    /**
     * The same label with dead zone {@code deadZone} (for a direction label; others have none).
     *
     * @param deadZone the dead zone in basis points
     * @return a new label
     */
    public LabelSpec withDeadZoneBps(double deadZone) {
        return new LabelSpec(horizonTicks, horizonNs, deadZone, target, largeMoveK, volLookback, logOutput);
    }

    /**
     * The same label, the network's output being ln(forecast) when {@code log} (see the class comment).
     *
     * @param log whether the network outputs ln(forecast)
     * @return a new label
     */
    public LabelSpec withLogOutput(boolean log) {
        return new LabelSpec(horizonTicks, horizonNs, deadZoneBps, target, largeMoveK, volLookback, log);
    }

    /**
     * Whether the label is real-valued (a regression target).
     *
     * @return true for realised_vol, realised_var and abs_move
     */
    public boolean realValued() {
        return target.realValued();
    }

    /**
     * The forecast in label units from the network's output: exp(output) with {@link #logOutput()}, else itself.
     *
     * @param output the network's output
     * @return the forecast, in the label's unit
     */
    public double forecast(double output) {
        return logOutput ? Math.exp(output) : output;
    }

    /**
     * A direction label of a move: 1 for up, 0 for down, -1 inside the dead zone (or for a non-finite move).
     *
     * @param fromPrice the price at the decision tick
     * @param toPrice   the price at the horizon tick
     * @return 1, 0 or -1
     */
    public int label(double fromPrice, double toPrice) {
        double moveBps = (toPrice / fromPrice - 1) * 1e4;
        if (!Double.isFinite(moveBps) || Math.abs(moveBps) <= deadZoneBps) {
            return -1;
        }
        return moveBps > 0 ? 1 : 0;
    }

    /**
     * The label's unit, for reports: "bps", "bps^2" or "class".
     *
     * @return the unit
     */
    public String unit() {
        switch (target) {
            case REALISED_VAR: return "bps^2";
            case REALISED_VOL: case ABS_MOVE: return "bps";
            default: return "class";
        }
    }

    /**
     * One line for reports: what is labelled over which horizon.
     *
     * @return e.g. "sign of the move 100 ticks ahead, dead zone 0.5 bps"
     */
    public String describe() {
        String h = horizonTicks > 0 ? horizonTicks + " ticks" : horizonNs / 1e9 + " s";
        switch (target) {
            case DIRECTION: return "sign of the move " + h + " ahead, dead zone " + deadZoneBps + " bps";
            case REALISED_VOL: return "realised volatility (bps) over the next " + h + outputNote();
            case REALISED_VAR: return "realised variance (bps^2) over the next " + h + outputNote();
            case ABS_MOVE: return "absolute log move (bps) " + h + " ahead" + outputNote();
            default: return "large move: |log move| " + h + " ahead above " + largeMoveK + " x the volatility of the "
                + volLookback + " horizons before";
        }
    }

    private String outputNote() {
        return logOutput ? "; the network predicts its log" : "";
    }

    /**
     * Writes the label's fields into {@code l}; a direction label writes only the original three.
     *
     * @param l the JSON object to fill
     */
    public void writeJson(ObjectNode l) {
        l.put("horizonTicks", horizonTicks);
        l.put("horizonNs", horizonNs);
        l.put("deadZoneBps", deadZoneBps);
        if (target != Target.DIRECTION) {
            l.put("target", target.key());
            if (target == Target.LARGE_MOVE) {
                l.put("largeMoveK", largeMoveK);
                l.put("volLookback", volLookback);
            }
            if (logOutput) {
                l.put("logOutput", true);
            }
        }
    }

    /**
     * Reads {@link #writeJson}; a label without "target" (every checkpoint before regression) is a direction label.
     *
     * @param l the JSON object
     * @return the label
     * @throws IllegalArgumentException when a field is missing or out of range
     */
    public static LabelSpec fromJson(JsonNode l) {
        JsonNode t = l.get("target");
        Target target = t == null ? Target.DIRECTION : Target.parse(t.asText());
        return new LabelSpec(l.path("horizonTicks").asInt(), l.path("horizonNs").asLong(),
            l.path("deadZoneBps").asDouble(), target, l.path("largeMoveK").asDouble(0),
            l.path("volLookback").asInt(0), l.path("logOutput").asBoolean(false));
    }
}
