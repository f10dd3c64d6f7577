package io.tickgrad.model.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.reference.ReferenceBackend;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shipped chart-pattern model and its TF.js golden values are, and a backend to run it on. */
final class ChartPatternFiles {
    static final String MODEL_DIR = "models/chart-patterns/tf_model";
    static final String GOLDEN = "/io/tickgrad/model/keras/chart-patterns-tfjs.json";

    private ChartPatternFiles() {
    }

    /** The shipped tf_model directory, found from the working directory upwards (Maven runs tests in java/). */
    static Path modelDir() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve(MODEL_DIR);
            if (Files.isRegularFile(candidate.resolve("model.json"))) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException(MODEL_DIR + "/model.json not found above " + Path.of("").toAbsolutePath());
    }

    /** Output of models/chart-patterns/tfjs-reference.js: upstream preprocessing and TF.js predictions. */
    static JsonNode golden() throws IOException {
        try (InputStream in = ChartPatternFiles.class.getResourceAsStream(GOLDEN)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + GOLDEN + " missing");
            }
            return new ObjectMapper().readTree(in);
        }
    }

    /** The Java reference backend (double precision): the oracle for the importer's predictions. */
    static Backend backend() {
        return new ReferenceBackend();
    }
}
