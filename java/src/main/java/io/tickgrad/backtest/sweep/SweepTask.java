package io.tickgrad.backtest.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickgrad.backtest.sweep.SweepGrid.Arm;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One replay of a sweep: the data, the walk-forward window evaluated (and the span trained on), the arm, and the
 * values of every parameter that arm uses (a parameter the arm does not use is absent: NaN, 0 or null). Its id is a
 * hash of the parameters, so it names the same task in every run of the same grid, on any runner.
 *
 * @param horizon label horizon in ticks; 0: the model's own label
 * @param seed    null for the frozen arm (nothing random)
 */
public record SweepTask(String data, int window, long trainFromNs, long trainToNs, long evalFromNs, long evalToNs,
                        Arm arm, int horizon, double lr, int steps, int cadence, int batch, int sampleWindow,
                        int epochs, double longThreshold, double shortThreshold, double costBps, Long seed) {

    /** The parameter columns of results.csv, in order. */
    public static final List<String> COLUMNS = List.of("task_id", "data", "window", "train_from", "train_to",
        "eval_from", "eval_to", "arm", "horizon", "lr", "steps", "cadence", "batch", "sample_window", "epochs",
        "long_threshold", "short_threshold", "cost_bps", "seed");

    /** The parameters that define a configuration: everything but the data, the window and the seed. */
    public static final List<String> CONFIG_COLUMNS = List.of("arm", "horizon", "lr", "steps", "cadence", "batch",
        "sample_window", "epochs", "long_threshold", "short_threshold", "cost_bps");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param g the grid
     * @return every task of a grid, in a fixed order: data, window, arm, arm parameters, strategy, seed
     */
    public static List<SweepTask> expand(SweepGrid g) {
        List<SweepTask> out = new ArrayList<>();
        SweepGrid.WalkForward wf = g.windows();
        List<Integer> horizons = g.horizons().isEmpty() ? List.of(0) : g.horizons();
        for (SweepGrid.DataSpec d : g.data()) {
            for (int k = 1; k < wf.count(); k++) {
                long evalFrom = wf.windowStart(k);
                long evalTo = wf.windowStart(k + 1);
                for (Arm arm : g.arms()) {
                    for (int h : horizons) {
                        for (Object[] p : armValues(g, arm)) {
                            for (double lt : g.strategy().longThreshold()) {
                                for (double st : g.strategy().shortThreshold()) {
                                    for (double c : g.strategy().costBps()) {
                                        List<Long> seeds = arm == Arm.FROZEN ? nullSeed() : g.seeds();
                                        for (Long s : seeds) {
                                            out.add(new SweepTask(d.name(), k, arm == Arm.FROZEN ? 0
                                                : wf.trainFrom(k), arm == Arm.FROZEN ? 0 : evalFrom, evalFrom,
                                                evalTo, arm, h, (double) p[0], (int) p[1], (int) p[2], (int) p[3],
                                                (int) p[4], (int) p[5], lt, st, c, s));
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    private static List<Long> nullSeed() {
        List<Long> l = new ArrayList<>();
        l.add(null);
        return l;
    }

    /** lr, steps, cadence, batch, sample window, epochs for each combination the arm sweeps. */
    private static List<Object[]> armValues(SweepGrid g, Arm arm) {
        List<Object[]> out = new ArrayList<>();
        switch (arm) {
            case FROZEN -> out.add(new Object[] {Double.NaN, 0, 0, 0, 0, 0});
            case FINETUNED -> {
                for (double lr : g.finetune().lr()) {
                    for (int e : g.finetune().epochs()) {
                        out.add(new Object[] {lr, 0, 0, g.finetune().batch(), 0, e});
                    }
                }
            }
            case ONLINE -> {
                for (double lr : g.online().lr()) {
                    for (int s : g.online().steps()) {
                        for (int c : g.online().cadence()) {
                            for (int b : g.online().batch()) {
                                for (int w : g.online().window()) {
                                    out.add(new Object[] {lr, s, c, b, w, 0});
                                }
                            }
                        }
                    }
                }
            }
            default -> throw new IllegalStateException(arm.toString());
        }
        return out;
    }

    /** @return the parameter columns (see {@link #COLUMNS}); a parameter the arm does not use is an empty string */
    public Map<String, String> parameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("task_id", id());
        putAll(m);
        return m;
    }

    private void putAll(Map<String, String> m) {
        m.put("data", data);
        m.put("window", Integer.toString(window));
        m.put("train_from", arm == Arm.FROZEN ? "" : time(trainFromNs));
        m.put("train_to", arm == Arm.FROZEN ? "" : time(trainToNs));
        m.put("eval_from", time(evalFromNs));
        m.put("eval_to", time(evalToNs));
        m.put("arm", arm.id());
        m.put("horizon", horizon == 0 ? "" : Integer.toString(horizon));
        m.put("lr", Double.isNaN(lr) ? "" : Double.toString(lr));
        m.put("steps", num(steps));
        m.put("cadence", num(cadence));
        m.put("batch", num(batch));
        m.put("sample_window", num(sampleWindow));
        m.put("epochs", num(epochs));
        m.put("long_threshold", Double.toString(longThreshold));
        m.put("short_threshold", Double.toString(shortThreshold));
        m.put("cost_bps", Double.toString(costBps));
        m.put("seed", seed == null ? "" : Long.toString(seed));
    }

    private static String num(int v) {
        return v == 0 ? "" : Integer.toString(v);
    }

    private static String time(long ns) {
        return Instant.ofEpochSecond(0, ns).toString();
    }

    /** @return 12 hex digits of the SHA-256 of the parameters: stable across runs, runners and machines */
    public String id() {
        Map<String, String> m = new LinkedHashMap<>();
        putAll(m);
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the task as one line of JSON (how runners ship it) */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", data);
        m.put("window", window);
        m.put("trainFromNs", trainFromNs);
        m.put("trainToNs", trainToNs);
        m.put("evalFromNs", evalFromNs);
        m.put("evalToNs", evalToNs);
        m.put("arm", arm.id());
        m.put("horizon", horizon);
        m.put("lr", Double.isNaN(lr) ? null : lr);
        m.put("steps", steps);
        m.put("cadence", cadence);
        m.put("batch", batch);
        m.put("sampleWindow", sampleWindow);
        m.put("epochs", epochs);
        m.put("longThreshold", longThreshold);
        m.put("shortThreshold", shortThreshold);
        m.put("costBps", costBps);
        m.put("seed", seed);
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a task written by {@link #toJson()}.
     *
     * @param json the task's JSON
     * @return the task
     * @throws IllegalArgumentException when the text is not JSON
     */
    public static SweepTask fromJson(String json) {
        try {
            Map<String, Object> m = JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
            Object lr = m.get("lr");
            Object seed = m.get("seed");
            return new SweepTask((String) m.get("data"), i(m, "window"), l(m, "trainFromNs"), l(m, "trainToNs"),
                l(m, "evalFromNs"), l(m, "evalToNs"), Arm.parse((String) m.get("arm"), "task"), i(m, "horizon"),
                lr == null ? Double.NaN : ((Number) lr).doubleValue(), i(m, "steps"), i(m, "cadence"),
                i(m, "batch"), i(m, "sampleWindow"), i(m, "epochs"), d(m, "longThreshold"), d(m, "shortThreshold"),
                d(m, "costBps"), seed == null ? null : ((Number) seed).longValue());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a sweep task: " + json, e);
        }
    }

    private static int i(Map<String, Object> m, String k) {
        return ((Number) m.get(k)).intValue();
    }

    private static long l(Map<String, Object> m, String k) {
        return ((Number) m.get(k)).longValue();
    }

    private static double d(Map<String, Object> m, String k) {
        return ((Number) m.get(k)).doubleValue();
    }
}
