package io.orchestr.bench;

import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.shared.JobStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 6: as many running jobs as fit, then a quiet window in which the manager only applies snapshots:
 * its CPU and heap, the snapshot timing it exports, the database's writes and the broker's memory.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = "Runs many ticker jobs across several nodes, then measures over a quiet window: manager CPU and"
                + " heap, the manager's snapshot timing, database writes per second, broker memory.")
final class ScaleScenario extends ScenarioCommand {
    @Option(names = "--jobs", description = "running jobs (default: ${DEFAULT-VALUE}; the issue aims at 100000)")
    int jobs = 10_000;

    @Option(names = "--nodes", description = "nodes (default: ${DEFAULT-VALUE})")
    int nodes = 4;

    @Option(names = "--clients", description = "concurrent clients creating the jobs (default: ${DEFAULT-VALUE})")
    int clients = 16;

    /** Initialised here, so that {@code all} can run the scenario without picocli. */
    @Mixin
    WindowOptions windowOptions = new WindowOptions();

    @Option(names = "--timeout",
            description = "longest wait for all jobs to run, in seconds (default: ${DEFAULT-VALUE})")
    int timeoutSeconds = 900;

    @Override
    void run(BenchContext bench) throws Exception {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("jobs", jobs);
        settings.put("nodes", nodes);
        settings.put("windowSeconds", windowOptions.windowSeconds);
        settings.put("sampleSeconds", windowOptions.sampleSeconds);
        try (BenchCluster cluster = BenchCluster.withManager(bench, "scale")) {
            int slots = Slots.perNode(jobs, nodes);
            settings.put("slotsPerNode", slots);
            List<OrchestrProcess> nodeProcesses = cluster.startNodes(nodes, slots);
            TickerJobs tickers = new TickerJobs(cluster, 600_000);
            bench.progress("creating %d jobs from %d clients", jobs, clients);
            long start = System.currentTimeMillis();
            tickers.create("scale", jobs, clients);
            long createdAt = System.currentTimeMillis();
            Await.until(jobs + " jobs Processing", Duration.ofSeconds(timeoutSeconds), Duration.ofSeconds(1),
                    () -> tickers.count(JobStatus.Processing) == jobs);
            long runningAt = System.currentTimeMillis();
            bench.progress("%d jobs running after %d s; measuring for %d s", jobs, (runningAt - start) / 1000,
                    windowOptions.windowSeconds);
            List<String> notes = new ArrayList<>();
            QuietWindow window = windowOptions.measure(bench, cluster.manager(),
                    nodeProcesses.stream().map(OrchestrProcess::pid).toList());
            List<Figure> figures = new ArrayList<>(List.of(
                    Figure.single("jobs Processing at the end of the window", "jobs",
                            tickers.count(JobStatus.Processing), "aim 100000"),
                    Figure.single("creations per second while filling", "jobs/s",
                            jobs * 1000.0 / (createdAt - start), ""),
                    Figure.single("first POST → API shows all Processing", "s", (runningAt - start) / 1000.0, "")));
            figures.addAll(window.figures("all nodes' CPU, per sample", notes));
            bench.publish(new Report("scale-" + jobs, "Scale: " + jobs + " running jobs on " + nodes + " nodes",
                    settings, figures, notes));
        }
    }
}
