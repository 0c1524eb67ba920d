package io.orchestr.bench;

import io.orchestr.e2e.harness.BrokerCluster;
import io.orchestr.e2e.harness.TickLog;
import io.orchestr.shared.JobStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The job queue's leader dies (issue 15 point 1): on the 3-node RabbitMQ cluster of {@code
 * deploy/rabbitmq-cluster.sh}, with quorum queues, ticker jobs run on nodes given every broker node's address;
 * the broker node that leads the job queue is SIGKILLed, and each job's longest gap between two ticks across the
 * kill is its pause. The node is started again before the next repetition.
 */
@Command(name = "cluster-leader", mixinStandardHelpOptions = true,
        description = "On a 3-node RabbitMQ cluster (deploy/rabbitmq-cluster.sh) with quorum queues, SIGKILLs the"
                + " broker node leading the job queue and times how long the jobs pause (no ticks).")
final class ClusterLeaderScenario extends ScenarioCommand {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Option(names = "--jobs", description = "ticker jobs (default: ${DEFAULT-VALUE})")
    int jobs = 60;

    @Option(names = "--nodes", description = "Orchestr nodes (default: ${DEFAULT-VALUE})")
    int nodes = 3;

    @Option(names = "--slots", description = "slots of every node (default: ${DEFAULT-VALUE})")
    int slots = 40;

    @Option(names = "--reps", description = "leader kills (default: ${DEFAULT-VALUE})")
    int reps = 3;

    @Option(names = "--tick-millis", description = "time between two ticks of a job (default: ${DEFAULT-VALUE})")
    int tickMillis = 200;

    @Override
    void run(BenchContext bench) throws Exception {
        List<Double> pauses = new ArrayList<>();
        List<Double> allBack = new ArrayList<>();
        List<Double> pausedPerKill = new ArrayList<>();
        int overlapping = 0;
        long gap = 4L * tickMillis;
        try (BrokerCluster brokers = BrokerCluster.start(bench.root(), bench.logs().resolve("rabbitmq-cluster.log"));
             BenchCluster cluster = BenchCluster.onBrokers(bench, "cluster-leader", Map.of(
                     "ORCHESTR_RABBITMQ_ADDRESSES", brokers.addresses(), "ORCHESTR_QUEUE_TYPE", "quorum"))) {
            cluster.startNodes(nodes, slots);
            TickerJobs tickers = new TickerJobs(cluster, tickMillis);
            List<String> names = tickers.create("leader", jobs, 8).stream().map(TickerJobs.Created::name).toList();
            Await.until("all jobs Processing", TIMEOUT, Duration.ofMillis(100),
                    () -> tickers.count(JobStatus.Processing) == jobs);
            tickers.awaitStarted(names, TIMEOUT);
            String jobQueue = cluster.prefix() + ".jobs.default";
            for (int rep = 0; rep < reps; rep++) {
                int leader = brokers.leaderOf(jobQueue);
                long killedAt = System.currentTimeMillis();
                brokers.kill(leader);
                bench.progress("killed broker node %d, the leader of %s", leader, jobQueue);
                Await.sleep(Duration.ofMillis(2 * gap));
                Await.until("every job ticking again", TIMEOUT, Duration.ofMillis(100),
                        () -> tickers.count(JobStatus.Processing) == jobs && allTickedSince(cluster, names,
                                System.currentTimeMillis() - gap));
                long lastResumed = killedAt;
                int paused = 0;
                for (String name : names) {
                    Optional<TickLog.Gap> pause = cluster.tickLog(name).longestGapEndingAfter(killedAt)
                            .filter(found -> found.millis() > gap);
                    if (pause.isPresent()) {
                        pauses.add((double) pause.get().millis());
                        lastResumed = Math.max(lastResumed, pause.get().to());
                        paused++;
                    }
                }
                pausedPerKill.add((double) paused);
                allBack.add((double) (lastResumed - killedAt));
                brokers.startNode(leader);
                bench.progress("broker node %d is back: %d jobs had paused", leader, paused);
            }
            for (String name : names) {
                overlapping += cluster.tickLog(name).overlap().isPresent() ? 1 : 0;
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("jobs", jobs);
        settings.put("nodes", nodes);
        settings.put("slots", slots);
        settings.put("reps", reps);
        settings.put("tickMillis", tickMillis);
        List<Figure> figures = new ArrayList<>();
        if (!pauses.isEmpty()) {
            figures.add(Figure.of("pause of a job that paused: its longest gap between two ticks across the kill",
                    "ms", pauses));
        }
        figures.add(Figure.of("jobs that paused, per kill (of " + jobs + ")", "jobs", pausedPerKill));
        figures.add(Figure.of("kill → every job ticking again (the last paused job's first tick)", "ms", allBack));
        figures.add(Figure.single("jobs that ran on two nodes at once", "jobs", overlapping, "0"));
        bench.publish(new Report("cluster-leader", "The job queue's leader dies: " + jobs + " jobs on " + nodes
                + " nodes, a 3-node RabbitMQ cluster with quorum queues", settings, figures, List.of(
                "A pause is a gap of more than " + gap + " ms (4 ticks) between two ticks of a job, the later one"
                        + " after the kill: jobs whose node was connected to the killed broker node stop at once"
                        + " and run again under the node's next incarnation; the others keep running through the"
                        + " queue's leader election.")));
    }

    private static boolean allTickedSince(BenchCluster cluster, List<String> names, long since) {
        return names.stream().allMatch(name -> {
            List<TickLog.Tick> ticks = cluster.tickLog(name).ticks();
            return !ticks.isEmpty() && ticks.getLast().at() > since;
        });
    }
}
