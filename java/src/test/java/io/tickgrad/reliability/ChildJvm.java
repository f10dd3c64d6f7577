package io.tickgrad.reliability;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line that runs {@code tickgrad} in a child JVM with this JVM's classpath and module flags. */
final class ChildJvm {
    private ChildJvm() {
    }

    static List<String> tickgrad(String... args) {
        return main("io.tickgrad.cli.Main", args);
    }

    /** The command line that runs {@code mainClass}'s main in a child JVM, as {@link #tickgrad} does. */
    static List<String> main(Class<?> mainClass, String... args) {
        return main(mainClass.getName(), args);
    }

    private static List<String> main(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // the flags Surefire gave this JVM (tickgrad.jvmFlags): Chronicle and Agrona need them in the child too
        for (String arg : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle.")) {
                cmd.add(arg);
            }
        }
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }
}
