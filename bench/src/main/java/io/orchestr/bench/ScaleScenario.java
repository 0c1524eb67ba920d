package io.orchestr.bench;

import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.shared.JobStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Scenario 6: as many running jobs as fit, then a quiet window in which the manager only applies snapshots:
 * its CPU and heap, the snapshot timing it exports, the database's writes and the broker's memory.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = "Runs many ticker jobs across several nodes, then measures over a quiet window: manager CPU and"
                + " heap, the manager's snapshot timing, database writes per second, broker memory.")
final class ScaleScenario extends ScenarioCommand {
    private static final double MIB = 1024 * 1024;

    @Option(names = "--jobs", description = "running jobs (default: ${DEFAULT-VALUE}; the issue aims at 100000)")
    int jobs = 10_000;

    @Option(names = "--nodes", description = "nodes (default: ${DEFAULT-VALUE})")
    int nodes = 4;

    @Option(names = "--clients", description = "concurrent clients creating the jobs (default: ${DEFAULT-VALUE})")
    int clients = 16;

    @Option(names = "--window", description = "measuring window once all run, in seconds (default: ${DEFAULT-VALUE})")
    int windowSeconds = 30;

    @Option(names = "--sample", description = "sampling interval in the window, in seconds (default: ${DEFAULT-VALUE})")
    int sampleSeconds = 5;

    @Option(names = "--timeout",
            description = "longest wait for all jobs to run, in seconds (default: ${DEFAULT-VALUE})")
    int timeoutSeconds = 900;

    @Override
    void run(BenchContext bench) throws Exception {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("jobs", jobs);
        settings.put("nodes", nodes);
        settings.put("windowSeconds", windowSeconds);
        settings.put("sampleSeconds", sampleSeconds);
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
                    windowSeconds);
            Window window = measure(bench, cluster.manager(), nodeProcesses);
            List<Figure> figures = new ArrayList<>(List.of(
                    Figure.single("jobs Processing at the end of the window", "jobs",
                            tickers.count(JobStatus.Processing), "aim 100000"),
                    Figure.single("creations per second while filling", "jobs/s",
                            jobs * 1000.0 / (createdAt - start), ""),
                    Figure.single("first POST → API shows all Processing", "s", (runningAt - start) / 1000.0, ""),
                    Figure.of("manager CPU, per sample", "cores", window.managerCpu(), "< 1 core"),
                    Figure.of("manager heap used, per sample", "MiB", window.managerHeap()),
                    Figure.of("all nodes' CPU, per sample", "cores", window.nodesCpu()),
                    Figure.single("database write statements per second", "1/s", window.statementsPerSecond(), ""),
                    Figure.single("database rows written per second", "1/s", window.rowsPerSecond(), "")));
            List<String> notes = new ArrayList<>(List.of("Database figures are the server's global counters"
                    + " (Com_insert/update/delete…, Handler_write/update/delete) over the window: other clients"
                    + " of the same server count too."));
            if (window.brokerMemory().isEmpty()) {
                notes.add("Broker memory not measured: 'rabbitmqctl status' could not run (it needs root here).");
            } else {
                figures.add(Figure.of("broker memory (rss), per sample", "MiB", window.brokerMemory()));
            }
            window.snapshotTiming().ifPresentOrElse(
                    mean -> figures.add(Figure.single("manager time to apply one snapshot, mean over the window",
                            "ms", mean, "")),
                    () -> notes.add("Snapshot apply time not measured: the manager exports no timer with 'snapshot'"
                            + " in its name at /q/metrics (seen: " + window.snapshotMetrics() + ")."));
            bench.publish(new Report("scale-" + jobs, "Scale: " + jobs + " running jobs on " + nodes + " nodes",
                    settings, figures, notes));
        }
    }

    private record Window(List<Double> managerCpu, List<Double> nodesCpu, List<Double> managerHeap,
                          List<Double> brokerMemory, double statementsPerSecond, double rowsPerSecond,
                          OptionalDouble snapshotTiming, Set<String> snapshotMetrics) {
    }

    private Window measure(BenchContext bench, OrchestrProcess manager, List<OrchestrProcess> nodeProcesses) {
        ClusterMeters meters = new ClusterMeters(bench.services());
        List<Double> managerCpu = new ArrayList<>();
        List<Double> nodesCpu = new ArrayList<>();
        List<Double> heap = new ArrayList<>();
        List<Double> broker = new ArrayList<>();
        ClusterMeters.DatabaseWrites writesBefore = meters.databaseWrites();
        PrometheusText metricsBefore = meters.metrics(manager.httpPort());
        long windowStart = System.nanoTime();
        double managerBefore = ClusterMeters.cpuSeconds(manager.pid());
        double nodesBefore = nodesCpu(nodeProcesses);
        long sliceStart = windowStart;
        for (int sample = 0; sample < Math.max(1, windowSeconds / sampleSeconds); sample++) {
            Await.sleep(Duration.ofSeconds(sampleSeconds));
            long now = System.nanoTime();
            double seconds = (now - sliceStart) / 1e9;
            double managerNow = ClusterMeters.cpuSeconds(manager.pid());
            double nodesNow = nodesCpu(nodeProcesses);
            managerCpu.add((managerNow - managerBefore) / seconds);
            nodesCpu.add((nodesNow - nodesBefore) / seconds);
            managerBefore = managerNow;
            nodesBefore = nodesNow;
            sliceStart = now;
            heap.add(meters.metrics(manager.httpPort()).sum("jvm_memory_used_bytes", "area=\"heap\"") / MIB);
            meters.brokerMemoryBytes().ifPresent(bytes -> broker.add(bytes / MIB));
        }
        double windowSeconds = (System.nanoTime() - windowStart) / 1e9;
        ClusterMeters.DatabaseWrites writesAfter = meters.databaseWrites();
        PrometheusText metricsAfter = meters.metrics(manager.httpPort());
        return new Window(managerCpu, nodesCpu, heap, broker,
                (writesAfter.statements() - writesBefore.statements()) / windowSeconds,
                (writesAfter.rows() - writesBefore.rows()) / windowSeconds,
                SnapshotTimer.meanMillis(metricsBefore, metricsAfter), metricsAfter.namesContaining("snapshot"));
    }

    private static double nodesCpu(List<OrchestrProcess> nodeProcesses) {
        return nodeProcesses.stream().mapToDouble(node -> ClusterMeters.cpuSeconds(node.pid())).sum();
    }
}
