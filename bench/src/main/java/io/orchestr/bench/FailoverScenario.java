package io.orchestr.bench;

import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Scenario 1, with scenario 2 in the same run: SIGKILL the node that holds the most jobs and time, per job, the
 * way from the kill to its handler running again on another node, as the handlers' own tick files show it; and
 * the way until the API shows them all {@code Processing} elsewhere. After each kill the same number of messages
 * goes through the broker floor, so that the two can be compared kill for kill.
 */
@Command(name = "failover", mixinStandardHelpOptions = true,
        description = "SIGKILLs the node holding the most ticker jobs; times kill → handler running elsewhere (per"
                + " job, from the tick files) and kill → API shows all Processing elsewhere; compares with the broker"
                + " floor measured after each kill.")
final class FailoverScenario extends ScenarioCommand {
    @Option(names = "--jobs", split = ",", paramLabel = "M",
            description = "jobs per run; one run and table per size (default: ${DEFAULT-VALUE})")
    List<Integer> sizes = List.of(20, 1000);

    @Option(names = "--nodes",
            description = "nodes, each with as many slots as there are jobs (default: ${DEFAULT-VALUE})")
    int nodes = 2;

    @Option(names = "--reps", description = "kills per size (default: ${DEFAULT-VALUE})")
    int reps = 5;

    @Option(names = "--tick-millis", description = "ticker interval; the first tick is written at handler start"
            + " whatever it is, so it only sets the load of the tick files (default: ${DEFAULT-VALUE})")
    int tickMillis = 500;

    @Option(names = "--clients",
            description = "concurrent clients creating and cancelling jobs (default: ${DEFAULT-VALUE})")
    int clients = 8;

    @Option(names = "--timeout", description = "longest wait for any step, in seconds (default: ${DEFAULT-VALUE})")
    int timeoutSeconds = 120;

    /** How the busiest node is stopped. */
    enum Signal {
        /** SIGKILL: a crash; the broker hands the messages over when the kernel closes the connection. */
        KILL,
        /** SIGTERM: a graceful close; the node stops its handlers, tells the managers and hands the jobs back. */
        TERM
    }

    @Option(names = "--signal", description = "KILL (a crash) or TERM (a graceful close) (default: ${DEFAULT-VALUE})")
    Signal signal = Signal.KILL;

    /** What one kill showed. */
    private record Kill(int victimJobs, List<Double> perJob, double apiAllProcessing, int ranTwice) {
        double allElsewhere() {
            return Stats.of(perJob).max();
        }
    }

    @Override
    void run(BenchContext bench) throws Exception {
        for (int jobs : sizes) {
            runSize(bench, jobs);
        }
    }

    private void runSize(BenchContext bench, int jobs) throws Exception {
        List<Kill> kills = new ArrayList<>();
        List<List<Double>> floorRuns = new ArrayList<>();
        try (BenchCluster cluster = BenchCluster.withManager(bench, "failover-" + jobs);
             Floor floor = new Floor(bench, cluster.logs())) {
            List<OrchestrProcess> running = new ArrayList<>(cluster.startNodes(nodes, jobs));
            TickerJobs tickers = new TickerJobs(cluster, tickMillis);
            for (int rep = 1; rep <= reps; rep++) {
                Kill kill = killOnce(cluster, tickers, running, "r" + rep, jobs);
                kills.add(kill);
                floorRuns.add(floor.measure(kill.victimJobs()));
                bench.progress("failover %d jobs, rep %d/%d: %d jobs moved, all running elsewhere after %.0f ms"
                        + " (floor %.1f ms)", jobs, rep, reps, kill.victimJobs(), kill.allElsewhere(),
                        Stats.of(floorRuns.getLast()).max());
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("jobs", jobs);
        settings.put("nodes", nodes);
        settings.put("reps", reps);
        settings.put("tickMillis", tickMillis);
        Map<String, Object> floorSettings = new LinkedHashMap<>();
        floorSettings.put("messages", "as many as the killed node's jobs, per kill");
        floorSettings.put("reps", reps);
        bench.publish(FloorScenario.report("floor-" + jobs, "Broker floor beside the failover of " + jobs + " jobs",
                floorSettings, floorRuns));
        settings.put("signal", "SIG" + signal);
        bench.publish(report(jobs, signal, settings, kills, floorRuns));
    }

    /** The node that runs the most jobs, and those jobs. */
    private record Victim(OrchestrProcess process, UUID nodeId, List<String> jobNames) {
    }

    private Kill killOnce(BenchCluster cluster, TickerJobs tickers, List<OrchestrProcess> running, String namePrefix,
                          int jobs) {
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        List<TickerJobs.Created> created = tickers.create(namePrefix, jobs, clients);
        Await.until(jobs + " jobs Processing", timeout, Duration.ofMillis(100),
                () -> tickers.count(JobStatus.Processing) == jobs);
        tickers.awaitStarted(created.stream().map(TickerJobs.Created::name).toList(), timeout);
        Victim victim = busiestNode(tickers, running);

        long killedAt = System.currentTimeMillis();
        if (signal == Signal.TERM) {
            victim.process().terminate();
        } else {
            victim.process().kill();
        }
        long apiAt = Await.until("the API to show the jobs of " + victim.process().name() + " Processing elsewhere",
                timeout, Duration.ofMillis(10), () -> tickers.count(JobStatus.Processing, victim.nodeId()) == 0
                        && tickers.count(JobStatus.Processing) == jobs);
        String killedId = victim.nodeId().toString();
        List<String> moved = victim.jobNames();
        Await.until("the handlers of " + moved.size() + " jobs to run elsewhere", timeout, Duration.ofMillis(200),
                () -> moved.stream().allMatch(name -> tickers.timeline(name).firstElsewhere(killedId).isPresent()));
        List<Double> perJob = moved.stream()
                .map(name -> (double) (tickers.timeline(name).firstElsewhere(killedId).orElseThrow() - killedAt))
                .toList();
        int ranTwice = (int) moved.stream().filter(name -> cluster.tickLog(name).overlap().isPresent()).count();

        // back to where the next kill starts: all nodes up, no jobs
        running.set(running.indexOf(victim.process()),
                cluster.startNodes(List.of(victim.process().name()), jobs).getFirst());
        tickers.cancel(created.stream().map(TickerJobs.Created::id).toList(), clients);
        tickers.awaitNoneActive(timeout);
        return new Kill(moved.size(), perJob, apiAt - killedAt, ranTwice);
    }

    private static Victim busiestNode(TickerJobs tickers, List<OrchestrProcess> running) {
        Map<UUID, List<JobView>> byNode = tickers.all(JobStatus.Processing).stream()
                .collect(Collectors.groupingBy(JobView::serverId));
        List<JobView> jobs = byNode.values().stream().max(Comparator.comparingInt(List::size)).orElseThrow();
        String name = jobs.getFirst().serverName();
        OrchestrProcess process = running.stream().filter(node -> node.name().equals(name)).findFirst()
                .orElseThrow(() -> new BenchException("the API shows jobs on " + name + ", which the bench did not"
                        + " start"));
        return new Victim(process, jobs.getFirst().serverId(), jobs.stream().map(JobView::name).toList());
    }

    /** The targets of the fleet-scale issue: SIGKILL of 500 of 1,000 jobs and 5,000 of 10,000; SIGTERM of 10 of 20. */
    private static String target(int jobs, Signal signal) {
        if (signal == Signal.TERM) {
            return "max ≤ 100 ms";
        }
        return jobs <= 1_000 ? "median ≤ 100 ms, max ≤ 250 ms" : "median ≤ 1000 ms";
    }

    private static Report report(int jobs, Signal signal, Map<String, Object> settings, List<Kill> kills,
                                 List<List<Double>> floorRuns) {
        List<Double> perJob = kills.stream().flatMap(kill -> kill.perJob().stream()).toList();
        List<Double> floorPerMessage = floorRuns.stream().flatMap(List::stream).toList();
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < kills.size(); i++) {
            ratios.add(kills.get(i).allElsewhere() / Stats.of(floorRuns.get(i)).max());
        }
        double medianRatio = Stats.of(perJob).median() / Stats.of(floorPerMessage).median();
        String id = signal == Signal.TERM ? "failover-term-" : "failover-";
        return new Report(id + jobs, "Failover on SIG" + signal + ": " + jobs + " jobs", settings, List.of(
                Figure.of("jobs on the killed node, per kill", "jobs",
                        kills.stream().map(kill -> (double) kill.victimJobs()).toList()),
                Figure.of("kill → handler running on another node, per job", "ms", perJob),
                Figure.of("kill → all its jobs running elsewhere, per kill", "ms",
                        kills.stream().map(Kill::allElsewhere).toList(), target(jobs, signal)),
                Figure.of("kill → API shows all Processing elsewhere, per kill", "ms",
                        kills.stream().map(Kill::apiAllProcessing).toList()),
                Figure.of("all running elsewhere ÷ floor all redelivered, per kill", "×", ratios, "≤ 3×"),
                Figure.single("median per job ÷ floor median per message", "×", medianRatio, ""),
                Figure.single("jobs that ran on two nodes at once", "jobs",
                        kills.stream().mapToInt(Kill::ranTwice).sum(), "0")),
                List.of("Handler start times come from the tick files the handlers write (first line at start);"
                        + " the API figure is when polling (every 10 ms) first saw it."));
    }
}
