// Pools the studies of one model on several reserved instruments (their summary.json files): per size and pair of
// arms, the paired test-AUC differences of every instrument and seed, their mean, standard error and the count of
// instruments on which the pretrained arm wins or loses by its own study's rule. Prints a Markdown table.
// Run by build.sh as a single-file Java program against the tickgrad CLI jar (Jackson).
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

public final class PoolStudies {
    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, List<Double>> diffs = new LinkedHashMap<>();
        Map<String, int[]> outcomes = new LinkedHashMap<>();
        Map<String, List<Double>> auc = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (String file : args) {
            JsonNode s = json.readTree(Path.of(file).toFile());
            names.add(s.path("instrument").asText());
            Map<String, Double> byRun = new LinkedHashMap<>();
            for (JsonNode r : s.path("runs")) {
                byRun.put(r.path("arm").asText() + "/" + r.path("size").asInt() + "/" + r.path("seed").asInt(),
                    r.path("auc").asDouble());
                auc.computeIfAbsent(r.path("size").asInt() + " " + r.path("arm").asText(), k -> new ArrayList<>())
                    .add(r.path("auc").asDouble());
            }
            for (JsonNode c : s.path("comparisons")) {
                String key = c.path("size").asInt() + " " + c.path("arm").asText() + " vs " + c.path("versus").asText();
                int[] o = outcomes.computeIfAbsent(key, k -> new int[2]);
                o[0] += c.path("wins").asBoolean() ? 1 : 0;
                o[1] += c.path("loses").asBoolean() ? 1 : 0;
                for (int seed = 0; seed < s.path("seeds").asInt(); seed++) {
                    Double a = byRun.get(c.path("arm").asText() + "/" + c.path("size").asInt() + "/" + seed);
                    Double b = byRun.get(c.path("versus").asText() + "/" + c.path("size").asInt() + "/" + seed);
                    if (a != null && b != null) {
                        diffs.computeIfAbsent(key, k -> new ArrayList<>()).add(a - b);
                    }
                }
            }
        }
        System.out.println("Pooled over " + String.join(", ", names) + " (every instrument and seed):\n");
        System.out.println("| size | arm | mean test AUC | ± SE | runs |\n|---:|---|---:|---:|---:|");
        for (var e : auc.entrySet()) {
            double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            String[] k = e.getKey().split(" ");
            System.out.printf(Locale.ROOT, "| %s | %s | %.3f | %.3f | %d |%n", k[0], k[1], mean(v), se(v), v.length);
        }
        System.out.println("\n| size | comparison | mean AUC difference | ± SE | pairs | instruments won / lost |\n"
            + "|---:|---|---:|---:|---:|---:|");
        for (var e : diffs.entrySet()) {
            double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            String key = e.getKey();
            int cut = key.indexOf(' ');
            int[] o = outcomes.get(key);
            double m = mean(v);
            double s = se(v);
            String mark = m > 2.09 * s ? " **(wins)**" : -m > 2.09 * s ? " *(loses)*" : "";
            System.out.printf(Locale.ROOT, "| %s | %s | %+.3f%s | %.3f | %d | %d / %d |%n", key.substring(0, cut),
                key.substring(cut + 1), m, mark, s, v.length, o[0], o[1]);
        }
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    static double se(double[] v) {
        double m = mean(v);
        double ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        return v.length < 2 ? 0 : Math.sqrt(ss / (v.length - 1) / v.length);
    }
}
