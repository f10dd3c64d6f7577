package io.tickgrad.cli;

import static io.tickgrad.cli.CliCapture.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.model.Architecture;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.model.SafeTensors;
import io.tickgrad.model.TensorEntry;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.reference.ReferenceBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Hostile files, options and faults through the CLI's entry point: each refused with one line naming the file or
 * option, what was found and what was expected (exit 1, usage errors 2), or handled; never ignored, never a trace.
 */
class HostileInputTest {
    @TempDir
    Path dir;

    private Path binary;     // 4 inputs -> dense(3), relu -> dense(1), sigmoid
    private Path sixClass;   // 4 inputs -> dense(6), softmax
    private Path regression; // 4 inputs -> dense(1)
    private Path x;          // 3 rows of 4 features
    private Path labelled;   // 40 rows: 4 features, a 0/1 label



    /** The run failed with {@code code}, one line on stderr containing every {@code part}, no trace, no class names. */
    private static String refused(String[] r, int code, String... parts) {
        String err = r[2].strip();
        assertEquals(Integer.toString(code), r[0], "exit status; stderr: " + err);
        assertFalse(err.contains("\n"), "one line: " + err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
        assertFalse(err.matches("(?s).*\\b(java|javax|io\\.tickgrad|picocli)\\.[a-zA-Z.]*[A-Z]\\w*(Exception|Error).*"),
            "no Java class names: " + err);
        assertTrue(err.startsWith("tickgrad "), err);
        for (String p : parts) {
            assertTrue(err.contains(p), "'" + p + "' in: " + err);
        }
        return err;
    }

    @BeforeEach
    void models() throws Exception {
        binary = dir.resolve("binary.safetensors");
        sixClass = dir.resolve("six.safetensors");
        regression = dir.resolve("regression.safetensors");
        try (ReferenceBackend b = new ReferenceBackend()) {
            try (Network net = Network.builder(4).dense(3).relu().dense(1).sigmoid().build(b, 4, 1)) {
                Checkpoint.save(net, binary);
            }
            try (Network net = Network.builder(4).dense(6).softmax().build(b, 4, 2)) {
                Checkpoint.save(net, sixClass);
            }
            try (Network net = Network.builder(4).dense(1).build(b, 4, 3)) {
                Checkpoint.save(net, regression);
            }
        }
        x = dir.resolve("x.csv");
        Files.writeString(x, "0.1,0.2,0.3,0.4\n1,2,3,4\n-1,0,1,2\n");
        labelled = dir.resolve("labelled.csv");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            sb.append(i * 0.1).append(',').append(-i * 0.05).append(",1,").append(i % 3).append(',').append(i % 2)
                .append('\n');
        }
        Files.writeString(labelled, sb.toString());
    }

    private Path csv(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    // ---- memory from nothing ----

    @Test
    void shouldNeverBuildABatchLargerThanTheData() throws Exception {
        assertEquals(3, ModelBatch.forCheckpoint(binary, 80_000, 3, "--batch"));
        Path y = dir.resolve("y.csv");
        String[] r = run("predict", "--model", binary.toString(), "--in", x.toString(), "--out", y.toString(),
            "--batch", "80000", "--backend", "reference");
        assertEquals("0", r[0], r[2]);
        assertEquals(3, Files.readAllLines(y).size());
    }

    @Test
    void shouldReportAnOversizedBatchAgainstTheBatchOption() {
        Architecture wide = Architecture.parseSpec("400:dense(4096),relu,dense(4096),relu,dense(1)");
        OptionException e = assertThrows(OptionException.class,
            () -> ModelBatch.forArchitecture(wide, "m.safetensors", 500_000, 1_000_000, "--batch"));
        assertTrue(e.getMessage().startsWith("--batch 500000: "), e.getMessage());
        assertTrue(e.getMessage().contains("expected at most"), e.getMessage());
        refused(run("predict", "--model", binary.toString(), "--in", x.toString(), "--out", "y.csv", "--batch", "0"),
            2, "--batch 0", "expected at least 1");
    }

    @Test
    void shouldRefuseAnUnbackedInputWidthInACheckpointBeforeAllocating() throws Exception {
        Path hostile = dir.resolve("wide.safetensors");
        SafeTensors.write(hostile, List.of(), Map.of(Checkpoint.FORMAT_KEY, "1", Checkpoint.ARCHITECTURE_KEY,
            "{\"inputs\":200000000,\"layers\":[{\"type\":\"activation\",\"name\":\"a\",\"activation\":\"relu\"}]}"));
        long before = usedHeap();
        String err = refused(run("predict", "--model", hostile.toString(), "--in", x.toString(), "--out",
            dir.resolve("y.csv").toString(), "--backend", "reference"), 1, "wide.safetensors", "200000000",
            "expected at most");
        assertTrue(usedHeap() - before < 256L << 20, "no large allocation: " + err);
    }

    @Test
    void shouldRefuseATinySafetensorsFileForAHugeArchitectureBeforeAllocating() throws Exception {
        Path tiny = dir.resolve("tiny.safetensors");
        SafeTensors.write(tiny, List.of(TensorEntry.f32("0.weight", new long[] {4, 2}, new float[8]),
            TensorEntry.f32("0.bias", new long[] {4}, new float[4])), Map.of());
        long before = usedHeap();
        refused(run("import", "--format", "safetensors", "--in", tiny.toString(), "--arch", "300000000:dense(4)",
            "--out", dir.resolve("o.safetensors").toString()), 1, "tiny.safetensors", "has shape [4, 2], expected "
            + "[4, 300000000]");
        assertTrue(usedHeap() - before < 256L << 20, "no large allocation");
    }

    @Test
    void shouldRefuseAKerasModelWhoseInputWidthNoWeightBacks() throws Exception {
        Path k = Files.createDirectory(dir.resolve("keras"));
        Files.writeString(k.resolve("model.json"), "{\"format\":\"layers-model\",\"modelTopology\":{\"class_name\":"
            + "\"Sequential\",\"config\":{\"name\":\"s\",\"layers\":[{\"class_name\":\"LayerNormalization\",\"config\":"
            + "{\"name\":\"ln\",\"batch_input_shape\":[null,1000000000],\"center\":false,\"scale\":false,"
            + "\"axis\":-1,\"epsilon\":0.001}}]}},\"weightsManifest\":[{\"paths\":[\"w.bin\"],\"weights\":[]}]}");
        Files.write(k.resolve("w.bin"), new byte[0]);
        long before = usedHeap();
        refused(run("import", "--format", "keras", "--in", k.toString(), "--out", dir.resolve("o.safetensors")
            .toString()), 1, "1000000000", "expected at most");
        assertTrue(usedHeap() - before < 256L << 20, "no large allocation");
    }

    @Test
    void shouldReportHugeHiddenLayersAgainstTheHiddenOption() throws Exception {
        Path table = csv("t.csv", "a,b,label\n1,2,0\n2,3,1\n3,1,0\n4,2,1\n5,5,0\n6,1,1\n");
        refused(run("fit", "--csv", table.toString(), "--label", "label", "--out", dir.resolve("f.safetensors")
            .toString(), "--hidden", "1000000000"), 2, "--hidden 1000000000", "expected");
        refused(run("fit", "--csv", table.toString(), "--label", "label", "--out", dir.resolve("f.safetensors")
            .toString(), "--hidden", "1e9"), 2, "--hidden 1e9", "found '1e9'");
        refused(run("fit", "--csv", table.toString(), "--label", "label", "--out", dir.resolve("f.safetensors")
            .toString(), "--hidden", "60000,60000"), 2, "--hidden 60000,60000");
        refused(run("fit", "--csv", table.toString(), "--label", "label", "--out", dir.resolve("f.safetensors")
            .toString(), "--batch", "500000"), 2, "--batch 500000", "expected 1 to 256");
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    // ---- silent wrong results ----

    @Test
    void shouldRefuseCheckpointsWithNonFiniteWeightsNamingFileAndTensor() throws Exception {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            Path p = dir.resolve("bad.safetensors");
            try (ReferenceBackend b = new ReferenceBackend();
                 Network net = Network.builder(4).dense(3).relu().dense(1).sigmoid().build(b, 4, 1)) {
                float[] w = net.getParameter("dense_2.weight");
                w[1] = bad;
                net.setParameter("dense_2.weight", w);
                Checkpoint.save(net, p);
            }
            for (String cmd : new String[] {"predict", "inspect", "export"}) {
                List<String> args = new ArrayList<>(List.of(cmd, "--model", p.toString()));
                if (cmd.equals("predict")) {
                    args.addAll(List.of("--in", x.toString(), "--out", dir.resolve("y.csv").toString()));
                } else if (cmd.equals("export")) {
                    args.addAll(List.of("--onnx", dir.resolve("m.onnx").toString()));
                }
                refused(run(args.toArray(String[]::new)), 1, "bad.safetensors", "dense_2.weight", String.valueOf(bad),
                    "expected finite weights");
            }
        }
    }

    @Test
    void shouldRefuseBinaryLabelsOtherThanZeroAndOne() throws Exception {
        for (String label : new String[] {"2", "-3.5", "0.5"}) {
            Path bad = csv("bad.csv", "1,2,3,4,0\n1,2,3,4,1\n4,3,2,1," + label + "\n");
            refused(run("finetune", "--model", binary.toString(), "--train", bad.toString(), "--out",
                dir.resolve("t.safetensors").toString(), "--backend", "reference"), 1, "bad.csv", "row 3",
                "found " + label, "expected 0 or 1");
            refused(run("evaluate", "--model", binary.toString(), "--data", bad.toString(), "--backend", "reference"),
                1, "bad.csv", "found " + label, "expected 0 or 1");
        }
        assertFalse(Files.exists(dir.resolve("t.safetensors")));
    }

    @Test
    void shouldRefuseASingleClassTrainingSet() throws Exception {
        Path ones = csv("ones.csv", "1,2,3,4,1\n2,3,4,5,1\n3,4,5,6,1\n");
        refused(run("finetune", "--model", binary.toString(), "--train", ones.toString(), "--out",
            dir.resolve("t.safetensors").toString(), "--backend", "reference"), 1, "ones.csv", "every label is 1",
            "expected at least two classes");
        Path table = csv("t.csv", "a,b,label\n1,2,yes\n2,3,yes\n3,1,yes\n");
        refused(run("fit", "--csv", table.toString(), "--label", "label", "--out", dir.resolve("f.safetensors")
            .toString()), 1, "label");
    }

    @Test
    void shouldRefuseSoftmaxCrossEntropyOnOneOutput() {
        refused(run("finetune", "--model", binary.toString(), "--train", labelled.toString(), "--out",
            dir.resolve("t.safetensors").toString(), "--loss", "softmax_xent", "--backend", "reference"), 2,
            "--loss softmax_xent", "1 output", "expected");
        refused(run("finetune", "--model", regression.toString(), "--train", labelled.toString(), "--out",
            dir.resolve("t.safetensors").toString(), "--loss", "softmax_xent", "--backend", "reference"), 2,
            "--loss softmax_xent");
    }

    @Test
    void shouldRefuseToEvaluateAManyClassModelOnBinaryLabels() throws Exception {
        refused(run("evaluate", "--model", sixClass.toString(), "--data", labelled.toString(), "--backend",
            "reference"), 1, "labelled.csv", "every label is 0 or 1", "6 classes");
        // labels that use the model's classes are evaluated
        Path many = csv("many.csv", "1,2,3,4,0\n1,2,3,4,5\n4,3,2,1,2\n0,0,0,1,1\n");
        String[] r = run("evaluate", "--model", sixClass.toString(), "--data", many.toString(), "--backend",
            "reference", "--json");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("accuracy"), r[1]);
    }

    @Test
    void shouldEvaluateALinearOutputWithRegressionMetricsNotAsAClassifier() {
        String[] r = run("evaluate", "--model", regression.toString(), "--data", labelled.toString(), "--backend",
            "reference");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("RMSE") && r[1].contains("Spearman") && !r[1].contains("accuracy"), r[1]);
        refused(run("evaluate", "--model", regression.toString(), "--data", labelled.toString(), "--backend",
            "reference", "--threshold", "0.5"), 2, "--threshold 0.5", "regression model", "only for a binary");
    }

    // ---- options that do nothing ----

    @Test
    void shouldRefuseOptimizerOptionsTheOptimizerDoesNotHave() {
        String[][] cases = {
            {"--optimizer", "adam", "--momentum", "0.9"},
            {"--optimizer", "adamw", "--nesterov"},
            {"--optimizer", "sgd", "--beta1", "0.8"},
            {"--optimizer", "sgd", "--eps", "1e-8"},
            {"--optimizer", "sgd", "--beta2", "0.9"},
            {"--optimizer", "sgd", "--nesterov"},
            {"--lr-schedule", "constant", "--warmup-steps", "3"},
            {"--lr-schedule", "cosine", "--gamma", "0.5"},
            {"--lr-schedule", "step"},
            {"--patience", "3"},
        };
        for (String[] c : cases) {
            List<String> args = new ArrayList<>(List.of("finetune", "--model", binary.toString(), "--train",
                labelled.toString(), "--out", dir.resolve("t.safetensors").toString(), "--backend", "reference"));
            args.addAll(List.of(c));
            String flag = c[c.length - 1].startsWith("--") ? c[c.length - 1] : c[c.length - 2];
            if (c[0].equals("--lr-schedule") && c.length == 2) {
                flag = "--lr-schedule step";
            }
            refused(run(args.toArray(String[]::new)), 2, flag, "expected");
        }
        assertFalse(Files.exists(dir.resolve("t.safetensors")));
    }

    @Test
    void shouldRefuseArgumentsOnLayersWithoutParameters() throws Exception {
        Path w = torchWeights();
        String[][] cases = {{"4:dense(2),gelu(tanh)", "gelu_tanh"}, {"4:dense(2),relu(5)", "relu takes no argument"},
            {"4:dense(2),softmax(1)", "softmax takes no argument"}, {"4:dense(2),tanh(x)", "tanh takes no argument"}};
        for (String[] c : cases) {
            refused(run("import", "--format", "safetensors", "--in", w.toString(), "--arch", c[0], "--out",
                dir.resolve("o.safetensors").toString()), 2, "--arch", c[1]);
        }
    }

    @Test
    void shouldReadLinearWithUnitsAsADenseLayer() throws Exception {
        Path out = dir.resolve("lin.safetensors");
        String[] r = run("import", "--format", "safetensors", "--in", torchWeights().toString(), "--arch",
            "4:linear(2),relu", "--out", out.toString());
        assertEquals("0", r[0], r[2]);
        try (ReferenceBackend b = new ReferenceBackend(); Network net = Checkpoint.load(out, b, 1)) {
            assertEquals(2, net.outputs());
            assertEquals(10, net.parameters().parameterCount());
        }
    }

    private Path torchWeights() throws Exception {
        Path w = dir.resolve("torch.safetensors");
        SafeTensors.write(w, List.of(TensorEntry.f32("0.weight", new long[] {2, 4}, new float[] {1, 2, 3, 4, 5, 6, 7,
            8}), TensorEntry.f32("0.bias", new long[] {2}, new float[] {0.5f, -0.5f})), Map.of());
        return w;
    }

    // ---- bare messages ----

    @Test
    void shouldNameTheFileAndTheProblemForMissingFilesAndDirectories() throws Exception {
        refused(run("predict", "--model", "nope.safetensors", "--in", x.toString(), "--out", "y.csv"), 1,
            "--model nope.safetensors", "no such file", "expected");
        refused(run("inspect", "--model", dir.toString()), 1, dir.toString(), "is a directory", "expected a file");
        refused(run("predict", "--model", binary.toString(), "--in", x.toString(), "--out",
            dir.resolve("nodir/y.csv").toString()), 1, "--out", "nodir", "does not exist", "expected");
        refused(run("predict", "--model", binary.toString(), "--in", dir.resolve("nodir/x.csv").toString(), "--out",
            "y.csv"), 1, "--in", "x.csv", "no such file");
        refused(run("export", "--model", binary.toString(), "--onnx", dir.toString()), 1, "--onnx", "is a directory");
    }

    @Test
    void shouldTellAFileThatIsNotACheckpointSo() throws Exception {
        Path text = csv("model.csv", "1,2,3,4\n5,6,7,8\n");
        refused(run("inspect", "--model", text.toString()), 1, "model.csv", "expected a safetensors file",
            "found text");
        Path zip = dir.resolve("model.pt");
        Files.write(zip, new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0, 0, 0});
        refused(run("predict", "--model", zip.toString(), "--in", x.toString(), "--out", "y.csv"), 1, "model.pt",
            "zip archive");
        Path weights = torchWeights();
        refused(run("inspect", "--model", weights.toString()), 1, "torch.safetensors", "not a tickgrad checkpoint");
    }

    @Test
    void shouldReadACsvWithAByteOrderMarkInvisibly() throws Exception {
        Path bom = dir.resolve("bom.csv");
        Files.write(bom, ("\uFEFF" + Files.readString(x)).getBytes(StandardCharsets.UTF_8));
        Path y = dir.resolve("y.csv");
        String[] r = run("predict", "--model", binary.toString(), "--in", bom.toString(), "--out", y.toString(),
            "--backend", "reference");
        assertEquals("0", r[0], r[2]);
        assertEquals(3, Files.readAllLines(y).size());
    }

    @Test
    void shouldPrintUsageErrorsInOneLineWithStatusTwo() {
        refused(run("finetune", "--model", "m", "--train", "t", "--out", "o", "--bogus"), 2, "tickgrad finetune",
            "--bogus", "--help");
        refused(run("predict", "--model", "m", "--in", "x", "--out", "y", "--batch", "many"), 2, "--batch", "many");
        refused(run("import", "--format", "onnx", "--in", "x", "--out", "y"), 2, "--format onnx",
            "expected keras or safetensors");
    }

    // ---- work lost late ----

    @Test
    void shouldCheckTheOutputBeforeTraining() {
        long start = System.nanoTime();
        refused(run("finetune", "--model", binary.toString(), "--train", labelled.toString(), "--out",
            dir.resolve("missing/t.safetensors").toString(), "--epochs", "100000", "--backend", "reference"), 1,
            "--out", "does not exist");
        Path table = dir.resolve("t.csv");
        assertTrue((System.nanoTime() - start) / 1e9 < 10, "refused before training");
        refused(run("fit", "--csv", table.toString() + "x", "--label", "l", "--out", "o"), 1, "--csv");
    }

    // ---- not atomic ----

    @Test
    void shouldKeepThePreviousOutputWhenAWriteFails() throws Exception {
        Path y = dir.resolve("keep.csv");
        Files.writeString(y, "previous\n");
        java.io.IOException e = assertThrows(java.io.IOException.class,
            () -> io.tickgrad.util.AtomicFiles.write(y, out -> {
                out.write("partial".getBytes(StandardCharsets.UTF_8));
                throw new java.io.IOException("No space left on device");
            }));
        assertTrue(e.getMessage().contains("keep.csv"), e.getMessage());
        assertEquals("previous\n", Files.readString(y));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
        // and a command's output replaces it whole
        String[] r = run("predict", "--model", binary.toString(), "--in", x.toString(), "--out", y.toString(),
            "--backend", "reference");
        assertEquals("0", r[0], r[2]);
        assertEquals(3, Files.readAllLines(y).size());
    }

    // ---- errors outside the handler ----

    @CommandLine.Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @CommandLine.Option(names = "--kind")
        String kind;

        @Override
        public Integer call() {
            switch (kind) {
                case "oom": throw new OutOfMemoryError("Java heap space");
                case "internal": throw new InternalError("a fault in the JVM");
                case "stack": return recurse(0);
                case "npe": throw new NullPointerException();
                default: throw new java.io.UncheckedIOException(new java.io.IOException("java.io.IOException: disk "
                    + "gone"));
            }
        }

        private static int recurse(int depth) {
            return recurse(depth + 1) + 1;
        }
    }

    @Test
    void shouldReportErrorsThatAreNotExceptionsInOneLine() {
        for (String kind : new String[] {"oom", "internal", "stack", "npe", "io"}) {
            java.util.function.Supplier<CommandLine> cmd = () -> new CommandLine(new Main()).addSubcommand("boom",
                new Boom());
            String err = refused(run(cmd, "boom", "--kind", kind), 1, "tickgrad boom: ");
            if (kind.equals("oom")) {
                assertTrue(err.contains("out of memory"), err);
            }
            if (kind.equals("stack")) {
                assertTrue(err.contains("stack overflow"), err);
            }
            if (kind.equals("io")) {
                assertTrue(err.endsWith("disk gone"), err);
            }
            String[] t = run(cmd, "boom", "--kind", kind, "--stacktrace");
            assertEquals("1", t[0]);
            assertTrue(t[2].contains("\tat "), "a trace when asked: " + t[2]);
        }
    }

    // ---- what a PyTorch user expects of finetune ----

    @Test
    void shouldFineTuneWithALearningRateSchedule() throws Exception {
        for (String[] s : new String[][] {{"--lr-schedule", "cosine", "--warmup-steps", "2", "--min-lr", "0.0001"},
            {"--lr-schedule", "step", "--step-size", "3", "--gamma", "0.5"}}) {
            Path out = dir.resolve("sched.safetensors");
            List<String> args = new ArrayList<>(List.of("finetune", "--model", binary.toString(), "--train",
                labelled.toString(), "--out", out.toString(), "--epochs", "2", "--batch", "8", "--backend",
                "reference"));
            args.addAll(List.of(s));
            String[] r = run(args.toArray(String[]::new));
            assertEquals("0", r[0], r[2]);
            assertTrue(r[2].contains("schedule " + s[1]), r[2]);
            assertTrue(Files.exists(out));
        }
        refused(run("finetune", "--model", binary.toString(), "--train", labelled.toString(), "--out",
            dir.resolve("s.safetensors").toString(), "--epochs", "1", "--batch", "40", "--lr-schedule", "cosine",
            "--warmup-steps", "5", "--backend", "reference"), 2, "--warmup-steps 5", "not below the 1 steps");
    }

    @Test
    void shouldFineTuneSeveralRegressionOutputsFromSeveralLabelColumns() throws Exception {
        Path two;
        try (ReferenceBackend b = new ReferenceBackend(); Network net = Network.builder(3).dense(2).build(b, 4, 5)) {
            two = dir.resolve("two.safetensors");
            Checkpoint.save(net, two);
        }
        // y0 = x0 + x1, y1 = x2 - x0, the label columns first
        StringBuilder sb = new StringBuilder();
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < 64; i++) {
            double a = rnd.nextGaussian();
            double bb = rnd.nextGaussian();
            double c = rnd.nextGaussian();
            sb.append(a + bb).append(',').append(c - a).append(',').append(a).append(',').append(bb).append(',')
                .append(c).append('\n');
        }
        Path data = csv("reg.csv", sb.toString());
        Path out = dir.resolve("reg.safetensors");
        String[] r = run("finetune", "--model", two.toString(), "--train", data.toString(), "--out", out.toString(),
            "--label-columns", "0,1", "--loss", "mse", "--optimizer", "adam", "--lr", "0.05", "--epochs", "150",
            "--batch", "16", "--backend", "reference");
        assertEquals("0", r[0], r[2]);
        try (ReferenceBackend b = new ReferenceBackend(); Network net = Checkpoint.load(out, b, 1)) {
            float[] y = new float[2];
            net.predict(new float[] {1f, 2f, 0.5f}, 1, y);
            assertEquals(3.0, y[0], 0.15, "x0 + x1");
            assertEquals(-0.5, y[1], 0.15, "x2 - x0");
        }
        refused(run("finetune", "--model", two.toString(), "--train", data.toString(), "--out", out.toString(),
            "--label-columns", "0", "--loss", "mse", "--backend", "reference"), 2, "--label-columns",
            "1 label column(s) for a model with 2 output(s)");
    }
}
