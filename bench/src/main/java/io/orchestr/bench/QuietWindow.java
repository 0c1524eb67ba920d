package io.orchestr.bench;

import io.orchestr.e2e.harness.OrchestrProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * What a cluster costs once all its jobs run and nothing changes, so that the manager has only node snapshots to
 * apply: sampled every {@code sample} over a window, through {@link ClusterMeters}. Shared by the scenarios that
 * fill a cluster and then watch it (scale, fleet).
 *
 * @param nodesCpu           CPU of the node processes, summed, per sample (the nodes are whatever the scenario
 *                           passes: real node JVMs, or the bench JVM that simulates a fleet)
 * @param snapshotMeans      the manager's mean time to apply one snapshot, per sample
 * @param snapshotsApplied   snapshots the manager applied over the window
 * @param snapshotMax        the longest single snapshot the manager's timer showed at any sample
 * @param snapshotMetrics    the metric names with {@code snapshot} in them, to say why timing is missing
 */
record QuietWindow(List<Double> managerCpu, List<Double> nodesCpu, List<Double> managerHeap,
                   List<Double> brokerMemory, double seconds, double statementsPerSecond, double rowsPerSecond,
                   OptionalDouble snapshotMean, List<Double> snapshotMeans, double snapshotsApplied,
                   OptionalDouble snapshotMax, Set<String> snapshotMetrics) {
    private static final double MIB = 1024 * 1024;

    /** Samples the cluster every {@code sample} for {@code window}. */
    static QuietWindow measure(BenchContext bench, OrchestrProcess manager, List<Long> nodePids, Duration window,
                               Duration sample) {
        ClusterMeters meters = new ClusterMeters(bench.services());
        List<Double> managerCpu = new ArrayList<>();
        List<Double> nodesCpu = new ArrayList<>();
        List<Double> heap = new ArrayList<>();
        List<Double> broker = new ArrayList<>();
        List<Double> snapshotMeans = new ArrayList<>();
        double snapshotMax = 0;
        ClusterMeters.DatabaseWrites writesBefore = meters.databaseWrites();
        PrometheusText metricsBefore = meters.metrics(manager.httpPort());
        PrometheusText sliceMetrics = metricsBefore;
        long windowStart = System.nanoTime();
        double managerBefore = ClusterMeters.cpuSeconds(manager.pid());
        double nodesBefore = cpuSeconds(nodePids);
        long sliceStart = windowStart;
        for (long slice = 0; slice < Math.max(1, window.dividedBy(sample)); slice++) {
            Await.sleep(sample);
            long now = System.nanoTime();
            double seconds = (now - sliceStart) / 1e9;
            double managerNow = ClusterMeters.cpuSeconds(manager.pid());
            double nodesNow = cpuSeconds(nodePids);
            managerCpu.add((managerNow - managerBefore) / seconds);
            nodesCpu.add((nodesNow - nodesBefore) / seconds);
            managerBefore = managerNow;
            nodesBefore = nodesNow;
            sliceStart = now;
            PrometheusText metrics = meters.metrics(manager.httpPort());
            heap.add(metrics.sum("jvm_memory_used_bytes", "area=\"heap\"") / MIB);
            SnapshotTimer.meanMillis(sliceMetrics, metrics).ifPresent(snapshotMeans::add);
            snapshotMax = Math.max(snapshotMax, SnapshotTimer.recentMaxMillis(metrics).orElse(0));
            sliceMetrics = metrics;
            meters.brokerMemoryBytes().ifPresent(bytes -> broker.add(bytes / MIB));
        }
        double seconds = (System.nanoTime() - windowStart) / 1e9;
        ClusterMeters.DatabaseWrites writesAfter = meters.databaseWrites();
        PrometheusText metricsAfter = meters.metrics(manager.httpPort());
        return new QuietWindow(managerCpu, nodesCpu, heap, broker, seconds,
                (writesAfter.statements() - writesBefore.statements()) / seconds,
                (writesAfter.rows() - writesBefore.rows()) / seconds,
                SnapshotTimer.meanMillis(metricsBefore, metricsAfter), snapshotMeans,
                SnapshotTimer.applied(metricsBefore, metricsAfter),
                snapshotMeans.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(snapshotMax),
                metricsAfter.namesContaining("snapshot"));
    }

    private static double cpuSeconds(List<Long> pids) {
        return pids.stream().mapToDouble(ClusterMeters::cpuSeconds).sum();
    }

    /**
     * The window's figures: manager CPU and heap, the nodes' CPU (named {@code nodesCpuName}), database writes,
     * broker memory and snapshot timing; what could not be measured goes to {@code notes}.
     */
    List<Figure> figures(String nodesCpuName, List<String> notes) {
        List<Figure> figures = new ArrayList<>(List.of(
                Figure.of("manager CPU, per sample", "cores", managerCpu, "< 1 core"),
                Figure.of("manager heap used, per sample", "MiB", managerHeap),
                Figure.of(nodesCpuName, "cores", nodesCpu),
                Figure.single("database write statements per second", "1/s", statementsPerSecond, ""),
                Figure.single("database rows written per second", "1/s", rowsPerSecond, "")));
        notes.add("Database figures are the server's global counters (Com_insert/update/delete…,"
                + " Handler_write/update/delete) over the window: other clients of the same server count too.");
        if (brokerMemory.isEmpty()) {
            notes.add("Broker memory not measured: 'rabbitmqctl status' could not run (it needs root here).");
        } else {
            figures.add(Figure.of("broker memory (rss), per sample", "MiB", brokerMemory));
        }
        snapshotMean.ifPresentOrElse(
                mean -> figures.add(Figure.single("manager time to apply one snapshot, mean over the window",
                        "ms", mean, "")),
                () -> notes.add("Snapshot apply time not measured: the manager exports no timer with 'snapshot'"
                        + " in its name at /q/metrics (seen: " + snapshotMetrics + ")."));
        return figures;
    }
}
