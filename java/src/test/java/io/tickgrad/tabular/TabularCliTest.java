package io.tickgrad.tabular;

import static io.tickgrad.cli.CliCapture.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.reference.ReferenceBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tickgrad fit, then predict and evaluate on raw rows of the same CSV shape; numeric CSVs keep working. */
class TabularCliTest {


    @Test
    void shouldFitThenPredictAndEvaluateRawRows(@TempDir Path dir) throws Exception {
        List<String> lines = Files.readAllLines(CreditData.path());
        Path train = dir.resolve("train.csv");
        Path test = dir.resolve("test.csv");
        Files.write(train, lines.subList(0, 3601));
        List<String> testLines = new java.util.ArrayList<>(lines.subList(3601, lines.size()));
        testLines.add(0, lines.get(0));
        Files.write(test, testLines);
        Path model = dir.resolve("credit.safetensors");

        String[] fit = run("fit", "--csv", train.toString(), "--label", "Status", "--positive", "bad", "--out",
            model.toString(), "--epochs", "20", "--baseline", "--json");
        assertEquals("0", fit[0], fit[2]);
        JsonNode fitJson = new ObjectMapper().readTree(fit[1]);
        assertTrue(fitJson.at("/model/validation/roc_auc").asDouble() > 0.7, fit[1]);
        assertTrue(fitJson.at("/logistic_regression/validation/roc_auc").asDouble() > 0.7, fit[1]);
        assertEquals("logistic_regression", fitJson.at("/logistic_regression/architecture").asText());

        String[] eval = run("evaluate", "--model", model.toString(), "--data", test.toString(), "--json");
        assertEquals("0", eval[0], eval[2]);
        JsonNode m = new ObjectMapper().readTree(eval[1]);
        assertEquals(testLines.size() - 1, m.get("samples").asInt());
        for (String key : new String[] {"accuracy", "precision", "recall", "f1", "roc_auc", "pr_auc", "log_loss",
            "brier"}) {
            assertTrue(m.get(key).isNumber(), key);
        }
        assertTrue(m.get("roc_auc").asDouble() > 0.7, eval[1]);
        assertEquals(10, m.get("calibration").size());
        assertTrue(m.at("/confusion_matrix/true_positive").asLong() > 0);

        String[] text = run("evaluate", "--model", model.toString(), "--data", test.toString(), "--threshold", "0.5");
        assertEquals("0", text[0], text[2]);
        assertTrue(text[1].contains("threshold 0.5000") && text[1].contains("calibration"), text[1]);

        // predict takes rows without the label, with an unseen category: scored, warned about by line and column
        Path raw = dir.resolve("raw.csv");
        Files.writeString(raw, "Seniority,Home,Time,Age,Marital,Records,Job,Expenses,Income,Assets,Debt,Amount,Price\n"
            + "9,rent,60,30,married,no,freelance,73,129,0,0,800,846\n"
            + "0,castle,36,22,single,yes,partime,35,,0,0,1000,1100\n");
        Path scores = dir.resolve("scores.csv");
        String[] pred = run("predict", "--model", model.toString(), "--in", raw.toString(), "--out", scores.toString(),
            "--keep", "Job");
        assertEquals("0", pred[0], pred[2]);
        List<String> out = Files.readAllLines(scores);
        assertEquals(3, out.size());
        assertEquals("Job,probability,prediction", out.get(0));
        assertTrue(out.get(1).matches("freelance,[0-9.E-]+,(good|bad)"), out.get(1));
        assertTrue(pred[2].contains("line 3, column 'Home': unknown category 'castle'"), pred[2]);

        String[] bad = run("predict", "--model", model.toString(), "--in", dir.resolve("nope.csv").toString(),
            "--out", scores.toString());
        assertEquals("1", bad[0]);
        assertTrue(bad[2].contains("no such file"), bad[2]);
    }

    @Test
    void shouldFineTuneFromThePretrainedCheckpointOnTheCommandLine(@TempDir Path dir) throws Exception {
        List<String> lines = Files.readAllLines(CreditData.path());
        Path big = dir.resolve("big.csv");
        Path small = dir.resolve("small.csv");
        Files.write(big, lines.subList(0, 3001));
        List<String> smallLines = new java.util.ArrayList<>(lines.subList(3001, 3501));
        smallLines.add(0, lines.get(0));
        Files.write(small, smallLines);
        Path pre = dir.resolve("pre.safetensors");
        Path tuned = dir.resolve("tuned.safetensors");
        assertEquals("0", run("fit", "--csv", big.toString(), "--label", "Status", "--out", pre.toString(),
            "--epochs", "10")[0]);
        String[] ft = run("fit", "--csv", small.toString(), "--label", "Status", "--out", tuned.toString(),
            "--pretrained", pre.toString(), "--epochs", "10", "--class-weight", "balanced", "--threshold-goal",
            "recall=0.8");
        assertEquals("0", ft[0], ft[2]);
        try (ReferenceBackend b = new ReferenceBackend(); TabularModel m = TabularModel.load(tuned, b)) {
            assertEquals(ThresholdGoal.targetRecall(0.8), m.thresholdGoal());
            assertTrue(m.network().parameters().trainableParameterCount() < m.network().parameters().parameterCount());
        }
    }

    @Test
    void shouldKeepPredictAndEvaluateForNumericCsvsWithoutAHeader(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("numeric.safetensors");
        try (ReferenceBackend b = new ReferenceBackend(); Network net = Network.builder(2).dense(1).sigmoid()
            .build(b, 4, 1)) {
            Checkpoint.save(net, model);
        }
        Path in = dir.resolve("x.csv");
        Files.writeString(in, "0.5,1.5\n-1,2\n");
        Path out = dir.resolve("y.csv");
        assertEquals("0", run("predict", "--model", model.toString(), "--in", in.toString(), "--out", out.toString())[0]);
        assertEquals(2, Files.readAllLines(out).size());
        String[] keep = run("predict", "--model", model.toString(), "--in", in.toString(), "--out", out.toString(),
            "--keep", "id");
        assertEquals("1", keep[0]);
        assertTrue(keep[2].contains("--keep needs a tabular model"), keep[2]);
        Path labelled = dir.resolve("l.csv");
        Files.writeString(labelled, "0.5,1.5,1\n-1,2,0\n");
        String[] eval = run("evaluate", "--model", model.toString(), "--data", labelled.toString(), "--json");
        assertEquals("0", eval[0], eval[2]);
        assertEquals(0.5, new ObjectMapper().readTree(eval[1]).get("threshold").asDouble(), 0);
    }
}
