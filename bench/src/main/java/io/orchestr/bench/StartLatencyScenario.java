package io.orchestr.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Scenario 3: {@code POST /api/jobs} → handler start, one job at a time. */
@Command(name = "start-latency", mixinStandardHelpOptions = true,
        description = "Creates ticker jobs one at a time and times POST /api/jobs → the handler's first tick.")
final class StartLatencyScenario extends ScenarioCommand {
    @Option(names = "--jobs", description = "jobs measured (default: ${DEFAULT-VALUE})")
    int jobs = 200;

    @Option(names = "--warmup", description = "jobs created first and not counted (default: ${DEFAULT-VALUE})")
    int warmup = 20;

    @Option(names = "--nodes", description = "nodes (default: ${DEFAULT-VALUE})")
    int nodes = 2;

    @Override
    void run(BenchContext bench) throws Exception {
        List<Double> toStart = new ArrayList<>();
        List<Double> toAnswer = new ArrayList<>();
        try (BenchCluster cluster = BenchCluster.withManager(bench, "start-latency")) {
            cluster.startNodes(nodes, warmup + jobs);
            // only the first tick, written at handler start, matters: tick rarely
            TickerJobs tickers = new TickerJobs(cluster, 60_000);
            for (int i = 0; i < warmup + jobs; i++) {
                TickerJobs.Created job = tickers.create("start-" + i);
                Await.until("the handler of " + job.name() + " to start", Duration.ofSeconds(30), Duration.ofMillis(1),
                        () -> cluster.tickLog(job.name()).started());
                if (i >= warmup) {
                    toStart.add((double) (tickers.timeline(job.name()).firstTick().orElseThrow() - job.requestedAt()));
                    toAnswer.add(job.answerMillis());
                }
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("jobs", jobs);
        settings.put("warmup", warmup);
        settings.put("nodes", nodes);
        bench.publish(new Report("start-latency", "Start latency: POST /api/jobs → handler start, one job at a time",
                settings, List.of(
                        Figure.of("POST /api/jobs → handler start", "ms", toStart, "p99 < 20 ms"),
                        Figure.of("POST /api/jobs → 201 answered", "ms", toAnswer)),
                List.of("Handler start is the first line of the job's tick file, in whole milliseconds.")));
    }
}
