package io.tickgrad.nn.cuda;

import static io.tickgrad.cli.CliCapture.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.tickgrad.model.Checkpoint;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.reference.ReferenceBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the CUDA backend cannot run (no GPU, no driver, or a library built without nvcc), asking for it fails
 * with one line that says why: the library throws, the CLI exits 1. Skipped on a machine with a GPU, where
 * {@link CudaBackendTest} runs instead.
 */
class CudaBackendRefusalTest {
    /** What the one line must name: the GPU, the driver or the library that is missing. */
    private static final Pattern NAMES_WHAT_IS_MISSING = Pattern.compile("no GPU|driver|not built");

    @TempDir
    Path dir;

    @BeforeEach
    void onlyWithoutAGpu() {
        assumeFalse(CudaRuntime.detect().available(), "a GPU is here: the refusal cannot be tested");
    }

    @Test
    void shouldThrowAClearExceptionFromTheLibrary() {
        IllegalStateException e = assertThrows(IllegalStateException.class, CudaBackend::create);
        assertTrue(e.getMessage().startsWith(CudaRuntime.UNAVAILABLE), e.getMessage());
        assertTrue(NAMES_WHAT_IS_MISSING.matcher(e.getMessage()).find(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void shouldRefuseTheRunnerToo() {
        assertThrows(IllegalStateException.class, () -> CudaNetwork.create(new int[] {10, 5, 3},
            io.tickgrad.nativeio.Abi.ACT_RELU, true, 1, 4, io.tickgrad.nativeio.Abi.LOSS_SOFTMAX_XENT, 0f,
            CudaNetwork.Optimizer.sgd(0.01f, 0f, 0f, false)));
    }

    @Test
    void shouldExitOneWithOneLineFromPredictAndFinetune() throws IOException {
        Path model = dir.resolve("m.safetensors");
        try (ReferenceBackend backend = new ReferenceBackend();
             Network net = Network.builder(3).dense(4).relu().dense(2).softmax().build(backend, 4, 1)) {
            Checkpoint.save(net, model);
        }
        Path x = Files.writeString(dir.resolve("x.csv"), "0.1,0.2,0.3\n0.4,0.5,0.6\n");
        Path train = Files.writeString(dir.resolve("train.csv"), "0.1,0.2,0.3,1\n0.4,0.5,0.6,0\n");
        String[][] commands = {
            {"predict", "--backend", "cuda", "--model", model.toString(), "--in", x.toString(), "--out",
                dir.resolve("y.csv").toString()},
            {"finetune", "--backend", "cuda", "--model", model.toString(), "--train", train.toString(), "--out",
                dir.resolve("tuned.safetensors").toString(), "--epochs", "1"},
        };
        for (String[] args : commands) {
            String[] r = run(args);
            assertEquals("1", r[0], args[0] + " exit code; stderr: " + r[2]);
            String err = r[2].strip();
            assertFalse(err.contains("\n"), args[0] + " prints one line: " + err);
            assertTrue(err.startsWith("tickgrad " + args[0] + ": " + CudaRuntime.UNAVAILABLE), err);
            assertTrue(NAMES_WHAT_IS_MISSING.matcher(err).find(), err);
            assertFalse(Files.exists(dir.resolve("y.csv")) || Files.exists(dir.resolve("tuned.safetensors")),
                "nothing written");
        }
    }

}
