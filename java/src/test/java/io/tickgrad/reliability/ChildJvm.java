package io.tickgrad.reliability;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line that runs {@code tickgrad} in a child JVM with this JVM's classpath and module flags. */
final class ChildJvm {
    private ChildJvm() {
    }

    static List<String> tickgrad(String... args) {
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
        cmd.add("io.tickgrad.cli.Main");
        cmd.addAll(List.of(args));
        return cmd;
    }
}
