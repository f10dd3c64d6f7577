package io.tickgrad.bench;

/**
 * Prints, as {@code key=value} lines, what OpenBLAS chose in a JVM started like the benchmark forks;
 * bench/run.sh stores the output and the results writer puts it into RESULTS.md.
 */
public final class OpenBlasInfo {
    private OpenBlasInfo() {
    }

    public static void main(String[] args) {
        OpenBlas.loadSingleThreaded();
        System.out.println("jvm.core=" + OpenBlas.coreName());
        System.out.println("jvm.version=" + OpenBlas.version());
        System.out.println("jvm.threads=1");
        String coretype = System.getenv("OPENBLAS_CORETYPE");
        System.out.println("env.OPENBLAS_CORETYPE=" + (coretype == null ? "(unset)" : coretype));
    }
}
