package io.orchestr.bench;

import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.shared.JobStatus;
import io.orchestr.testing.TcpProxy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 7: one node reaches the broker only through a {@link TcpProxy} that the benchmark cuts, or is frozen
 * (SIGSTOP, as a long GC pause or a stopped VM would be) and thawed once its jobs run elsewhere. From the fault:
 * when its jobs stop on it, when they run elsewhere, and whether any ran on both at once (must be never; after a
 * freeze, a tick of the thawed node would show it).
 */
@Command(name = "partition", mixinStandardHelpOptions = true,
        description = "Cuts one node off from the broker through a TCP proxy (forwarding stops, nothing is closed),"
                + " or freezes it with SIGSTOP (--fault FREEZE) and thaws it once its jobs moved; times fault → last"
                + " tick on that node, fault → first tick elsewhere, and the overlap.")
final class PartitionScenario extends ScenarioCommand {
    /** What befalls the node. */
    enum Fault {
        /** Its proxy to the broker stops forwarding, both ways; no connection is closed. */
        CUT,
        /** SIGSTOP; SIGCONT once every job of it runs elsewhere and the settle time passed. */
        FREEZE
    }

    @Option(names = "--fault", description = "CUT or FREEZE (default: ${DEFAULT-VALUE})")
    Fault fault = Fault.CUT;

    @Option(names = "--reps", description = "faults, each on a cluster of its own (default: ${DEFAULT-VALUE})")
    int reps = 1;

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

    /** What one fault showed: when it happened, how each job moved, and the node's settings. */
    private record Cut(long at, List<TickTimeline.Handover> handovers, String nodeSettings) {
    }

    @Override
    void run(BenchContext bench) throws Exception {
        List<Cut> cuts = new ArrayList<>();
        for (int rep = 1; rep <= reps; rep++) {
            cuts.add(once(bench, rep));
        }
        bench.publish(report(cuts));
    }

    private Cut once(BenchContext bench, int rep) throws Exception {
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        Services.Broker broker = bench.services().broker();
        // rebalancing off: the second node must not take jobs off the first before the fault
        try (BenchCluster cluster = BenchCluster.withManager(bench, "partition-" + rep,
                Map.of("ORCHESTR_REBALANCE_MAX_MOVES_PER_MINUTE", "0"));
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
            if (fault == Fault.CUT) {
                proxy.cut();
            } else {
                cutNode.signal("STOP");
            }
            bench.progress("%s node-cut (%d of %d); waiting for its %d jobs to run on node-ok",
                    fault == Fault.CUT ? "cut off" : "froze", rep, reps, jobs);
            try {
                Await.until("the jobs of node-cut to run elsewhere", timeout, Duration.ofMillis(100),
                        () -> names.stream().allMatch(name -> tickers.timeline(name).firstElsewhere(cutId)
                                .isPresent()));
                Await.sleep(Duration.ofSeconds(settleSeconds));
            } finally {
                if (fault == Fault.FREEZE) {
                    cutNode.signal("CONT");
                }
            }
            if (fault == Fault.FREEZE) {
                Await.sleep(Duration.ofSeconds(settleSeconds)); // a thawed handler that works on ticks now
            }
            return new Cut(cutAt, names.stream().map(name -> fault == Fault.CUT ? tickers.timeline(name)
                    : tickers.timeline(name).withoutStopTicks()).map(timeline -> timeline.handoverFrom(cutId)
                    .orElseThrow()).toList(),
                    BenchCluster.settingsOf(cutNode));
        }
    }

    private Report report(List<Cut> cuts) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("fault", fault.name());
        settings.put("jobs", jobs);
        settings.put("reps", reps);
        settings.put("tickMillis", tickMillis);
        List<TickTimeline.Handover> handovers = cuts.stream().flatMap(cut -> cut.handovers().stream()).toList();
        String what = fault == Fault.CUT ? "cut" : "freeze";
        return new Report(fault == Fault.CUT ? "partition" : "freeze", fault == Fault.CUT
                ? "Network partition: a node cut off from the broker" : "A node frozen (SIGSTOP), thawed later",
                settings, List.of(
                Figure.of(what + " → last tick on that node, per job", "ms", cuts.stream().flatMap(cut -> cut
                        .handovers().stream().map(h -> (double) (h.lastOnOld() - cut.at()))).toList()),
                Figure.of(what + " → first tick on another node, per job", "ms", cuts.stream().flatMap(cut -> cut
                        .handovers().stream().map(h -> (double) (h.firstOnNew() - cut.at()))).toList()),
                Figure.of(what + " → every job running elsewhere, per fault", "ms", cuts.stream()
                        .map(cut -> (double) (cut.handovers().stream().mapToLong(TickTimeline.Handover::firstOnNew)
                                .max().orElseThrow() - cut.at())).toList()),
                Figure.of("overlap of the two runs, per job", "ms",
                        handovers.stream().map(h -> (double) h.overlapMillis()).toList(), "0"),
                Figure.single("jobs that ran on both nodes at once", "jobs",
                        handovers.stream().filter(TickTimeline.Handover::overlaps).count(), "0")),
                List.of(fault == Fault.CUT ? "The cut node's last tick is a lower bound of when its handler stopped:"
                        + " the handler may run up to one tick interval longer, unless it wrote a 'cancelled' tick as"
                        + " it stopped." : "The frozen node's last tick of work: the 'cancelled' tick a handler"
                        + " writes as it stops after the thaw is not counted; any other tick after the thaw would"
                        + " show as an overlap.",
                        "The node's settings, from its log: " + cuts.getFirst().nodeSettings()));
    }
}
