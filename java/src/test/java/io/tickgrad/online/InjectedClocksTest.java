package io.tickgrad.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every clock of online learning, serving and training is injected, so a replay runs the serving code path
 * deterministically: no source of those packages reads the system clock itself. A default clock is named as
 * {@code SystemNanoClock.INSTANCE} (or another Agrona clock) and passed in; this test finds any direct call.
 */
class InjectedClocksTest {
    private static final Pattern DIRECT = Pattern.compile(
        "System\\s*\\.\\s*(nanoTime|currentTimeMillis)\\s*\\(|Instant\\s*\\.\\s*now\\s*\\(|Clock\\s*\\.\\s*system");

    @Test
    void shouldReadNoSystemClockDirectlyInOnlineServeOrTrain() throws IOException {
        Path root = Path.of("src/main/java/io/tickgrad");
        List<String> found = new ArrayList<>();
        int files = 0;
        for (String pkg : List.of("online", "serve", "train")) {
            try (Stream<Path> s = Files.list(root.resolve(pkg))) {
                for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                    files++;
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        String line = lines.get(i).strip();
                        if (!line.startsWith("*") && !line.startsWith("//") && DIRECT.matcher(line).find()) {
                            found.add(f + ":" + (i + 1) + ": " + line);
                        }
                    }
                }
            }
        }
        assertTrue(files > 40, "read " + files + " sources under " + root.toAbsolutePath());
        assertEquals(List.of(), found, "direct clock reads; inject a clock instead");
    }
}
