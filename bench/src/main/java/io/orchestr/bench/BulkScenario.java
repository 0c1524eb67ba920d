package io.orchestr.bench;

import io.orchestr.shared.JobStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Scenario 5: many jobs created by concurrent clients: how fast, and how long until all run. */
@Command(name = "bulk", mixinStandardHelpOptions = true,
        description = "Creates ticker jobs from concurrent clients; measures creations per second and the time until"
                + " all are Processing (API) and all handlers have started (tick files).")
final class BulkScenario extends ScenarioCommand {
    @Option(names = "--jobs", description = "jobs created (default: ${DEFAULT-VALUE})")
    int jobs = 10_000;

    @Option(names = "--clients", description = "concurrent clients (default: ${DEFAULT-VALUE})")
    int clients = 16;

    @Option(names = "--batch", description = "jobs per POST /api/jobs/batch, 1 to 1000; 0 for one POST /api/jobs"
            + " per job (default: ${DEFAULT-VALUE})")
    int batch = 0;

    @Option(names = "--nodes", description = "nodes (default: ${DEFAULT-VALUE})")
    int nodes = 2;

    @Option(names = "--timeout", description = "longest wait for all to run, in seconds (default: ${DEFAULT-VALUE})")
    int timeoutSeconds = 600;

    @Override
    void run(BenchContext bench) throws Exception {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("jobs", jobs);
        settings.put("clients", clients);
        settings.put("batch", batch);
        settings.put("nodes", nodes);
        try (BenchCluster cluster = BenchCluster.withManager(bench, "bulk")) {
            int slots = Slots.perNode(jobs, nodes);
            settings.put("slotsPerNode", slots);
            cluster.startNodes(nodes, slots);
            // only the first tick, written at handler start, matters: tick rarely
            TickerJobs tickers = new TickerJobs(cluster, 600_000);
            String how = batch > 0 ? " in batches of " + batch : "";
            bench.progress("creating %d jobs from %d clients%s", jobs, clients, how);
            long start = System.currentTimeMillis();
            List<TickerJobs.Created> created = batch > 0 ? tickers.createInBatches("bulk", jobs, batch, clients)
                    : tickers.create("bulk", jobs, clients);
            long createdAt = System.currentTimeMillis();
            bench.progress("created in %d ms (%.0f jobs/s); waiting for all to run", createdAt - start,
                    jobs * 1000.0 / (createdAt - start));
            Duration timeout = Duration.ofSeconds(timeoutSeconds);
            long processingAt = Await.until(jobs + " jobs Processing", timeout, Duration.ofMillis(100),
                    () -> tickers.count(JobStatus.Processing) == jobs);
            tickers.awaitStarted(created.stream().map(TickerJobs.Created::name).toList(), timeout);
            List<Long> starts = created.stream()
                    .map(job -> tickers.timeline(job.name()).firstTick().orElseThrow()).toList();
            List<Double> toStart = IntStream.range(0, jobs)
                    .mapToObj(i -> (double) (starts.get(i) - created.get(i).requestedAt())).toList();
            long lastStart = starts.stream().mapToLong(Long::longValue).max().orElseThrow();
            String request = batch > 0 ? "POST /api/jobs/batch" : "POST /api/jobs";
            bench.publish(new Report("bulk-" + jobs + (batch > 0 ? "-batch" + batch : ""),
                    "Bulk: " + jobs + " jobs created by " + clients + " clients" + how,
                    settings, List.of(
                            Figure.single("creations per second", "jobs/s", jobs * 1000.0 / (createdAt - start),
                                    "≥ 2000/s"),
                            Figure.of(request + " → 201 answered, per job" + (batch > 0 ? " (its batch's)" : ""),
                                    "ms",
                                    created.stream().map(TickerJobs.Created::answerMillis).toList()),
                            Figure.single("first POST → last 201", "s", (createdAt - start) / 1000.0, ""),
                            Figure.single("first POST → API shows all Processing", "s",
                                    (processingAt - start) / 1000.0, ""),
                            Figure.single("first POST → all handlers started", "s", (lastStart - start) / 1000.0, ""),
                            Figure.of("POST → handler start, per job", "ms", toStart)),
                    List.of("Handler starts come from the tick files; 'API shows all Processing' is when polling"
                            + " (every 100 ms) first saw it.")));
        }
    }
}
