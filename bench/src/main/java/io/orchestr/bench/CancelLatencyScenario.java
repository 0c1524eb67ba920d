package io.orchestr.bench;

import io.orchestr.client.OrchestratorClient;
import io.orchestr.shared.JobStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** Scenario 4: {@code DELETE /api/jobs/{id}} → the handler sees its cancellation, and → status Deleted. */
@Command(name = "cancel-latency", mixinStandardHelpOptions = true,
        description = "Cancels running ticker jobs one at a time and times DELETE /api/jobs/{id} → the handler's"
                + " 'cancelled' tick, and → the API showing Deleted.")
final class CancelLatencyScenario extends ScenarioCommand {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Option(names = "--jobs", description = "jobs measured (default: ${DEFAULT-VALUE})")
    int jobs = 100;

    @Option(names = "--warmup", description = "jobs cancelled first and not counted (default: ${DEFAULT-VALUE})")
    int warmup = 10;

    @Option(names = "--nodes", description = "nodes (default: ${DEFAULT-VALUE})")
    int nodes = 2;

    @Override
    void run(BenchContext bench) throws Exception {
        List<Double> toHandler = new ArrayList<>();
        List<Double> toDeleted = new ArrayList<>();
        List<Double> toAnswer = new ArrayList<>();
        int unmarked = 0;
        try (BenchCluster cluster = BenchCluster.withManager(bench, "cancel-latency")) {
            cluster.startNodes(nodes, warmup + jobs);
            TickerJobs tickers = new TickerJobs(cluster, 1000);
            List<TickerJobs.Created> created = tickers.create("cancel", warmup + jobs, 8);
            Await.until("all jobs Processing", TIMEOUT, Duration.ofMillis(100),
                    () -> tickers.count(JobStatus.Processing) == warmup + jobs);
            tickers.awaitStarted(created.stream().map(TickerJobs.Created::name).toList(), TIMEOUT);
            OrchestratorClient client = cluster.client();
            List<Long> requested = new ArrayList<>();
            for (int i = 0; i < created.size(); i++) {
                TickerJobs.Created job = created.get(i);
                long requestedAt = System.currentTimeMillis();
                long start = System.nanoTime();
                client.markOnDeleting(job.id());
                double answered = (System.nanoTime() - start) / 1e6;
                long deletedAt = Await.until(job.name() + " Deleted", TIMEOUT, Duration.ofMillis(2),
                        () -> client.job(job.id()).status() == JobStatus.Deleted);
                if (i >= warmup) {
                    requested.add(requestedAt);
                    toDeleted.add((double) (deletedAt - requestedAt));
                    toAnswer.add(answered);
                }
            }
            // a job is Deleted once its node reported the handler's return, so its last tick is written by now
            for (int i = warmup; i < created.size(); i++) {
                OptionalLong cancelled = tickers.timeline(created.get(i).name()).cancelledAt();
                if (cancelled.isPresent()) {
                    toHandler.add((double) (cancelled.getAsLong() - requested.get(i - warmup)));
                } else {
                    unmarked++;
                }
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("jobs", jobs);
        settings.put("warmup", warmup);
        settings.put("nodes", nodes);
        List<Figure> figures = new ArrayList<>();
        if (!toHandler.isEmpty()) {
            figures.add(Figure.of("DELETE → handler sees its cancellation", "ms", toHandler));
        }
        figures.add(Figure.of("DELETE → API shows Deleted", "ms", toDeleted));
        figures.add(Figure.of("DELETE → 202 answered", "ms", toAnswer));
        List<String> notes = new ArrayList<>(List.of("The handler's time is its 'cancelled' tick line; Deleted is"
                + " when polling (every 2 ms) first saw it."));
        if (unmarked > 0) {
            notes.add(unmarked + " of " + jobs + " handlers wrote no 'cancelled' tick, so their time to see the"
                    + " cancellation could not be measured.");
        }
        bench.publish(new Report("cancel-latency", "Cancel latency: DELETE /api/jobs/{id}, one job at a time",
                settings, figures, notes));
    }
}
