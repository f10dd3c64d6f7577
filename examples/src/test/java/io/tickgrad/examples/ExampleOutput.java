package io.tickgrad.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs an example's main and returns what it printed (it still reaches the console). */
final class ExampleOutput {
    interface Main {
        void run() throws Exception;
    }

    private ExampleOutput() {
    }

    static String of(Main main) throws Exception {
        PrintStream console = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (PrintStream tee = new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                captured.write(b);
                console.write(b);
            }
        }, true, StandardCharsets.UTF_8)) {
            System.setOut(tee);
            main.run();
        } finally {
            System.setOut(console);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
