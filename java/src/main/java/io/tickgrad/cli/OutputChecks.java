package io.tickgrad.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks an output before the work that fills it starts, so a long run is not lost to a bad path at its end. */
final class OutputChecks {
    private OutputChecks() {
    }

    /** {@code dir} is (or can be created as) a directory this process can write in; creates it. */
    static void requireWritableDirectory(Path dir, String option) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(option + " " + dir + ": is a file; expected a directory");
        }
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".tickgrad-write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException(option + " " + dir + ": cannot write there (" + describe(e)
                + "); expected a directory this process can create and write in");
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        String kind = e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2");
        return m == null ? kind : kind + ": " + m;
    }
}
