package io.tickgrad.cli;

import io.tickgrad.model.Checkpoint;
import io.tickgrad.model.onnx.OnnxExporter;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.reference.ReferenceBackend;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true, description = "Export a checkpoint as an ONNX model (opset 17).")
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "checkpoint (.safetensors)")
    Path model;

    @Option(names = "--onnx", required = true, description = "the .onnx file to write")
    Path onnx;

    @Override
    public Integer call() throws Exception {
        CliFiles.requireInputFile(model, "--model");
        CliFiles.requireOutput(onnx, "--onnx");
        try (ReferenceBackend backend = new ReferenceBackend(); Network net = Checkpoint.load(model, backend, 1)) {
            OnnxExporter.export(net, onnx);
            System.err.println("tickgrad export: " + onnx + " (input 'input' [batch, " + net.inputs()
                + "], output 'output' [batch, " + net.outputs() + "])");
        }
        return 0;
    }
}
