package io.tickgrad.backtest.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickgrad.market.TimeFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A sweep's grid as read from its JSON file: the model, the data (recorded queues, or CSV files recorded into a
 * queue by the sweep), the walk-forward windows, the arms and the lists of values of every swept parameter. Every
 * list is swept (the cartesian product, per arm over the parameters that arm uses); a scalar is a list of one.
 * Relative paths are resolved against the grid file's directory. See README, "Sweeps", for the format.
 *
 * @param source   the grid file (for messages)
 * @param name     a title for the report
 * @param model    the checkpoint every task starts from (with its feature spec)
 * @param data     the instruments / queues
 * @param windows  the walk-forward windows
 * @param arms     which of frozen, finetuned, online
 * @param horizons label horizons in ticks (empty: the model's own)
 * @param deadZoneBps label dead zone (NaN: the model's own)
 * @param online   online-learning values (used by the online arm)
 * @param finetune offline fine-tuning values (used by the finetuned arm)
 * @param strategy strategy values (every arm)
 * @param seeds    seeds (online learning's sampling, fine-tuning's shuffling; the frozen arm has none)
 * @param isa      kernel instruction set for every task: auto (the best this machine has), scalar, avx2, avx512
 */
public record SweepGrid(Path source, String name, Path model, List<DataSpec> data, WalkForward windows,
                        List<Arm> arms, List<Integer> horizons, double deadZoneBps, OnlineGrid online,
                        FinetuneGrid finetune, StrategyGrid strategy, List<Long> seeds, String isa) {

    /** The three ways a task treats the model. */
    public enum Arm {
        /** The checkpoint as it is, weights never change. */
        FROZEN,
        /** Its trainable layers fine-tuned offline on the training window, then frozen over the evaluation window. */
        FINETUNED,
        /** Its trainable layers fine-tuned online over the evaluation window, from the matured labels. */
        ONLINE;

        /** @return the arm's name in grid files and results: frozen, finetuned or online */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Arm parse(String s, String where) {
            for (Arm a : values()) {
                if (a.id().equals(s)) {
                    return a;
                }
            }
            throw new IllegalArgumentException(where + ": arm must be frozen, finetuned or online, got '" + s + "'");
        }
    }

    /**
     * One instrument's ticks: an existing queue, or a CSV file ({@code bundled}: the Bitstamp trades that ship with
     * tickgrad) that the sweep records into {@code DIR/queues/NAME} once.
     */
    public record DataSpec(String name, Path queue, String csv, String instrument, String timeCol, String priceCol,
                           String sizeCol, String bidCol, String askCol, String timeFormat) {
        /** @return whether the sweep records the ticks from a CSV file (no queue given) */
        public boolean recorded() {
            return queue == null;
        }
    }

    /**
     * Walk-forward windows W0, W1, ... of {@code windowNs} each from {@code startNs}, the last ending at or before
     * {@code endNs}; a task trains on its training span and is evaluated on the next window: rolling trains on
     * W(k) alone, expanding on W0..W(k).
     */
    public record WalkForward(long startNs, long endNs, long windowNs, boolean expanding) {
        /** @return number of windows */
        public int count() {
            return (int) ((endNs - startNs) / windowNs);
        }

        /**
         * @param k the window's index
         * @return window k's start, epoch ns
         */
        public long windowStart(int k) {
            return startNs + k * windowNs;
        }

        /**
         * @param evalWindow the index of the evaluation window, &gt;= 1
         * @return the start of its training span, epoch ns: W0's start when expanding, else the previous window's
         */
        public long trainFrom(int evalWindow) {
            return expanding ? startNs : windowStart(evalWindow - 1);
        }
    }

    /** Online-learning values: learning rate, Adam steps per round, cadence, batch, sample window. */
    public record OnlineGrid(List<Double> lr, List<Integer> steps, List<Integer> cadence, List<Integer> batch,
                             List<Integer> window) {
    }

    /** Offline fine-tuning values: learning rate and epochs; batch and sample stride are fixed. */
    public record FinetuneGrid(List<Double> lr, List<Integer> epochs, int batch, int stride) {
    }

    /** Strategy values: thresholds and cost; hold (predictions between decisions; null: the label horizon). */
    public record StrategyGrid(List<Double> longThreshold, List<Double> shortThreshold, List<Double> costBps,
                               Integer hold) {
    }

    private static final Set<String> TOP = Set.of("name", "model", "data", "walk_forward", "arms", "label", "online",
        "finetune", "strategy", "seeds", "isa");

    /**
     * Reads and checks a grid file.
     *
     * @param file the grid, JSON
     * @return the grid
     * @throws IllegalArgumentException naming the file and the field for a missing or bad value
     */
    public static SweepGrid read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not a readable JSON grid: " + e.getMessage().split("\n")[0]);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": a grid is a JSON object");
        }
        Fields f = new Fields(file, root, "");
        f.onlyKnown(TOP);
        Path dir = file.toAbsolutePath().getParent();
        String name = f.text("name", "sweep");
        Path model = dir.resolve(f.requiredText("model")).normalize();
        List<DataSpec> data = readData(f, dir);
        WalkForward windows = readWindows(f.object("walk_forward", true));
        List<Arm> arms = new ArrayList<>();
        for (String a : f.texts("arms", List.of("frozen"))) {
            Arm arm = Arm.parse(a, file + ": arms");
            if (arms.contains(arm)) {
                throw new IllegalArgumentException(file + ": arms: '" + a + "' is listed twice");
            }
            arms.add(arm);
        }
        Fields label = f.object("label", false);
        List<Integer> horizons = label == null ? List.of() : label.ints("horizon", List.of(), 1);
        double deadZone = label == null ? Double.NaN : label.number("dead_zone_bps", Double.NaN, 0);
        if (label != null) {
            label.onlyKnown(Set.of("horizon", "dead_zone_bps"));
        }
        Fields on = f.objectOrEmpty("online");
        on.onlyKnown(Set.of("lr", "steps", "cadence", "batch", "window"));
        OnlineGrid online = new OnlineGrid(on.numbers("lr", List.of(1e-3), 0), on.ints("steps", List.of(4), 1),
            on.ints("cadence", List.of(32), 1), on.ints("batch", List.of(32), 1), on.ints("window", List.of(4096), 1));
        Fields ft = f.objectOrEmpty("finetune");
        ft.onlyKnown(Set.of("lr", "epochs", "batch", "stride"));
        FinetuneGrid finetune = new FinetuneGrid(ft.numbers("lr", List.of(1e-3), 0), ft.ints("epochs", List.of(5), 1),
            (int) ft.number("batch", 64, 1), (int) ft.number("stride", 25, 1));
        Fields st = f.objectOrEmpty("strategy");
        st.onlyKnown(Set.of("long_threshold", "short_threshold", "cost_bps", "hold"));
        double hold = st.number("hold", Double.NaN, 1);
        StrategyGrid strategy = new StrategyGrid(st.numbers("long_threshold", List.of(0.55), -1),
            st.numbers("short_threshold", List.of(0.45), -1), st.numbers("cost_bps", List.of(1.0), 0),
            Double.isNaN(hold) ? null : (int) hold);
        List<Long> seeds = new ArrayList<>();
        for (Integer s : f.ints("seeds", List.of(42), Integer.MIN_VALUE)) {
            seeds.add((long) s);
        }
        String isa = f.text("isa", "auto");
        if (!List.of("auto", "scalar", "avx2", "avx512").contains(isa)) {
            throw new IllegalArgumentException(file + ": isa must be auto, scalar, avx2 or avx512, got '" + isa + "'");
        }
        return new SweepGrid(file, name, model, data, windows, arms, horizons, deadZone, online, finetune, strategy,
            seeds, isa);
    }

    private static List<DataSpec> readData(Fields f, Path dir) {
        JsonNode node = f.node.get("data");
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new IllegalArgumentException(f.file + ": data must be a non-empty list of {\"name\", \"queue\"} or "
                + "{\"name\", \"csv\"} objects");
        }
        List<DataSpec> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            Fields d = new Fields(f.file, node.get(i), "data[" + i + "].");
            d.onlyKnown(Set.of("name", "queue", "csv", "instrument", "time_col", "price_col", "size_col", "bid_col",
                "ask_col", "time_format"));
            String name = d.requiredText("name");
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException(f.file + ": data[" + i + "].name must be letters, digits, '.', '_' "
                    + "or '-' (it names a directory), got '" + name + "'");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException(f.file + ": data[" + i + "].name '" + name + "' is used twice");
            }
            String queue = d.text("queue", null);
            String csv = d.text("csv", null);
            if ((queue == null) == (csv == null)) {
                throw new IllegalArgumentException(f.file + ": data[" + i + "] needs exactly one of queue and csv");
            }
            String csvPath = csv == null ? null : csv.equals("bundled") ? csv : dir.resolve(csv).normalize().toString();
            out.add(new DataSpec(name, queue == null ? null : dir.resolve(queue).normalize(), csvPath,
                d.text("instrument", "BTC-USD"), d.text("time_col", "timestamp"), d.text("price_col", "price"),
                d.text("size_col", csv != null && csv.equals("bundled") ? "amount" : null), d.text("bid_col", null),
                d.text("ask_col", null), d.text("time_format", "auto")));
        }
        return out;
    }

    private static WalkForward readWindows(Fields w) {
        w.onlyKnown(Set.of("start", "end", "window", "mode"));
        long start = w.time("start");
        long end = w.time("end");
        long window = w.duration("window");
        String mode = w.text("mode", "rolling");
        if (!mode.equals("rolling") && !mode.equals("expanding")) {
            throw new IllegalArgumentException(w.file + ": walk_forward.mode must be rolling or expanding, got '"
                + mode + "'");
        }
        WalkForward wf = new WalkForward(start, end, window, mode.equals("expanding"));
        if (end <= start || wf.count() < 2) {
            throw new IllegalArgumentException(w.file + ": walk_forward: [start, end) must hold at least two windows "
                + "of " + Duration.ofNanos(window) + " (one to train on, one to evaluate), it holds " + Math.max(0,
                wf.count()));
        }
        return wf;
    }

    /** Typed reads of one JSON object's fields, with messages naming the file and the field. */
    private static final class Fields {
        final Path file;
        final JsonNode node;
        final String prefix;

        Fields(Path file, JsonNode node, String prefix) {
            this.file = file;
            this.node = node;
            this.prefix = prefix;
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(file + ": " + (prefix.isEmpty() ? "the grid" : prefix.substring(0,
                    prefix.length() - 1)) + " must be a JSON object");
            }
        }

        private String where(String key) {
            return file + ": " + prefix + key;
        }

        void onlyKnown(Set<String> known) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!known.contains(k)) {
                    throw new IllegalArgumentException(where(k) + ": unknown field; expected one of "
                        + String.join(", ", new java.util.TreeSet<>(known)));
                }
            }
        }

        Fields object(String key, boolean required) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                if (required) {
                    throw new IllegalArgumentException(where(key) + ": missing (a JSON object)");
                }
                return null;
            }
            return new Fields(file, v, prefix + key + ".");
        }

        Fields objectOrEmpty(String key) {
            Fields o = object(key, false);
            return o != null ? o : new Fields(file, new ObjectMapper().createObjectNode(), prefix + key + ".");
        }

        String requiredText(String key) {
            String s = text(key, null);
            if (s == null) {
                throw new IllegalArgumentException(where(key) + ": missing (a string)");
            }
            return s;
        }

        String text(String key, String dflt) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return dflt;
            }
            if (!v.isTextual() || v.asText().isBlank()) {
                throw new IllegalArgumentException(where(key) + ": expected a non-empty string, found " + v);
            }
            return v.asText();
        }

        List<String> texts(String key, List<String> dflt) {
            List<JsonNode> items = items(key);
            if (items == null) {
                return dflt;
            }
            List<String> out = new ArrayList<>();
            for (JsonNode v : items) {
                if (!v.isTextual()) {
                    throw new IllegalArgumentException(where(key) + ": expected strings, found " + v);
                }
                out.add(v.asText());
            }
            return out;
        }

        private List<JsonNode> items(String key) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return null;
            }
            List<JsonNode> out = new ArrayList<>();
            if (v.isArray()) {
                if (v.isEmpty()) {
                    throw new IllegalArgumentException(where(key) + ": an empty list sweeps nothing; give a value");
                }
                v.forEach(out::add);
            } else {
                out.add(v);
            }
            return out;
        }

        double number(String key, double dflt, double min) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return dflt;
            }
            return check(key, v, min);
        }

        private double check(String key, JsonNode v, double min) {
            if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                throw new IllegalArgumentException(where(key) + ": expected a number, found " + v);
            }
            double d = v.asDouble();
            if (d < min) {
                throw new IllegalArgumentException(where(key) + ": expected a number >= " + trim(min) + ", found " + v);
            }
            return d;
        }

        List<Double> numbers(String key, List<Double> dflt, double min) {
            List<JsonNode> items = items(key);
            if (items == null) {
                return dflt;
            }
            List<Double> out = new ArrayList<>();
            for (JsonNode v : items) {
                double d = check(key, v, min);
                if (!out.contains(d)) {
                    out.add(d);
                }
            }
            return out;
        }

        List<Integer> ints(String key, List<Integer> dflt, int min) {
            List<JsonNode> items = items(key);
            if (items == null) {
                return dflt;
            }
            List<Integer> out = new ArrayList<>();
            for (JsonNode v : items) {
                if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                    throw new IllegalArgumentException(where(key) + ": expected whole numbers, found " + v);
                }
                if (v.asInt() < min) {
                    throw new IllegalArgumentException(where(key) + ": expected whole numbers >= " + min + ", found "
                        + v);
                }
                if (!out.contains(v.asInt())) {
                    out.add(v.asInt());
                }
            }
            return out;
        }

        long time(String key) {
            String s = requiredText(key);
            try {
                return TimeFormat.AUTO.toEpochNanos(s);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(where(key) + ": expected an ISO-8601 time or epoch s/ms/ns, found '"
                    + s + "'");
            }
        }

        long duration(String key) {
            String s = requiredText(key).trim();
            long ns;
            try {
                if (s.startsWith("P") || s.startsWith("p")) {
                    ns = Duration.parse(s).toNanos();
                } else {
                    char unit = s.charAt(s.length() - 1);
                    double v = Double.parseDouble(s.substring(0, s.length() - 1));
                    double scale = switch (unit) {
                        case 's' -> 1e9;
                        case 'm' -> 60e9;
                        case 'h' -> 3600e9;
                        case 'd' -> 86400e9;
                        default -> throw new NumberFormatException();
                    };
                    ns = Math.round(v * scale);
                }
            } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
                ns = -1;
            }
            if (ns <= 0) {
                throw new IllegalArgumentException(where(key) + ": expected a positive duration such as 12h, 30m, 1d or "
                    + "PT6H, found '" + s + "'");
            }
            return ns;
        }

        private static String trim(double d) {
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }
    }
}
