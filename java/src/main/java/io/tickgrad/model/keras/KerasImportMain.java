package io.tickgrad.model.keras;

import io.tickgrad.nn.Layer;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Imports a TF.js layers model from the command line, until {@code tickgrad import} takes this over:
 * validates it, prints a summary and a SHA-256 over all parameter values (tickgrad order, little-endian
 * float32), and with {@code --out} writes a tickgrad checkpoint.
 *
 * <pre>usage: KerasImportMain &lt;model.json | directory&gt; [--out &lt;checkpoint file&gt;]</pre>
 *
 * Exit codes: 0 done, 1 the model was refused or could not be read, 2 usage error, 3 the model is valid but
 * this build has no checkpoint writer ({@code io.tickgrad.model.Checkpoint}), so nothing was written.
 */
public final class KerasImportMain {
    private KerasImportMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Path model = null;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--out") && i + 1 < args.length) {
                out = Path.of(args[++i]);
            } else if (args[i].startsWith("-") || model != null) {
                System.err.println("usage: KerasImportMain <model.json | directory> [--out <checkpoint file>]");
                return 2;
            } else {
                model = Path.of(args[i]);
            }
        }
        if (model == null) {
            System.err.println("usage: KerasImportMain <model.json | directory> [--out <checkpoint file>]");
            return 2;
        }
        ImportedModel imported;
        try {
            imported = KerasModelImporter.read(model);
        } catch (Exception e) {
            System.err.println("import failed: " + e.getMessage());
            return 1;
        }
        System.out.println("model     " + imported.source());
        System.out.println("keras     " + (imported.kerasVersion().isEmpty() ? "(not stated)" : imported.kerasVersion()));
        System.out.println("inputs    " + imported.inputs());
        for (Layer l : imported.layers()) {
            System.out.println("layer     " + l.type() + " '" + l.name() + "' " + l.config());
        }
        System.out.println("outputs   " + imported.outputs());
        long trainable = 0;
        for (String p : imported.parameterNames()) {
            if (imported.isTrainable(p)) {
                trainable += imported.parameter(p).length;
            }
        }
        System.out.println("params    " + imported.parameterCount() + " (" + trainable + " trainable)");
        System.out.println("sha256    " + parameterDigest(imported) + " (parameter values, little-endian float32)");
        if (out == null) {
            return 0;
        }
        Method save = checkpointSave();
        if (save == null) {
            System.err.println("not written: this build has no io.tickgrad.model.Checkpoint.save(Network, Path); "
                + "the model was imported and validated only");
            return 3;
        }
        try (NativeCpuBackend backend = NativeCpuBackend.create();
             Network net = imported.toNetwork(backend, 1)) {
            save.invoke(null, net, out);
        } catch (Exception e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ? e.getCause() : e;
            System.err.println("writing " + out + " failed: " + cause);
            return 1;
        }
        System.out.println("written   " + out);
        return 0;
    }

    /** SHA-256 over every parameter value in tickgrad order, as little-endian float32 bytes. */
    static String parameterDigest(ImportedModel model) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] four = new byte[4];
            for (String p : model.parameterNames()) {
                for (float f : model.parameter(p)) {
                    int bits = Float.floatToRawIntBits(f);
                    four[0] = (byte) bits;
                    four[1] = (byte) (bits >>> 8);
                    four[2] = (byte) (bits >>> 16);
                    four[3] = (byte) (bits >>> 24);
                    sha.update(four);
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // The checkpoint format is written in another part of the project; found by name so that this stopgap
    // compiles with or without it.
    private static Method checkpointSave() {
        try {
            return Class.forName("io.tickgrad.model.Checkpoint").getMethod("save", Network.class, Path.class);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
