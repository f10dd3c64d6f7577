package io.tickgrad.cli;

import io.tickgrad.model.Checkpoint;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Layer;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.reference.ReferenceBackend;
import io.tickgrad.tensor.ParamEntry;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Show a checkpoint's architecture, tensors, trainable flags and metadata.")
final class InspectCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "checkpoint (.safetensors)")
    Path model;

    @Override
    public Integer call() {
        CliFiles.requireInputFile(model, "--model");
        Map<String, String> meta = Checkpoint.readMetadata(model);
        try (Backend backend = new ReferenceBackend(); Network net = Checkpoint.load(model, backend, 1)) {
            System.out.println(model + ": " + net.inputs() + " inputs -> " + net.outputs() + " outputs, "
                + net.parameters().parameterCount() + " parameters (" + net.parameters().trainableParameterCount()
                + " trainable)");
            System.out.println("layers:");
            for (Layer l : net.layers()) {
                System.out.println("  " + l);
            }
            System.out.println("tensors:");
            for (ParamEntry e : net.parameters().entries()) {
                System.out.println("  " + e.name() + " " + Arrays.toString(e.shape())
                    + (e.trainable() ? "" : " frozen"));
            }
        }
        System.out.println("metadata:");
        for (Map.Entry<String, String> e : meta.entrySet()) {
            String v = e.getValue();
            System.out.println("  " + e.getKey() + " = " + (v.length() > 200 ? v.substring(0, 200) + "..." : v));
        }
        return 0;
    }
}
