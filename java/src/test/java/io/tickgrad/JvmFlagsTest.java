package io.tickgrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Without the JVM flags, the first tickgrad call fails with one line naming the flag, not Agrona's trace. */
class JvmFlagsTest {
    /** The child JVM's program: the first lines of README's QuickStart. */
    public static final class FirstCall {
        public static void main(String[] args) {
            try (NativeCpuBackend backend = NativeCpuBackend.create();
                 Network net = Network.builder(4).dense(1).build(backend, 1, 7)) {
                System.out.println("built " + net);
            } catch (IllegalStateException e) {
                System.out.println("ERROR " + e.getMessage());
            }
        }
    }

    @Test
    void thisJvmHasTheFlags() {
        assertTrue(JvmFlags.missing(List.of(JvmFlags.CORE_FLAG)).isEmpty());
        assertTrue(JvmFlags.missing(JvmFlags.QUEUE_FLAGS).isEmpty());
        JvmFlags.requireCore();
        JvmFlags.requireQueues();
    }

    @Test
    void withoutTheCoreFlagTheFirstCallNamesIt() throws Exception {
        String out = runChild(List.of());
        assertTrue(out.startsWith("ERROR tickgrad needs the JVM flag " + JvmFlags.CORE_FLAG + " "), out);
        assertEquals(1, out.strip().lines().count(), out);
        assertFalse(out.contains("UnsafeApi"), out);
    }

    @Test
    void withTheCoreFlagTheFirstCallWorks() throws Exception {
        String out = runChild(List.of(JvmFlags.CORE_FLAG));
        assertTrue(out.startsWith("built "), out);
    }

    @Test
    void aMissingQueueFlagIsNamed() {
        List<String> flags = List.of("--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-exports=java.base/sun.security.x509=ALL-UNNAMED");   // this one Surefire does not give
        assertEquals(List.of("--add-exports=java.base/sun.security.x509=ALL-UNNAMED"), JvmFlags.missing(flags));
    }

    private static String runChild(List<String> flags) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(flags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(FirstCall.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        return out;
    }
}
