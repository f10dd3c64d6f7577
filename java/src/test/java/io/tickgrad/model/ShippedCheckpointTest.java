package io.tickgrad.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickgrad.model.keras.ImportedModel;
import io.tickgrad.model.keras.KerasModelImporter;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.reference.ReferenceBackend;
import io.tickgrad.tensor.ParamEntry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The converted checkpoint shipped in models/ is exactly the import of the shipped TF.js files. */
class ShippedCheckpointTest {
    @Test
    void shippedCheckpointEqualsTheImportOfTheUpstreamFilesBitForBit() throws Exception {
        ImportedModel imported = KerasModelImporter.read(Path.of("../models/chart-patterns/tf_model"));
        try (ReferenceBackend backend = new ReferenceBackend();
             Network fromKeras = imported.toNetwork(backend, 1);
             Network shipped = Checkpoint.load(Path.of("../models/chart-patterns/chart-patterns.safetensors"), backend, 1)) {
            assertEquals(Architecture.of(fromKeras).toJson(), Architecture.of(shipped).toJson());
            for (ParamEntry e : fromKeras.parameters().entries()) {
                float[] a = fromKeras.getParameter(e.name());
                float[] b = shipped.getParameter(e.name());
                assertEquals(a.length, b.length, e.name());
                for (int i = 0; i < a.length; i++) {
                    assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), e.name() + "[" + i + "]");
                }
                assertEquals(e.trainable(), shipped.parameters().get(e.name()).trainable(), e.name());
            }
        }
    }
}
