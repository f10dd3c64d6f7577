package io.tickgrad.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.io.ChronicleTickWriter;
import io.tickgrad.market.TestTicks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code tickgrad serve} process that refuses its arguments exits with status 1 and says why: its shutdown hook,
 * which waits for serving to finish, must not be left waiting by an error raised before serving starts.
 */
class ServeErrorExitTest {
    @Test
    void shouldExitPromptlyWithTheReasonWhenServeRefusesItsArguments(@TempDir Path dir) throws Exception {
        Path ticks = dir.resolve("ticks");
        try (ChronicleTickWriter writer = ChronicleTickWriter.open(ticks)) {
            writer.onTick(TestTicks.trade(TestTicks.scratch(), 0, 100, 1));
        }
        Process child = new ProcessBuilder(ChildJvm.tickgrad("serve", "--ticks", ticks.toString(), "--predictions",
            dir.resolve("predictions").toString(), "--model", dir.resolve("m.safetensors").toString(), "--checkpoints",
            dir.resolve("checkpoints").toString())).redirectErrorStream(true).start();
        boolean exited = child.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly().waitFor();
        }
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(exited, "serve did not exit within 60 s after refusing its arguments:\n" + out);
        assertEquals(1, child.exitValue(), out);
        assertTrue(out.contains("--checkpoints needs --online"), out);
    }
}
