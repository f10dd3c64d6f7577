package io.tickgrad.backtest.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every task of a sweep shares, as the driver sees it: the model file, each data name's ticks queue, the
 * instruction set the kernels must run, the label dead zone (NaN: the model's), the strategy's hold (null: the
 * label horizon) and the fine-tuning sample stride. A runner that ships tasks elsewhere ships this too
 * ({@link #toJson()}) and maps the paths to its local copies.
 */
public record SweepJob(String name, Path model, Map<String, Path> queues, String isa, double deadZoneBps,
                       Integer hold, int finetuneStride) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param name           the sweep's name
     * @param model          the model file, as the driver sees it
     * @param queues         each data name's ticks queue (copied)
     * @param isa            the instruction set every task must run
     * @param deadZoneBps    the label dead zone, bps (NaN: the model's)
     * @param hold           predictions between the strategy's decisions (null: the label horizon)
     * @param finetuneStride every how many ticks a fine-tuning sample is taken
     */
    public SweepJob {
        queues = Map.copyOf(queues);
    }

    /**
     * @param data a data name of the grid
     * @return its ticks queue
     * @throws IllegalArgumentException naming it when the job has none
     */
    public Path queue(String data) {
        Path q = queues.get(data);
        if (q == null) {
            throw new IllegalArgumentException("no ticks queue for data '" + data + "'");
        }
        return q;
    }

    /** @return the job as one line of JSON, read back by {@link #fromJson} */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("model", model.toString());
        Map<String, String> q = new LinkedHashMap<>();
        queues.forEach((k, v) -> q.put(k, v.toString()));
        m.put("queues", q);
        m.put("isa", isa);
        m.put("deadZoneBps", Double.isNaN(deadZoneBps) ? null : deadZoneBps);
        m.put("hold", hold);
        m.put("finetuneStride", finetuneStride);
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param json what {@link #toJson()} wrote
     * @return the job
     * @throws IllegalArgumentException when the text is not JSON
     */
    public static SweepJob fromJson(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            Map<String, Path> q = new LinkedHashMap<>();
            n.get("queues").fields().forEachRemaining(e -> q.put(e.getKey(), Path.of(e.getValue().asText())));
            JsonNode dz = n.get("deadZoneBps");
            JsonNode hold = n.get("hold");
            return new SweepJob(n.get("name").asText(), Path.of(n.get("model").asText()), q, n.get("isa").asText(),
                dz == null || dz.isNull() ? Double.NaN : dz.asDouble(),
                hold == null || hold.isNull() ? null : hold.asInt(), n.get("finetuneStride").asInt());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a sweep job: " + json, e);
        }
    }
}
