package io.tickgrad.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.market.FeatureSpec;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.model.SafeTensors;
import io.tickgrad.model.SafeTensorsFile;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.tensor.ParamEntry;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model image opens networks equal, bit for bit and flag for flag, to what the file holds, each its own, and
 * leaves the image as it was.
 */
class ModelImageTest {
    static final Path MODEL = Path.of("../models/updown/updown.safetensors").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    /** The shipped model saved again with flags (frozen, learning-rate scale, weight decay) off their defaults. */
    private Path modelWithFlags(Backend backend) {
        Path file = tmp.resolve("flags.safetensors");
        try (ServingModel m = ServingModel.load(MODEL, backend)) {
            Network net = m.network();
            net.freezeFirst(1);
            List<ParamEntry> entries = net.parameters().entries();
            entries.get(entries.size() - 1).setLearningRateScale(0.25f);
            entries.get(entries.size() - 2).setWeightDecayed(false);
            Checkpoint.save(net, file, Map.of(FeatureSpec.METADATA_KEY, m.features().toJson()));
        }
        return file;
    }

    @Test
    void opensNetworksThatHoldTheFileBitForBitWithItsFlagsSpecAndVersion() throws Exception {
        try (Backend backend = NativeCpuBackend.create()) {
            Path file = modelWithFlags(backend);
            SafeTensorsFile onDisk = SafeTensors.read(file);
            ModelImage image = ModelImage.read(file);
            assertEquals(ServingModel.versionOf(file), image.version());
            assertEquals(FeatureSpec.fromMetadata(onDisk.metadata(), "x"), image.features());
            try (ServingModel a = image.open(backend); ServingModel b = image.open(backend)) {
                assertNotSame(a.network(), b.network());
                assertEquals(file, a.file());
                assertEquals(image.version(), a.version());
                List<ParamEntry> entries = a.network().parameters().entries();
                assertTrue(entries.size() > 2);
                boolean frozen = false;
                for (ParamEntry e : entries) {
                    float[] want = onDisk.tensor(e.name()).data();
                    float[] got = a.network().getParameter(e.name());
                    assertEquals(want.length, got.length, e.name());
                    for (int i = 0; i < want.length; i++) {
                        assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]), e.name());
                    }
                    frozen |= !e.trainable();
                }
                assertTrue(frozen, "the first layer was saved frozen");
                assertEquals(0.25f, entries.get(entries.size() - 1).learningRateScale());
                assertEquals(false, entries.get(entries.size() - 2).weightDecayed());
                // flags equal those of the file loaded the long way (Checkpoint.load) too
                try (Network loaded = Checkpoint.load(file, backend, 1)) {
                    for (int i = 0; i < entries.size(); i++) {
                        ParamEntry x = loaded.parameters().entries().get(i);
                        assertEquals(x.trainable(), entries.get(i).trainable(), x.name());
                        assertEquals(x.learningRateScale(), entries.get(i).learningRateScale(), x.name());
                        assertEquals(x.weightDecayed(), entries.get(i).weightDecayed(), x.name());
                    }
                }
                // each model owns its weights: training one changes neither the other nor later opens
                String first = entries.get(0).name();
                float[] before = b.network().getParameter(first);
                a.network().setParameter(first, new float[before.length]);
                entries.get(entries.size() - 1).setLearningRateScale(9f);
                assertArrayEquals(before, b.network().getParameter(first));
                try (ServingModel c = image.open(backend)) {
                    assertArrayEquals(before, c.network().getParameter(first));
                    List<ParamEntry> ce = c.network().parameters().entries();
                    assertEquals(0.25f, ce.get(ce.size() - 1).learningRateScale());
                }
            }
        }
    }

    @Test
    void refusesWhatLoadRefusesNamingTheFile() {
        Path missing = tmp.resolve("missing.safetensors");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> ModelImage.read(missing));
        assertTrue(e.getMessage().contains("missing.safetensors"), e.getMessage());
    }
}
