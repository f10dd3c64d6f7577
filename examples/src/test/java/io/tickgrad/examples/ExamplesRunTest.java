package io.tickgrad.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
