package io.orchestr.bench;

import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.e2e.harness.TickLog;
import io.orchestr.shared.JobStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Scenario 10: healthy nodes on a loaded machine, nobody cut off: how often a node fences itself, or the broker
 * gives it up, for nothing. Busy threads in the bench's own JVM load every core while the nodes run their jobs, so
 * the nodes, the manager, the broker and the database fight for the CPU as on an overloaded host; any fence or
 * lost session in that time is spurious, and costs its jobs a restart.
 */
@Command(name = "fences", mixinStandardHelpOptions = true,
        description = "Runs ticker jobs on healthy nodes while busy threads load every core, and counts the nodes'"
                + " fences and lost broker sessions (all spurious: nothing is cut off) and the jobs they restarted.")
final class SpuriousFencesScenario extends ScenarioCommand {
    @Option(names = "--nodes", description = "nodes (default: ${DEFAULT-VALUE})")
    int nodes = 3;

    @Option(names = "--jobs", description = "ticker jobs, spread over the nodes (default: ${DEFAULT-VALUE})")
    int jobs = 300;

    @Option(names = "--tick-millis", description = "ticker interval (default: ${DEFAULT-VALUE})")
    int tickMillis = 100;

    @Option(names = "--minutes", description = "how long the load lasts (default: ${DEFAULT-VALUE})")
    int minutes = 5;

    @Option(names = "--burners", description = "busy threads loading the CPU; 0 for an unloaded run"
            + " (default: twice the cores, ${DEFAULT-VALUE})")
    int burners = 2 * Runtime.getRuntime().availableProcessors();

    @Override
    void run(BenchContext bench) throws Exception {
        Duration timeout = Duration.ofMinutes(3);
        int fences;
        int lost;
        long restarted;
        String nodeSettings;
        // rebalancing off: a move is no fence, but it would show as a job on two incarnations
        try (BenchCluster cluster = BenchCluster.withManager(bench, "fences",
                Map.of("ORCHESTR_REBALANCE_MAX_MOVES_PER_MINUTE", "0"))) {
            List<OrchestrProcess> started = cluster.startNodes(nodes, jobs);
            TickerJobs tickers = new TickerJobs(cluster, tickMillis);
            List<String> names = tickers.create("fence", jobs, 8).stream().map(TickerJobs.Created::name).toList();
            Await.until(jobs + " jobs Processing", timeout, Duration.ofMillis(200),
                    () -> tickers.count(JobStatus.Processing) == jobs);
            tickers.awaitStarted(names, timeout);
            int fencesBefore = count(started, "FENCED");
            int lostBefore = count(started, "DELIVERIES LOST");
            long loadedFrom = System.currentTimeMillis();
            AtomicBoolean burning = new AtomicBoolean(true);
            List<Thread> load = new ArrayList<>();
            for (int i = 0; i < burners; i++) {
                load.add(Thread.ofPlatform().daemon().name("bench-burner-" + i).start(() -> burn(burning)));
            }
            bench.progress("%d busy threads load the CPU for %d min; %d jobs tick on %d nodes", burners, minutes,
                    jobs, nodes);
            try {
                Await.sleep(Duration.ofMinutes(minutes));
            } finally {
                burning.set(false);
                for (Thread thread : load) {
                    thread.join();
                }
            }
            fences = count(started, "FENCED") - fencesBefore;
            lost = count(started, "DELIVERIES LOST") - lostBefore;
            restarted = names.stream().filter(name -> tickers.timeline(name).ticks().stream()
                    .filter(tick -> tick.at() >= loadedFrom).map(TickLog.Tick::nodeId).distinct().count() > 1)
                    .count();
            nodeSettings = BenchCluster.settingsOf(started.getFirst());
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("nodes", nodes);
        settings.put("jobs", jobs);
        settings.put("tickMillis", tickMillis);
        settings.put("minutes", minutes);
        settings.put("burners", burners);
        settings.put("cores", Runtime.getRuntime().availableProcessors());
        bench.publish(new Report("fences", "Spurious fences: healthy nodes on a loaded machine", settings, List.of(
                Figure.single("fences (all spurious)", "fences", fences, "0"),
                Figure.single("broker sessions lost (the broker gave a node up, or the node the broker)", "sessions",
                        lost, "0"),
                Figure.single("jobs that ran on more than one node incarnation under the load", "jobs", restarted,
                        "0")),
                List.of("Load: " + burners + " busy threads in the bench's JVM, for " + minutes + " min, on "
                        + Runtime.getRuntime().availableProcessors() + " cores shared with the manager, the nodes,"
                        + " RabbitMQ and MariaDB.", "The nodes' settings, from a log: " + nodeSettings)));
    }

    /** How many lines of the nodes' logs name {@code marker}. */
    private static int count(List<OrchestrProcess> nodes, String marker) {
        return nodes.stream().mapToInt(node -> (int) node.log().lines().filter(line -> line.contains(marker)).count())
                .sum();
    }

    /** Spins until told to stop: a thread the scheduler sees runnable all the time, nothing else. */
    private static void burn(AtomicBoolean burning) {
        while (burning.get()) {
            Thread.onSpinWait();
        }
    }
}
