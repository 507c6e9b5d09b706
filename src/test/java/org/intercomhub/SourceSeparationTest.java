package org.intercomhub;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox (src/sandbox/java) lives apart from the hub (src/main/java), in the same module (see pom.xml for why):
 * only the demo configuration names it, and it names nothing of the hub.
 */
class SourceSeparationTest {

    static final Path HUB = Path.of("src/main/java");
    static final Path SANDBOX = Path.of("src/sandbox/java");
    static final Path DEMO = HUB.resolve("org/intercomhub/demo");
    static final Pattern HUB_REFERENCE = Pattern.compile("org\\.intercomhub\\.(?!sandbox\\b)\\w+");

    @Test
    void onlyTheDemoConfigurationNamesTheSandbox() {
        List<Path> naming = javaFiles(HUB).filter(f -> read(f).contains("org.intercomhub.sandbox"))
                .filter(f -> !f.startsWith(DEMO)).toList();
        assertThat(naming).as("hub sources naming org.intercomhub.sandbox").isEmpty();
        assertThat(HUB.resolve("org/intercomhub/sandbox")).doesNotExist();
    }

    @Test
    void nothingOutsideTheDemoPackageNamesIt() {
        List<Path> naming = javaFiles(HUB).filter(f -> read(f).contains("org.intercomhub.demo"))
                .filter(f -> !f.startsWith(DEMO)).toList();
        assertThat(naming).as("hub sources naming org.intercomhub.demo (it is found by the demo profile alone)")
                .isEmpty();
    }

    @Test
    void theSandboxNamesNothingOfTheHub() {
        List<Path> files = javaFiles(SANDBOX).toList();
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            String text = read(file);
            assertThat(text).as(file.toString()).contains("package org.intercomhub.sandbox;");
            assertThat(HUB_REFERENCE.matcher(text).find()).as(file + " names a hub package").isFalse();
        }
    }

    private static Stream<Path> javaFiles(Path root) {
        try {
            return Files.walk(root).filter(f -> f.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
