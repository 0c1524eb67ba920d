package io.orchestr.bench;

import io.orchestr.e2e.harness.OrchestrProcess;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;

/** The options of a scenario that ends with a {@link QuietWindow}: how long it lasts and how often it samples. */
final class WindowOptions {
    @Option(names = "--window", description = "measuring window once all run, in seconds (default: ${DEFAULT-VALUE})")
    int windowSeconds = 30;

    @Option(names = "--sample", description = "sampling interval in the window, in seconds (default: ${DEFAULT-VALUE})")
    int sampleSeconds = 5;

    QuietWindow measure(BenchContext bench, OrchestrProcess manager, List<Long> nodePids) {
        return QuietWindow.measure(bench, manager, nodePids, Duration.ofSeconds(windowSeconds),
                Duration.ofSeconds(sampleSeconds));
    }
}
