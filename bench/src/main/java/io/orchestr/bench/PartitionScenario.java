package io.orchestr.bench;

import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.shared.JobStatus;
import io.orchestr.testing.TcpProxy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 7: one node reaches the broker only through a {@link TcpProxy} that the benchmark cuts. From the
 * cut: when its jobs stop on it, when they run elsewhere, and whether any ran on both at once (must be never).
 */
@Command(name = "partition", mixinStandardHelpOptions = true,
        description = "Cuts one node off from the broker through a TCP proxy (forwarding stops, nothing is closed);"
                + " times cut → last tick on the cut node, cut → first tick elsewhere, and the overlap.")
final class PartitionScenario extends ScenarioCommand {
    @Option(names = "--jobs", description = "jobs, all on the node that is cut (default: ${DEFAULT-VALUE})")
    int jobs = 20;

    @Option(names = "--tick-millis", description = "ticker interval: the resolution of 'last tick on the cut node'"
            + " and of the overlap check (default: ${DEFAULT-VALUE})")
    int tickMillis = 50;

    @Option(names = "--timeout", description = "longest wait for the jobs to run elsewhere, in seconds"
            + " (default: ${DEFAULT-VALUE})")
    int timeoutSeconds = 180;

    @Option(names = "--settle", description = "seconds to keep watching the cut node's tick files once every job"
            + " runs elsewhere, to catch a run that goes on (default: ${DEFAULT-VALUE})")
    int settleSeconds = 3;

    /** What the cut showed: when it happened, how each job moved, and the cut node's settings. */
    private record Cut(long at, List<TickTimeline.Handover> handovers, String nodeSettings) {
    }

    @Override
    void run(BenchContext bench) throws Exception {
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        Services.Broker broker = bench.services().broker();
        Cut cut;
        try (BenchCluster cluster = BenchCluster.withManager(bench, "partition");
             TcpProxy proxy = new TcpProxy(new InetSocketAddress(broker.host(), broker.port()), 16)) {
            OrchestrProcess cutNode = cluster.startNode("node-cut", jobs, Map.of("ORCHESTR_RABBITMQ_HOST", "127.0.0.1",
                    "ORCHESTR_RABBITMQ_PORT", Integer.toString(proxy.port())));
            // all jobs start on the node to be cut: it is the only one yet
            TickerJobs tickers = new TickerJobs(cluster, tickMillis);
            List<String> names = tickers.create("part", jobs, 4).stream().map(TickerJobs.Created::name).toList();
            Await.until(jobs + " jobs Processing", timeout, Duration.ofMillis(100),
                    () -> tickers.count(JobStatus.Processing) == jobs);
            tickers.awaitStarted(names, timeout);
            String cutId = tickers.all(JobStatus.Processing).getFirst().serverId().toString();
            cluster.startNodes(List.of("node-ok"), jobs);

            long cutAt = System.currentTimeMillis();
            proxy.cut();
            bench.progress("cut node-cut off the broker; waiting for its %d jobs to run on node-ok", jobs);
            Await.until("the jobs of the cut node to run elsewhere", timeout, Duration.ofMillis(200),
                    () -> names.stream().allMatch(name -> tickers.timeline(name).firstElsewhere(cutId).isPresent()));
            Await.sleep(Duration.ofSeconds(settleSeconds));
            cut = new Cut(cutAt, names.stream()
                    .map(name -> tickers.timeline(name).handoverFrom(cutId).orElseThrow()).toList(),
                    settingsLine(cutNode));
        }
        bench.publish(report(cut));
    }

    /** The line in which the node logs its effective settings (fence timeout, heartbeat), if it wrote one. */
    private static String settingsLine(OrchestrProcess node) {
        return node.log().lines().filter(line -> line.contains("fence after")).findFirst()
                .map(line -> line.substring(Math.max(0, line.indexOf("Starting")))).orElse("(not in its log)");
    }

    private Report report(Cut cut) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("jobs", jobs);
        settings.put("tickMillis", tickMillis);
        List<TickTimeline.Handover> handovers = cut.handovers();
        return new Report("partition", "Network partition: a node cut off from the broker", settings, List.of(
                Figure.of("cut → last tick on the cut node, per job", "ms",
                        handovers.stream().map(h -> (double) (h.lastOnOld() - cut.at())).toList()),
                Figure.of("cut → first tick on another node, per job", "ms",
                        handovers.stream().map(h -> (double) (h.firstOnNew() - cut.at())).toList()),
                Figure.of("overlap of the two runs, per job", "ms",
                        handovers.stream().map(h -> (double) h.overlapMillis()).toList(), "0"),
                Figure.single("jobs that ran on both nodes at once", "jobs",
                        handovers.stream().filter(TickTimeline.Handover::overlaps).count(), "0")),
                List.of("The cut node's last tick is a lower bound of when its handler stopped: the handler may run"
                        + " up to one tick interval longer, unless it wrote a 'cancelled' tick as it stopped.",
                        "The cut node's settings, from its log: " + cut.nodeSettings()));
    }
}
