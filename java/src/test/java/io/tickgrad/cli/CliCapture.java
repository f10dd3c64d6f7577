package io.tickgrad.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import picocli.CommandLine;

/** Runs the command line in this JVM and captures what it prints: the tests' one way to call the CLI in process. */
public final class CliCapture {
    private CliCapture() {
    }

    /** Runs {@code tickgrad args}; returns {exit code, stdout, stderr}. */
    public static String[] run(String... args) {
        return run(null, args);
    }

    /** Runs {@code args} on the command {@code cmd} builds (null: tickgrad's own); returns {exit code, stdout, stderr}. */
    public static String[] run(Supplier<CommandLine> cmd, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = cmd == null ? Main.run(args) : Main.run(cmd.get(), args);
            return new String[] {Integer.toString(code), o.toString(StandardCharsets.UTF_8),
                e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
