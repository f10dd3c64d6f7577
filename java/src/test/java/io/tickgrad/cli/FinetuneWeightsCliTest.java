package io.tickgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.model.Checkpoint;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.reference.ReferenceBackend;
import io.tickgrad.tensor.ParamEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * finetune's --class-weights, --pos-weight, --weight-column and --no-decay-bias-norm: each takes effect (a row of
 * weight 0 is a row left out; the summary line names the weighting) or is refused in one line naming the option or
 * the file, row and column.
 */
class FinetuneWeightsCliTest {
    @TempDir
    Path dir;

    private Path binary;   // 3 inputs -> dense(4), relu -> dense(1), sigmoid
    private Path three;    // 3 inputs -> dense(3), softmax
    private Path weighted; // 40 rows: 3 features, a weight, a 0/1 label
    private Path classes;  // 30 rows: 3 features, a class index 0..2

    @BeforeEach
    void files() throws Exception {
        binary = dir.resolve("binary.safetensors");
        three = dir.resolve("three.safetensors");
        try (ReferenceBackend b = new ReferenceBackend()) {
            try (Network net = Network.builder(3).dense(4).relu().dense(1).sigmoid().build(b, 4, 1)) {
                Checkpoint.save(net, binary);
            }
            try (Network net = Network.builder(3).dense(3).softmax().build(b, 4, 2)) {
                Checkpoint.save(net, three);
            }
        }
        Random rnd = new Random(5);
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            w.append(rnd.nextGaussian()).append(',').append(rnd.nextGaussian()).append(',').append(rnd.nextGaussian())
                .append(',').append(i % 4 == 0 ? "0" : "1.5").append(',').append(i % 2).append('\n');
        }
        weighted = csv("weighted.csv", w.toString());
        StringBuilder c = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            c.append(rnd.nextGaussian()).append(',').append(rnd.nextGaussian()).append(',').append(rnd.nextGaussian())
                .append(',').append(i % 3).append('\n');
        }
        classes = csv("classes.csv", c.toString());
    }

    private Path csv(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private String[] finetune(Path model, Path train, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("finetune", "--model", model.toString(), "--train",
            train.toString(), "--out", out.toString(), "--backend", "reference"));
        args.addAll(List.of(extra));
        return CliCapture.run(args.toArray(String[]::new));
    }

    private static void refused(String[] r, int code, String... parts) {
        String err = r[2].strip();
        assertEquals(Integer.toString(code), r[0], "exit status; stderr: " + err);
        assertFalse(err.contains("\n"), "one line: " + err);
        assertTrue(err.startsWith("tickgrad finetune: "), err);
        for (String p : parts) {
            assertTrue(err.contains(p), "'" + p + "' in: " + err);
        }
    }

    private static float[] parameters(Path checkpoint) {
        try (ReferenceBackend b = new ReferenceBackend(); Network net = Checkpoint.load(checkpoint, b, 1)) {
            List<Float> all = new ArrayList<>();
            for (ParamEntry e : net.parameters().entries()) {
                for (float v : net.getParameter(e.name())) {
                    all.add(v);
                }
            }
            float[] out = new float[all.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = all.get(i);
            }
            return out;
        }
    }

    @Test
    void aWeightColumnWeighsTheMeanAndAZeroWeightLeavesTheRowOut() throws Exception {
        // full-batch SGD without shuffling: the weighted mean over rows of weight 1.5 or 0 equals the plain mean over
        // the rows of weight 1.5, which only holds for sum(w l) / sum(w)
        List<String> kept = new ArrayList<>();
        List<String> lines = Files.readAllLines(weighted);
        for (String line : lines) {
            String[] cells = line.split(",");
            if (!cells[3].equals("0")) {
                kept.add(cells[0] + "," + cells[1] + "," + cells[2] + "," + cells[4]);
            }
        }
        Path subset = csv("subset.csv", String.join("\n", kept) + "\n");
        Path a = dir.resolve("a.safetensors");
        Path b = dir.resolve("b.safetensors");
        String[] ra = finetune(binary, weighted, a, "--weight-column", "3", "--optimizer", "sgd", "--lr", "0.5",
            "--epochs", "20", "--batch", "40", "--no-shuffle");
        assertEquals("0", ra[0], ra[2]);
        assertTrue(ra[2].contains("with sample weights"), ra[2]);
        String[] rb = finetune(binary, subset, b, "--optimizer", "sgd", "--lr", "0.5", "--epochs", "20", "--batch",
            "30", "--no-shuffle");
        assertEquals("0", rb[0], rb[2]);
        float[] pa = parameters(a);
        float[] pb = parameters(b);
        float[] before = parameters(binary);
        double moved = 0;
        for (int i = 0; i < pa.length; i++) {
            assertEquals(pb[i], pa[i], 1e-5, "parameter " + i);
            moved = Math.max(moved, Math.abs(pa[i] - before[i]));
        }
        assertTrue(moved > 1e-2, "training moved the weights by " + moved);
        // the short alias a PyTorch user may type
        assertEquals("0", finetune(binary, weighted, a, "--weight-col", "-2", "--epochs", "1")[0]);
    }

    @Test
    void classAndPositiveWeightsTakeEffectAndAreNamed() {
        Path out = dir.resolve("o.safetensors");
        String[] r = finetune(three, classes, out, "--class-weights", "1,2,0.5", "--epochs", "2");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[2].contains("class weights [1.0, 2.0, 0.5]"), r[2]);
        String[] p = finetune(binary, weighted, out, "--pos-weight", "3", "--epochs", "2", "--weight-column", "3");
        assertEquals("0", p[0], p[2]);
        assertTrue(p[2].contains("pos_weight 3.0 and sample weights"), p[2]);
        String[] d = finetune(three, classes, out, "--optimizer", "adamw", "--weight-decay", "0.01",
            "--no-decay-bias-norm", "--epochs", "1");
        assertEquals("0", d[0], d[2]);
        assertTrue(d[2].contains("no decay on biases and norms"), d[2]);
    }

    @Test
    void weightsThatCannotApplyAreRefused() throws Exception {
        Path out = dir.resolve("o.safetensors");
        refused(finetune(three, classes, out, "--class-weights", "1,2"), 2, "--class-weights",
            "2 weight(s) for a model with 3 classes");
        refused(finetune(three, classes, out, "--class-weights", "1,-2,1"), 2, "--class-weights", "weight 1 is -2.0");
        refused(finetune(three, classes, out, "--class-weights", "1,NaN,1"), 2, "--class-weights", "weight 1 is NaN");
        refused(finetune(three, classes, out, "--class-weights", "0,0,0"), 2, "every weight is 0");
        refused(finetune(three, classes, out, "--pos-weight", "2"), 2, "--pos-weight 2.0",
            "given with loss softmax_xent", "--class-weights");
        refused(finetune(binary, weighted, out, "--weight-column", "3", "--class-weights", "1,1"), 2,
            "--class-weights", "given with loss bce_logits", "--pos-weight");
        refused(finetune(binary, weighted, out, "--weight-column", "3", "--pos-weight", "-1"), 2,
            "--pos-weight -1.0", "expected a finite weight > 0");
        refused(finetune(binary, weighted, out, "--weight-column", "3", "--pos-weight", "2", "--class-weights",
            "1,1"), 2, "--pos-weight", "not both");
        refused(finetune(binary, weighted, out, "--weight-column", "9"), 2, "--weight-column 9",
            "have 5 columns");
        refused(finetune(binary, weighted, out, "--weight-column", "4"), 2, "--label-column",
            "column 4 is also the --weight-column");
        refused(finetune(binary, weighted, out, "--weight-column", "3", "--no-decay-bias-norm"), 2,
            "--no-decay-bias-norm", "without weight decay");
        Path negative = csv("neg.csv", Files.readString(weighted).replaceFirst(",1.5,", ",-1.5,"));
        refused(finetune(binary, negative, out, "--weight-column", "3"), 1, negative.toString(), "row 2",
            "weight column 3", "found -1.5", "expected a sample weight >= 0");
        Path text = csv("text.csv", Files.readString(weighted).replaceFirst(",1.5,", ",heavy,"));
        refused(finetune(binary, text, out, "--weight-column", "3"), 1, text.toString(), "line 2", "column 4",
            "found 'heavy'");
        Path zero = csv("zero.csv", Files.readString(weighted).replace(",1.5,", ",0,"));
        refused(finetune(binary, zero, out, "--weight-column", "3"), 1, zero.toString(), "weight column 3",
            "is 0 in every one of the 40 training rows");
        // without --weight-column the same file has one feature column too many: the weight is not silently a feature
        refused(finetune(binary, weighted, out), 1, weighted.toString(), "4 feature columns");
    }
}
