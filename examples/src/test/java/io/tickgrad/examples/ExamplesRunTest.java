package io.tickgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.io.ChroniclePredictionSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Runs every example as README shows it and checks what it printed. */
class ExamplesRunTest {
    @Test
    void quickStartLearnsTheRuleAndPredictsIt() throws Exception {
        String out = ExampleOutput.of(() -> QuickStart.main(new String[0]));
        Matcher m = Pattern.compile("loss (\\S+) after 400 steps; p\\(up\\) = (\\S+) for").matcher(out);
        assertTrue(m.find(), "QuickStart printed: " + out);
        double loss = Double.parseDouble(m.group(1));
        double p = Double.parseDouble(m.group(2));
        // a linear rule of two Gaussian features: chance level is a loss of 0.693 and p = 0.5
        assertTrue(loss < 0.3, "training loss " + loss + " should fall well below chance (0.693)");
        assertTrue(p > 0.8, "p(up) " + p + " for a clearly positive sample should be high");
    }

    @Test
    void fineTuneChartNetworkEvaluatesAndSaves() throws Exception {
        Path out = Path.of("target/examples/updown-tuned.safetensors");
        Files.deleteIfExists(out);
        String printed = ExampleOutput.of(() -> FineTuneChartNetwork.main(new String[0]));
        Matcher m = Pattern.compile("test samples (\\d+)").matcher(printed);
        assertTrue(m.find(), "FineTuneChartNetwork printed: " + printed);
        assertTrue(Integer.parseInt(m.group(1)) > 100, printed);
        assertTrue(printed.contains("accuracy"), printed);
        assertTrue(Files.size(out) > 1_000_000, "the tuned checkpoint holds the 367k-weight network: " + out);
    }

    @Test
    void inProcessStrategyResumesAndPredictsOnlyTheNewTicks() throws Exception {
        String out = ExampleOutput.of(() -> InProcessStrategy.main(new String[0]));
        Matcher first = Pattern.compile("first session: ticks (\\d+) \\(warm-up (\\d+)\\), predictions (\\d+): "
            + "(\\d+) long, (\\d+) short, (\\d+) flat").matcher(out);
        assertTrue(first.find(), out);
        int valid = Integer.parseInt(first.group(1));          // valid ticks: the bundled data has a few bad ones
        int warmUp = Integer.parseInt(first.group(2));
        int firstPredictions = Integer.parseInt(first.group(3));
        assertTrue(valid > 14_900 && warmUp > 0, out);
        assertEquals(valid - warmUp, firstPredictions, "every valid tick after the warm-up: " + out);
        assertEquals(firstPredictions, Integer.parseInt(first.group(4)) + Integer.parseInt(first.group(5))
            + Integer.parseInt(first.group(6)), "the callback saw each prediction");
        Matcher resume = Pattern.compile("resuming from checkpoint (\\S+)/checkpoints/").matcher(out);
        assertTrue(resume.find(), out);
        assertTrue(out.contains("ticks up to it are not predicted again"), out);
        Matcher resumed = Pattern.compile("resumed session: ticks \\d+ \\(warm-up \\d+\\), predictions (\\d+):")
            .matcher(out);
        assertTrue(resumed.find(), out);
        int resumedPredictions = Integer.parseInt(resumed.group(1));
        assertTrue(resumedPredictions > 14_900 && resumedPredictions <= 15_000, "about the 15,000 new ticks: " + out);

        // the predictions queue: each tick at most once, in order, through the last tick
        List<Long> sequences = new ArrayList<>();
        Path predictions = Path.of(resume.group(1), "predictions");
        try (ChroniclePredictionSource source = ChroniclePredictionSource.open(predictions)) {
            while (source.poll(p -> sequences.add(p.tickSequence()), 4096) > 0) {
                // drain
            }
        }
        assertEquals(firstPredictions + resumedPredictions, sequences.size());
        for (int i = 1; i < sequences.size(); i++) {
            assertTrue(sequences.get(i) > sequences.get(i - 1), "tick " + sequences.get(i) + " after "
                + sequences.get(i - 1) + ": predicted twice or out of order");
        }
        assertEquals(29_999L, sequences.get(sequences.size() - 1));
    }

    @Test
    void inProcessBacktestReplaysFrozenAndOnline() throws Exception {
        String out = ExampleOutput.of(() -> InProcessBacktest.main(new String[0]));
        Pattern line = Pattern.compile("(frozen|online): (\\d+) predictions, ROC AUC (\\S+), net (\\S+) bps over "
            + "(\\d+) trades, (\\d+) weight revisions");
        Matcher m = line.matcher(out);
        assertTrue(m.find() && m.group(1).equals("frozen"), out);
        long frozenPredictions = Long.parseLong(m.group(2));
        String frozenAuc = m.group(3);
        assertEquals("0", m.group(6), "frozen weights publish no revision: " + out);
        assertTrue(m.find() && m.group(1).equals("online"), out);
        assertEquals(frozenPredictions, Long.parseLong(m.group(2)), "the same ticks predicted: " + out);
        assertTrue(frozenPredictions > 30_000, "the days after the training span: " + out);
        assertTrue(Long.parseLong(m.group(6)) > 0, "online learning published weights: " + out);
        assertTrue(!frozenAuc.equals(m.group(3)), "online scores differ from the frozen ones: " + out);
    }
}
