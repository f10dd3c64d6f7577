package io.tickgrad;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM flags tickgrad needs on Java 17, checked before any of its dependencies needs them, so that a missing
 * flag fails with one line that names it instead of a {@code NoClassDefFoundError} from deep inside Agrona or
 * Chronicle Queue.
 *
 * <p>The compute core (off-heap slabs on Agrona buffers) needs {@value #CORE_FLAG}. Chronicle Queue (the
 * {@code io.tickgrad.io} package: ticks and predictions queues) needs {@link #QUEUE_FLAGS} as well. The entry
 * types (backends, {@code Network}, {@code Checkpoint}, the queues) call {@link #requireCore()} or
 * {@link #requireQueues()} first. Both checks read a value computed once and are safe from any thread.
 */
public final class JvmFlags {
    /** The flag Agrona's off-heap buffers need: every tickgrad program needs it. */
    public static final String CORE_FLAG = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";

    /** The flags Chronicle Queue needs besides {@link #CORE_FLAG} (the full set: README, "Java API"). */
    public static final List<String> QUEUE_FLAGS = List.of(
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED");

    private static final List<String> MISSING_CORE = missing(List.of(CORE_FLAG));
    private static final List<String> MISSING_QUEUES = missing(concat(CORE_FLAG, QUEUE_FLAGS));

    private JvmFlags() {
    }

    /**
     * Throws unless this JVM runs with {@value #CORE_FLAG}.
     *
     * @throws IllegalStateException whose one-line message names the flag to add to the {@code java} command line
     */
    public static void requireCore() {
        if (!MISSING_CORE.isEmpty()) {
            throw new IllegalStateException(message(MISSING_CORE, "Agrona's off-heap buffers"));
        }
    }

    /**
     * Throws unless this JVM runs with every flag Chronicle Queue needs ({@value #CORE_FLAG} and
     * {@link #QUEUE_FLAGS}).
     *
     * @throws IllegalStateException whose one-line message names each missing flag
     */
    public static void requireQueues() {
        if (!MISSING_QUEUES.isEmpty()) {
            throw new IllegalStateException(message(MISSING_QUEUES, "Chronicle Queue and Agrona"));
        }
    }

    /**
     * The flags among {@code flags} that this JVM was not started with, judged by what {@code java.base} and
     * {@code jdk.unsupported} export or open to the unnamed module.
     *
     * @param flags flags of the form {@code --add-exports=module/package=ALL-UNNAMED} or {@code --add-opens=...}
     * @return the missing ones, in the given order; empty when all are in effect
     */
    public static List<String> missing(List<String> flags) {
        Module unnamed = JvmFlags.class.getModule();
        List<String> missing = new ArrayList<>();
        for (String flag : flags) {
            boolean opens = flag.startsWith("--add-opens=");
            String target = flag.substring(flag.indexOf('=') + 1, flag.lastIndexOf('='));
            String moduleName = target.substring(0, target.indexOf('/'));
            String packageName = target.substring(target.indexOf('/') + 1);
            Module module = ModuleLayer.boot().findModule(moduleName).orElse(null);
            boolean granted = module != null
                && (opens ? module.isOpen(packageName, unnamed) : module.isExported(packageName, unnamed));
            if (!granted) {
                missing.add(flag);
            }
        }
        return List.copyOf(missing);
    }

    private static String message(List<String> missing, String who) {
        return "tickgrad needs the JVM flag" + (missing.size() > 1 ? "s " : " ") + String.join(" ", missing)
            + " (for " + who + "); add " + (missing.size() > 1 ? "them" : "it")
            + " to the java command line, Surefire's argLine or exec's arguments";
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
