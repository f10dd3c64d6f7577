package io.tickgrad.backtest.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.serve.ModelImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process reads each model file once for all its sweep tasks, and again when the file changes. */
class ModelImagesTest {
    static final Path MODEL = Path.of("../models/updown/updown.safetensors").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @AfterEach
    void forget() {
        ModelImages.clear();
    }

    @Test
    void readsAFileOnceAndAgainWhenItIsWrittenAnew() throws Exception {
        ModelImages.clear();
        Path file = tmp.resolve("m.safetensors");
        Files.copy(MODEL, file);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        ModelImage a = ModelImages.of(file);
        assertSame(a, ModelImages.of(file));
        assertSame(a, ModelImages.of(tmp.resolve("./m.safetensors")));   // the same file by another path
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-02T00:00:00Z")));
        ModelImage b = ModelImages.of(file);
        assertNotSame(a, b);
        assertEquals(a.version(), b.version());   // same bytes, read again
    }

    @Test
    void holdsAFewModelsAtMostAndCachesNoFailure() throws Exception {
        ModelImages.clear();
        for (int i = 0; i < ModelImages.MAX_MODELS + 3; i++) {
            Path file = tmp.resolve("m" + i + ".safetensors");
            Files.copy(MODEL, file);
            ModelImages.of(file);
            assertTrue(ModelImages.size() <= ModelImages.MAX_MODELS, "size " + ModelImages.size());
        }
        Path bad = tmp.resolve("bad.safetensors");
        Files.writeString(bad, "not a model");
        int before = ModelImages.size();
        RuntimeException e = assertThrows(RuntimeException.class, () -> ModelImages.of(bad));
        assertTrue(e.getMessage().contains("bad.safetensors"), e.getMessage());
        assertEquals(before, ModelImages.size());
        assertThrows(RuntimeException.class, () -> ModelImages.of(tmp.resolve("none.safetensors")));
    }
}
