package io.tickgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README's complete Java programs are the example sources, character for character: every {@code java} code block
 * of README that declares a package is compared with the source file of its class in examples/ or ta4j/, and every
 * example source must appear in README.
 */
class ReadmeExamplesTest {
    private static final List<Path> SOURCE_ROOTS = List.of(
        Path.of("examples/src/main/java"), Path.of("ta4j/src/main/java"));
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern CLASS = Pattern.compile("^public (?:final )?(?:class|record|interface) (\\w+)",
        Pattern.MULTILINE);

    @Test
    void everyReadmeProgramIsAnExampleSourceVerbatim() throws IOException {
        Map<String, String> programs = readmePrograms(Files.readString(Path.of("README.md")));
        assertFalse(programs.isEmpty(), "README.md has no complete Java program (a java block with a package line)");
        for (Map.Entry<String, String> program : programs.entrySet()) {
            Path source = sourceOf(program.getKey());
            assertSame(program.getKey(), Files.readString(source), program.getValue(), source);
        }
    }

    @Test
    void everyExampleSourceIsInReadme() throws IOException {
        Map<String, String> programs = readmePrograms(Files.readString(Path.of("README.md")));
        try (Stream<Path> files = Files.list(Path.of("examples/src/main/java/io/tickgrad/examples"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.endsWith(".java")) {
                    String className = "io.tickgrad.examples." + name.substring(0, name.length() - 5);
                    assertTrue(programs.containsKey(className), file + " is not shown in README.md");
                }
            }
        }
    }

    @Test
    void aChangedReadmeBlockIsCaught() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String changed = readme.replaceFirst("int features = 32;", "int features = 33;");
        assertTrue(!changed.equals(readme), "README.md should show QuickStart");
        String source = Files.readString(sourceOf("io.tickgrad.examples.QuickStart"));
        assertFalse(source.equals(readmePrograms(changed).get("io.tickgrad.examples.QuickStart")));
    }

    /** Complete programs in README: fully qualified class name to the block's text (with a final newline). */
    static Map<String, String> readmePrograms(String readme) {
        Map<String, String> programs = new LinkedHashMap<>();
        Matcher block = Pattern.compile("(?ms)^```java\\n(.*?)^```$").matcher(readme.replace("\r\n", "\n"));
        while (block.find()) {
            String code = block.group(1);
            Matcher pkg = PACKAGE.matcher(code);
            Matcher cls = CLASS.matcher(code);
            if (pkg.find() && cls.find()) {
                programs.put(pkg.group(1) + "." + cls.group(1), code);
            }
        }
        return programs;
    }

    private static Path sourceOf(String className) {
        List<Path> tried = new ArrayList<>();
        for (Path root : SOURCE_ROOTS) {
            Path file = root.resolve(className.replace('.', '/') + ".java");
            if (Files.exists(file)) {
                return file;
            }
            tried.add(file);
        }
        fail("README.md shows " + className + " but no source file exists (tried " + tried + ")");
        return null;
    }

    private static void assertSame(String className, String source, String shown, Path file) {
        String[] a = source.replace("\r\n", "\n").split("\n", -1);
        String[] b = shown.split("\n", -1);
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if (!a[i].equals(b[i])) {
                fail("README.md's " + className + " differs from " + file + " at line " + (i + 1) + ":\n  source: "
                    + a[i] + "\n  README: " + b[i]);
            }
        }
        assertEquals(a.length, b.length, "README.md's " + className + " and " + file + " differ in length");
    }
}
