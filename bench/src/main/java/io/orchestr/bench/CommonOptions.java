package io.orchestr.bench;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options every scenario takes: where things are and go. */
final class CommonOptions {
    @Option(names = "--root", paramLabel = "DIR",
            description = "Orchestr checkout whose deploy/ scripts start the manager and nodes (default: .)")
    Path root = Path.of("");

    @Option(names = "--results", paramLabel = "DIR",
            description = "where the JSON results go (default: <root>/bench/results)")
    Path results;

    @Option(names = "--logs", paramLabel = "DIR",
            description = "where process logs and tick files go (default: <root>/bench/target/bench-logs)")
    Path logs;

    @Option(names = "--keep", description = "keep each run's database and broker queues (default: delete them)")
    boolean keep;

    BenchContext context() {
        Path home = root.toAbsolutePath().normalize();
        Path resultsDir = results != null ? results : home.resolve("bench").resolve("results");
        Path logsDir = logs != null ? logs : home.resolve("bench").resolve("target").resolve("bench-logs");
        return new BenchContext(home, logsDir.toAbsolutePath(), new JsonResults(resultsDir.toAbsolutePath()),
                Services.fromEnvironment(System.getenv()), System.out, System.err, keep);
    }
}
