package io.tickgrad.online;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.model.Checkpoint;
import io.tickgrad.model.TensorEntry;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.serve.ServingModel;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints written before the optimizer named its own state still resume: the fixture
 * {@code online/legacy-adam-moments.safetensors} was written by the online learning of commit 44ae262 (a 32-4-1
 * network, 440 Adam steps), when {@code train/OnlineLearner} spelled the names {@code optimizer.adam.m.} and
 * {@code optimizer.adam.v.} itself.
 */
class LegacyCheckpointTest {
    private static final String FIXTURE = "/online/legacy-adam-moments.safetensors";

    @Test
    void shouldResumeACheckpointWrittenInTheOldNamingWithItsMoments(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("checkpoint-000000000010.safetensors");
        try (InputStream in = LegacyCheckpointTest.class.getResourceAsStream(FIXTURE)) {
            assertNotNull(in, FIXTURE);
            Files.copy(in, file);
        }
        OnlineCheckpoints.Resume resume = OnlineCheckpoints.latest(dir);
        assertNotNull(resume);
        assertEquals(440, resume.optimizerSteps());
        assertEquals(989, resume.trainedThrough());
        Map<String, TensorEntry> saved = Checkpoint.readState(file);
        assertEquals(new TreeSet<>(List.of("optimizer.adam.m.dense_0.weight", "optimizer.adam.v.dense_0.weight",
            "optimizer.adam.m.dense_0.bias", "optimizer.adam.v.dense_0.bias", "optimizer.adam.m.dense_2.weight",
            "optimizer.adam.v.dense_2.weight", "optimizer.adam.m.dense_2.bias", "optimizer.adam.v.dense_2.bias")),
            new TreeSet<>(saved.keySet()), "the fixture holds the old names");
        try (NativeCpuBackend backend = NativeCpuBackend.create();
             ServingModel model = ServingModel.load(file, backend);
             OnlineLearner learner = new OnlineLearner(model.network(), OnlineConfig.defaults())) {
            assertTrue(learner.restoreOptimizerState(saved, resume.optimizerSteps()), "the old moments are taken back");
            assertEquals(440, learner.optimizerSteps());
            List<TensorEntry> live = learner.optimizerState();
            assertEquals(saved.size(), live.size());
            for (TensorEntry t : live) {
                assertArrayEquals(saved.get(t.name()).data(), t.data(), t.name());
            }
        }
    }
}
