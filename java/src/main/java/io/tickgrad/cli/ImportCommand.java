package io.tickgrad.cli;

import io.tickgrad.model.Architecture;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.model.TorchImporter;
import io.tickgrad.model.keras.ImportedModel;
import io.tickgrad.model.keras.KerasModelImporter;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.reference.ReferenceBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "import", mixinStandardHelpOptions = true,
    description = "Convert a Keras / TensorFlow.js layers model or PyTorch safetensors weights into a tickgrad checkpoint.")
final class ImportCommand implements Callable<Integer> {
    @Option(names = "--format", required = true, description = "keras or safetensors")
    String format;

    @Option(names = "--in", required = true, description = "keras: model.json or its directory; safetensors: the file")
    Path in;

    @Option(names = "--out", required = true, description = "the tickgrad checkpoint to write")
    Path out;

    @Option(names = "--arch", description = "safetensors: the architecture, compact (400:dense(256),relu,dense(6),softmax) "
        + "or a JSON file")
    String arch;

    @Option(names = "--prefix", defaultValue = "", description = "safetensors: prefix of the Sequential's tensor names")
    String prefix;

    @Option(names = "--map", description = "safetensors: tickgradName=fileName, repeatable")
    List<String> map;

    @Override
    public Integer call() throws Exception {
        if (!"keras".equals(format) && !"safetensors".equals(format)) {
            throw new OptionException("--format " + format, "unknown format", "expected keras or safetensors");
        }
        if ("keras".equals(format)) {
            CliFiles.requireExisting(in, "--in");
            if (arch != null || map != null || !prefix.isEmpty()) {
                throw new OptionException(arch != null ? "--arch" : map != null ? "--map" : "--prefix",
                    "given with --format keras, whose model.json carries the architecture and names",
                    "expected it only with --format safetensors");
            }
        } else {
            CliFiles.requireInputFile(in, "--in");
        }
        CliFiles.requireOutput(out, "--out");
        try (ReferenceBackend backend = new ReferenceBackend()) {
            Network net;
            if ("keras".equals(format)) {
                ImportedModel model = KerasModelImporter.read(in);
                net = model.toNetwork(backend, 1);
            } else if ("safetensors".equals(format)) {
                if (arch == null) {
                    throw new OptionException("--format safetensors", "without --arch (the weights carry no "
                        + "architecture)", "expected --arch INPUTS:layer,... as in 32:dense(64),relu,dense(1)");
                }
                Architecture a;
                if (arch.endsWith(".json")) {
                    CliFiles.requireInputFile(Path.of(arch), "--arch");
                    a = Architecture.fromJson(Files.readString(Path.of(arch)), arch, "architecture");
                } else {
                    try {
                        a = Architecture.parseSpec(arch);
                    } catch (IllegalArgumentException e) {
                        throw new OptionException("--arch", e.getMessage(), "expected INPUTS:layer,... as in "
                            + "32:dense(64),relu,dense(1)");
                    }
                }
                Map<String, String> overrides = new LinkedHashMap<>();
                if (map != null) {
                    for (String m : map) {
                        int eq = m.indexOf('=');
                        if (eq < 1) {
                            throw new OptionException("--map " + m, "no '=' between two names",
                                "expected tickgradName=fileName");
                        }
                        overrides.put(m.substring(0, eq), m.substring(eq + 1));
                    }
                }
                net = TorchImporter.importSequential(in, a, backend, 1, prefix, overrides);
            } else {
                throw new OptionException("--format " + format, "unknown format", "expected keras or safetensors");
            }
            try (net) {
                Checkpoint.save(net, out, Map.of("tickgrad.source", in.getFileName().toString()));
                System.err.println("tickgrad import: " + net.inputs() + " inputs -> " + net.outputs() + " outputs, "
                    + net.parameters().parameterCount() + " parameters -> " + out);
            }
        }
        return 0;
    }
}
