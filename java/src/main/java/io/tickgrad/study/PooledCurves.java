package io.tickgrad.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The learning curves of several studies' {@code summary.json} files pooled: per arm and size, the mean test AUC
 * over every instrument and seed with its standard error, as a text table. Cold path.
 */
public final class PooledCurves {
    private PooledCurves() {
    }

    /**
     * The table: one row per arm, one column per training size (the union over the files), each cell the mean test
     * ROC AUC over every run of that arm and size with its standard error, "n/a" where there is none. Reads the files
     * on the caller's thread.
     *
     * @param files summary.json files written by {@link StudyReport#write} for studies of one model
     * @return the table as text, one line per arm after a heading, each line ending with '\n'
     * @throws java.io.UncheckedIOException naming the file when one cannot be read or is not JSON
     */
    public static String table(List<Path> files) {
        ObjectMapper json = new ObjectMapper();
        Map<String, Map<Integer, List<Double>>> auc = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        TreeSet<Integer> sizes = new TreeSet<>();
        List<String> names = new ArrayList<>();
        for (Path f : files) {
            JsonNode s;
            try {
                s = json.readTree(f.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(f + ": " + e.getMessage(), e);
            }
            names.add(s.path("instrument").asText());
            for (JsonNode a : s.path("arms")) {
                labels.putIfAbsent(a.path("id").asText(), a.path("label").asText());
            }
            for (JsonNode r : s.path("runs")) {
                int size = r.path("size").asInt();
                sizes.add(size);
                auc.computeIfAbsent(r.path("arm").asText(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(size, k -> new ArrayList<>()).add(r.path("auc").asDouble());
            }
        }
        StringBuilder b = new StringBuilder();
        b.append("mean test ROC AUC ± standard error over every seed of ").append(String.join(", ", names))
            .append('\n');
        b.append(String.format(Locale.ROOT, "%-38s", "arm \\ labelled samples"));
        for (int size : sizes) {
            b.append(String.format(Locale.ROOT, "%16d", size));
        }
        b.append('\n');
        for (var e : auc.entrySet()) {
            b.append(String.format(Locale.ROOT, "%-38s", labels.getOrDefault(e.getKey(), e.getKey())));
            for (int size : sizes) {
                List<Double> v = e.getValue().get(size);
                if (v == null) {
                    b.append(String.format(Locale.ROOT, "%16s", "n/a"));
                    continue;
                }
                double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
                b.append(String.format(Locale.ROOT, "%9.3f ± %.3f", StudyResult.mean(a), StudyResult.stdErr(a)));
            }
            b.append('\n');
        }
        return b.toString();
    }
}
