package io.orchestr.manager;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The manager's packages import each other only downwards, as {@code package-info.java} describes: the base (this
 * package) imports none of them, and no package imports one above it. A new arrow either belongs here, on purpose,
 * or is a layering mistake.
 */
class PackageLayersTest {
    private static final Path SOURCES = Path.of("src/main/java/io/orchestr/manager");
    private static final Pattern IMPORT =
            Pattern.compile("^import io\\.orchestr\\.manager\\.([a-z]+)\\.", Pattern.MULTILINE);

    /** Which of the manager's packages each package may import; the base ("") and its own are always allowed. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("", Set.of()),
            Map.entry("config", Set.of()),
            Map.entry("auth", Set.of()),
            Map.entry("store", Set.of()),
            Map.entry("history", Set.of("config", "store")),
            Map.entry("broker", Set.of("config")),
            Map.entry("health", Set.of("broker")),
            Map.entry("startup", Set.of("broker")),
            Map.entry("quarantine", Set.of("config", "history", "store")),
            Map.entry("claim", Set.of("broker", "history", "quarantine", "store")),
            Map.entry("job", Set.of("broker", "config", "history", "quarantine", "store")),
            Map.entry("server", Set.of("broker", "config", "history", "quarantine", "store")),
            Map.entry("metrics", Set.of()),
            Map.entry("report", Set.of("broker", "claim", "history", "job", "store")),
            Map.entry("feed", Set.of("history", "job", "metrics", "server")),
            Map.entry("rebalance", Set.of("config", "job", "store")),
            Map.entry("api", Set.of("auth", "config", "feed", "history", "job", "server")));

    @Test
    void everyPackageImportsOnlyThePackagesBelowIt() {
        Map<String, Set<String>> imports = imports();

        assertThat(imports.keySet()).as("the manager's packages").isEqualTo(new TreeSet<>(ALLOWED.keySet()));
        imports.forEach((pkg, imported) -> assertThat(imported)
                .as("packages imported by io.orchestr.manager%s", pkg.isEmpty() ? "" : "." + pkg)
                .isSubsetOf(ALLOWED.get(pkg)));
    }

    /** For each package ("" for the base), the manager's other packages its sources import. */
    private static Map<String, Set<String>> imports() {
        Map<String, Set<String>> imports = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(file -> file.toString().endsWith(".java")).forEach(file -> {
                Path dir = SOURCES.relativize(file.getParent());
                String pkg = dir.toString().replace('/', '.');
                Set<String> imported = imports.computeIfAbsent(pkg, key -> new TreeSet<>());
                Matcher matcher = IMPORT.matcher(read(file));
                while (matcher.find()) {
                    if (!matcher.group(1).equals(pkg)) {
                        imported.add(matcher.group(1));
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return imports;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
