package io.orchestr.bench;

import io.orchestr.client.OrchestratorClient;
import io.orchestr.client.PageRequest;
import io.orchestr.client.ServerFilter;
import io.orchestr.e2e.harness.TickLog;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.NodeStatus;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.ServerView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Rebalancing on join (issue 15 point 4): ticker jobs run on some nodes, one more node of as many slots joins, and
 * the managers move jobs to it until it holds its share. Times the pause of each move, from the job's last tick on
 * its old node (the tick it writes when it sees its run stopped) to its first on the new one.
 */
@Command(name = "rebalance", mixinStandardHelpOptions = true,
        description = "Runs ticker jobs on some nodes, starts one more node, and times each rebalancing move: the"
                + " job's last tick on its old node → its first tick on the new one.")
final class RebalanceScenario extends ScenarioCommand {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Option(names = "--jobs", description = "ticker jobs (default: ${DEFAULT-VALUE})")
    int jobs = 60;

    @Option(names = "--nodes", description = "nodes before the one that joins (default: ${DEFAULT-VALUE})")
    int nodes = 2;

    @Option(names = "--slots", description = "slots of every node (default: ${DEFAULT-VALUE})")
    int slots = 40;

    @Override
    void run(BenchContext bench) throws Exception {
        List<Double> pauses = new ArrayList<>();
        double toShare;
        int overlapping = 0;
        long share = Math.round((double) jobs / (nodes + 1));
        try (BenchCluster cluster = BenchCluster.withManager(bench, "rebalance")) {
            cluster.startNodes(nodes, slots);
            // the first tick is written at handler start and the last when the handler sees its stop: tick rarely
            TickerJobs tickers = new TickerJobs(cluster, 1000);
            List<TickerJobs.Created> created = tickers.create("rebalance", jobs, 8);
            Await.until("all jobs Processing", TIMEOUT, Duration.ofMillis(100),
                    () -> tickers.count(JobStatus.Processing) == jobs);
            tickers.awaitStarted(created.stream().map(TickerJobs.Created::name).toList(), TIMEOUT);
            OrchestratorClient client = cluster.client();
            Await.until("no move under way", TIMEOUT, Duration.ofMillis(200), () -> settled(tickers));
            Map<String, String> nodeBefore = new LinkedHashMap<>();
            tickers.all(JobStatus.Processing).forEach(job -> nodeBefore.put(job.name(), job.serverId().toString()));

            String name = "node-" + (nodes + 1);
            cluster.startNode(name, slots, Map.of());
            long joinedAt = System.currentTimeMillis();
            UUID joined = serverNamed(client, name);
            long balancedAt = Await.until(name + " holding " + share + " ± 1 jobs", TIMEOUT, Duration.ofMillis(50),
                    () -> Math.abs(tickers.count(JobStatus.Processing, joined) - share) <= 1 && settled(tickers));
            toShare = balancedAt - joinedAt;
            for (Map.Entry<String, String> job : nodeBefore.entrySet()) {
                TickLog.Run last = cluster.tickLog(job.getKey()).runs().getLast();
                if (!last.nodeId().equals(job.getValue())) {
                    Optional<TickTimeline.Handover> handover = tickers.timeline(job.getKey())
                            .handoverFrom(job.getValue());
                    if (handover.isPresent()) {
                        pauses.add((double) (handover.get().firstOnNew() - handover.get().lastOnOld()));
                        overlapping += handover.get().overlaps() ? 1 : 0;
                    }
                }
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("jobs", jobs);
        settings.put("nodes", nodes);
        settings.put("slots", slots);
        List<Figure> figures = new ArrayList<>();
        if (!pauses.isEmpty()) {
            figures.add(Figure.of("move pause: stopped on the old node → running on the new, per moved job", "ms",
                    pauses));
        }
        figures.add(Figure.single("jobs moved", "jobs", pauses.size(), ""));
        figures.add(Figure.single("node ready → it holds its share ± 1 and no move is under way (API)", "ms",
                toShare, ""));
        figures.add(Figure.single("moved jobs that ran on two nodes at once", "jobs", overlapping, "0"));
        bench.publish(new Report("rebalance", "Rebalancing on join: " + jobs + " jobs on " + nodes + " nodes, one"
                + " more joins", settings, figures, List.of("The pause runs from the job's last tick on its old node"
                + " (written when its handler sees the release) to its first tick on the new one (written at handler"
                + " start); the API is polled every 50 ms.")));
    }

    /** True when every job runs and none is being moved, restarted or paused. */
    private static boolean settled(TickerJobs tickers) {
        List<JobView> all = tickers.all(JobStatus.Processing);
        return all.stream().allMatch(job -> job.reason() == null)
                && tickers.count(JobStatus.Queued) == 0;
    }

    private static UUID serverNamed(OrchestratorClient client, String name) {
        List<UUID> found = new ArrayList<>();
        Await.until("server " + name + " reporting", TIMEOUT, Duration.ofMillis(50), () -> {
            client.servers(new ServerFilter(NodeStatus.Active), PageRequest.first(100)).items().stream()
                    .filter(server -> server.name().equals(name)).map(ServerView::id).findFirst()
                    .ifPresent(found::add);
            return !found.isEmpty();
        });
        return found.getFirst();
    }
}
