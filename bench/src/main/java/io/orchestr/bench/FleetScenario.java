package io.orchestr.bench;

import io.orchestr.shared.JobStatus;
import io.orchestr.shared.topology.QueueType;
import io.orchestr.shared.topology.Topology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The core at fleet scale: one real manager, and a {@link SimulatedFleet} of many node incarnations in the bench's
 * own JVM that claim, get grants and report over the real broker, without handlers. Fills the fleet through the
 * batch API, then measures a quiet window: the manager's CPU and heap, database rows written, the manager's time to
 * apply a report, and what the fleet sent and received.
 */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = "Runs many simulated node incarnations in the bench JVM (real wire protocol, real broker and"
                + " manager, no handlers), fills them with jobs through POST /api/jobs/batch, then measures a quiet"
                + " window: manager CPU and heap, database rows written, report handling time, fleet traffic.")
final class FleetScenario extends ScenarioCommand {
    private static final String POOL = "default";

    @Option(names = "--nodes", description = "simulated node incarnations (default: ${DEFAULT-VALUE})")
    int nodes = 100;

    @Option(names = "--jobs", description = "running jobs (default: ${DEFAULT-VALUE}; the issue aims at 1000000)")
    int jobs = 20_000;

    @Option(names = "--nodes-per-connection",
            description = "simulated nodes sharing one broker connection (default: ${DEFAULT-VALUE})")
    int nodesPerConnection = 50;

    @Option(names = "--batch", description = "jobs per POST /api/jobs/batch, 1 to 1000 (default: ${DEFAULT-VALUE})")
    int batch = 1000;

    @Option(names = "--clients", description = "concurrent clients creating the jobs (default: ${DEFAULT-VALUE})")
    int clients = 4;

    @Option(names = "--report-interval",
            description = "each node's report interval (a real node's heartbeat interval), in ms (default:"
                    + " ${DEFAULT-VALUE})")
    int reportIntervalMillis = 1000;

    @Option(names = "--full-report-period",
            description = "how often a node's report lists every job, in seconds (default: ${DEFAULT-VALUE})")
    int fullReportSeconds = 30;

    /** Initialised here, so that {@code all} can run the scenario without picocli. */
    @Mixin
    WindowOptions windowOptions = new WindowOptions();

    @Option(names = "--timeout",
            description = "longest wait for all jobs to run, in seconds (default: ${DEFAULT-VALUE})")
    int timeoutSeconds = 900;

    @Override
    void run(BenchContext bench) throws Exception {
        int slots = Slots.perNode(jobs, nodes);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("nodes", nodes);
        settings.put("jobs", jobs);
        settings.put("slotsPerNode", slots);
        settings.put("nodesPerConnection", nodesPerConnection);
        settings.put("batch", batch);
        settings.put("clients", clients);
        settings.put("reportIntervalMillis", reportIntervalMillis);
        settings.put("fullReportSeconds", fullReportSeconds);
        settings.put("windowSeconds", windowOptions.windowSeconds);
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fleet-progress");
            thread.setDaemon(true);
            return thread;
        });
        try (BenchCluster cluster = BenchCluster.withManager(bench, "fleet");
             SimulatedFleet fleet = SimulatedFleet.start(bench.services().broker(),
                     new Topology(cluster.prefix(), QueueType.CLASSIC),
                     new SimulatedFleet.Settings(nodes, slots, nodesPerConnection, POOL,
                             Duration.ofMillis(reportIntervalMillis), Duration.ofSeconds(fullReportSeconds)))) {
            FleetCounters counters = fleet.counters();
            settings.put("connections", fleet.connections());
            bench.progress("fleet of %d simulated nodes on %d connections, %d slots each", nodes, fleet.connections(),
                    slots);
            progress.scheduleAtFixedRate(() -> bench.progress("fleet: %s", counters.summary()), 15, 15,
                    TimeUnit.SECONDS);
            TickerJobs creator = new TickerJobs(cluster, 600_000);
            bench.progress("creating %d jobs in batches of %d from %d clients", jobs, batch, clients);
            long start = System.currentTimeMillis();
            creator.createInBatches("fleet", jobs, batch, clients);
            long createdAt = System.currentTimeMillis();
            bench.progress("created in %d s (%.0f jobs/s); waiting for all to run", (createdAt - start) / 1000,
                    jobs * 1000.0 / (createdAt - start));
            // the fleet's own count costs nothing to poll; the API is asked only once the fleet has them all
            long fleetRunningAt = Await.until(jobs + " jobs granted to the fleet", timeout, Duration.ofMillis(50),
                    () -> counters.running.get() >= jobs);
            long apiRunningAt = Await.until(jobs + " jobs Processing", timeout, Duration.ofSeconds(2),
                    () -> creator.count(JobStatus.Processing) == jobs);
            bench.progress("all running %d s after the last creation; measuring for %d s",
                    (fleetRunningAt - createdAt) / 1000, windowOptions.windowSeconds);
            long reportsBefore = counters.fullReports.sum() + counters.partialReports.sum();
            long entriesBefore = counters.reportEntries.sum();
            List<String> notes = new ArrayList<>();
            QuietWindow window = windowOptions.measure(bench, cluster.manager(),
                    List.of(ProcessHandle.current().pid()));
            double reportsPerSecond = (counters.fullReports.sum() + counters.partialReports.sum() - reportsBefore)
                    / window.seconds();
            double entriesPerSecond = (counters.reportEntries.sum() - entriesBefore) / window.seconds();
            List<Figure> figures = new ArrayList<>(List.of(
                    Figure.single("jobs running on the fleet at the end of the window", "jobs",
                            counters.running.get(), "aim 1000000"),
                    Figure.single("creations per second (batch API)", "jobs/s", jobs * 1000.0 / (createdAt - start),
                            ""),
                    Figure.single("last 201 → all granted (fleet's count)", "s",
                            (fleetRunningAt - createdAt) / 1000.0, ""),
                    Figure.single("last 201 → API shows all Processing (polled every 2 s)", "s",
                            (apiRunningAt - createdAt) / 1000.0, ""),
                    Figure.single("claims batches sent", "batches", counters.claimBatches.sum(), ""),
                    Figure.single("claims sent (repeats included)", "claims", counters.claimsSent.sum(), ""),
                    Figure.single("decisions received", "messages", counters.decisions.sum(), ""),
                    Figure.single("grants received", "entries", counters.grants.sum(), ""),
                    Figure.single("drops received", "entries", counters.drops.sum(), ""),
                    Figure.single("waits received", "entries", counters.waits.sum(), "")));
            figures.addAll(window.figures("the fleet's CPU (the bench JVM), per sample", notes));
            figures.add(Figure.single("database rows written per second, per node", "1/s",
                    window.rowsPerSecond() / nodes, ""));
            figures.add(Figure.single("reports sent by the fleet per second in the window", "1/s", reportsPerSecond,
                    ""));
            figures.add(Figure.single("job entries in those reports per second", "1/s", entriesPerSecond, ""));
            figures.add(Figure.single("reports applied by the manager per second in the window", "1/s",
                    window.snapshotsApplied() / window.seconds(), ""));
            if (!window.snapshotMeans().isEmpty()) {
                figures.add(Figure.of("manager time to apply one report, mean per sample", "ms",
                        window.snapshotMeans()));
            }
            window.snapshotMax().ifPresent(max -> figures.add(Figure.single(
                    "manager's longest single report (timer's decaying max, any sample)", "ms", max, "")));
            notes.add("Report handling time comes from the manager's orchestr_snapshots_applied timer, which has no"
                    + " histogram: per-report percentiles cannot be read, so the spread shown is of the mean per "
                    + windowOptions.sampleSeconds + " s sample, and the max is Micrometer's decaying maximum.");
            notes.add("Broker publishes confirmed / nacked over the run: " + counters.confirmed.sum() + " / "
                    + counters.nacked.sum() + "; fleet connections lost: " + counters.connectionsLost.sum()
                    + "; duplicate deliveries acked: " + counters.duplicates.sum() + "; hold questions answered: "
                    + counters.holdAnswers.sum() + "; stops: " + counters.stops.sum() + ".");
            bench.publish(new Report("fleet-" + nodes + "-" + jobs,
                    "Fleet: " + jobs + " jobs on " + nodes + " simulated nodes, one manager", settings, figures,
                    notes));
        } finally {
            progress.shutdownNow();
        }
    }
}
