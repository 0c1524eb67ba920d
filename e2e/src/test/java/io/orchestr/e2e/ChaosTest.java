package io.orchestr.e2e;

import io.orchestr.client.PageRequest;
import io.orchestr.client.ServerFilter;
import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.e2e.harness.TickLog;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.NodeStatus;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.ServerView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chaos run: 200 jobs on 3 nodes while, for {@code orchestr.chaos.duration} (90 s in CI; {@code
 * deploy/chaos.sh <duration>} for a long run), nodes are SIGKILLed or stopped and started again at random, the
 * broker is restarted once and the manager once. After each fault the run waits until every job ticks again
 * and records how long the longest pause was. At the end every job is {@code Processing} on exactly one node,
 * no tick log shows two node incarnations running a job at the same time, and no job is missing.
 *
 * <p>The seed ({@code orchestr.chaos.seed}) is printed, so a failing run can be replayed in the same order.
 */
class ChaosTest {
    private static final int JOBS = 200;
    private static final int NODES = 3;
    /** Two nodes must hold every job while the third is down. */
    private static final int SLOTS = JOBS / (NODES - 1);
    private static final int TICK_MILLIS = 250;
    private static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(90);

    private static OwnBroker broker;
    private static Cluster cluster;
    /** The nodes by index; a stopped one is started again in its place. */
    private static OrchestrProcess[] nodes;

    @BeforeAll
    static void startCluster() {
        broker = OwnBroker.start();
        cluster = Cluster.onOwnBroker("chaos", broker, Map.of());
        nodes = new OrchestrProcess[NODES];
        for (int i = 0; i < NODES; i++) {
            nodes[i] = cluster.startNode(nodeName(i), SLOTS);
        }
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyJobRunsOnExactlyOneNodeAfterRandomKillsABrokerRestartAndAManagerRestart() throws IOException {
        Duration duration = Duration.parse(System.getProperty("orchestr.chaos.duration", "PT90S"));
        long seed = Long.getLong("orchestr.chaos.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.printf("Chaos run: %s, seed %d (replay with -Dorchestr.chaos.seed=%d)%n", duration, seed, seed);

        Jobs jobs = new Jobs(cluster);
        List<UUID> ids = jobs.createTickers("chaos", JOBS, TICK_MILLIS);
        Map<UUID, String> names = jobs.awaitAllProcessing(ids, Duration.ofSeconds(120)).values().stream()
                .collect(Collectors.toMap(JobView::id, JobView::name));
        awaitAllTickingAfter(names.values(), System.currentTimeMillis());

        List<String> report = new ArrayList<>();
        long start = System.currentTimeMillis();
        long end = start + duration.toMillis();
        boolean brokerRestarted = false;
        boolean managerRestarted = false;
        while (System.currentTimeMillis() < end || !brokerRestarted || !managerRestarted) {
            double progress = (System.currentTimeMillis() - start) / (double) duration.toMillis();
            long faultAt = System.currentTimeMillis();
            long faultEnded;
            // ticks after this instant show a job running again: its old run stopped before it
            long stoppedBy;
            String fault;
            if (!brokerRestarted && progress >= 1.0 / 3) {
                broker.stop();
                broker.startServer();
                faultEnded = System.currentTimeMillis();
                stoppedBy = faultEnded;
                brokerRestarted = true;
                fault = "broker stopped and started";
            } else if (!managerRestarted && progress >= 2.0 / 3) {
                cluster.manager().kill();
                cluster.startManager();
                faultEnded = System.currentTimeMillis();
                stoppedBy = faultAt; // jobs run on without a manager
                managerRestarted = true;
                fault = "manager SIGKILLed and started";
            } else {
                int victim = random.nextInt(NODES);
                boolean kill = random.nextBoolean();
                if (kill) {
                    nodes[victim].kill();
                } else {
                    nodes[victim].terminate();
                }
                faultEnded = System.currentTimeMillis();
                stoppedBy = faultEnded;
                nodes[victim] = cluster.startNode(nodeName(victim), SLOTS);
                fault = nodeName(victim) + (kill ? " SIGKILLed" : " SIGTERMed") + " and started again";
            }
            awaitAllTickingAfter(names.values(), stoppedBy);
            report.add(String.format("| %s | %.1f ", fault, (faultEnded - faultAt) / 1000.0)
                    + pauses(names.values(), faultAt, stoppedBy));
        }

        await("every job Processing on one of the " + NODES + " live node incarnations").atMost(RECOVERY_DEADLINE)
                .ignoreExceptions().pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    Set<UUID> active = cluster.client().servers(new ServerFilter(NodeStatus.Active),
                            new PageRequest(0, 100)).items().stream().map(ServerView::id).collect(Collectors.toSet());
                    return active.size() == NODES && jobs.all().stream().filter(job -> ids.contains(job.id()))
                            .allMatch(job -> job.status() == JobStatus.Processing && active.contains(job.serverId()));
                });
        Map<UUID, JobView> last = jobs.all().stream().collect(Collectors.toMap(JobView::id, Function.identity()));
        assertThat(last.keySet()).as("no job missing").containsAll(ids);
        for (UUID id : ids) {
            TickLog log = cluster.tickLog(names.get(id));
            assertThat(log.overlap()).as("overlapping runs of %s", names.get(id)).isEmpty();
            long now = System.currentTimeMillis();
            Set<String> tickingNow = log.ticks().stream().filter(tick -> tick.at() > now - 2_000)
                    .map(TickLog.Tick::nodeId).collect(Collectors.toSet());
            assertThat(tickingNow).as("node incarnations running %s now", names.get(id)).hasSize(1);
            assertThat(log.lastNodeName()).as("where %s runs", names.get(id)).contains(last.get(id).serverName());
        }

        String table = String.join("\n", List.of(
                "Chaos run: " + JOBS + " jobs, " + NODES + " nodes, " + duration + ", seed " + seed
                        + "; overlap: none",
                "", "| fault | fault lasted (s) | every job ticking again (s after the fault)"
                        + " | longest pause of a job's ticks (s) | jobs that paused over 1 s |",
                "|---|---|---|---|---|")) + "\n" + String.join("\n", report) + "\n";
        System.out.println(table);
        Path logs = Path.of(System.getProperty("orchestr.e2e.logs", "target/e2e-logs"));
        Files.writeString(logs.resolve("chaos-report.md"), table);
    }

    /** Waits until every job has ticked after {@code since}. */
    private static void awaitAllTickingAfter(Iterable<String> names, long since) {
        await("every job ticks again after the fault").atMost(RECOVERY_DEADLINE).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    for (String name : names) {
                        List<TickLog.Tick> ticks = cluster.tickLog(name).ticks();
                        if (ticks.isEmpty() || ticks.getLast().at() <= since) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    /**
     * The measured part of a report row, read from the tick logs: when the last job ticked again after
     * {@code stoppedBy}, and the longest gap between two ticks of one job from {@code faultAt} to its first tick
     * after {@code stoppedBy}.
     */
    private static String pauses(Iterable<String> names, long faultAt, long stoppedBy) {
        long lastResumed = faultAt;
        long longest = 0;
        int paused = 0;
        for (String name : names) {
            long previous = Long.MIN_VALUE;
            long jobLongest = 0;
            for (TickLog.Tick tick : cluster.tickLog(name).ticks()) {
                if (previous != Long.MIN_VALUE && tick.at() > faultAt) {
                    jobLongest = Math.max(jobLongest, tick.at() - previous);
                }
                if (tick.at() > stoppedBy) {
                    lastResumed = Math.max(lastResumed, tick.at());
                    break;
                }
                previous = tick.at();
            }
            longest = Math.max(longest, jobLongest);
            paused += jobLongest > 1_000 ? 1 : 0;
        }
        return String.format("| %.2f | %.2f | %d |", (lastResumed - faultAt) / 1000.0, longest / 1000.0, paused);
    }

    private static String nodeName(int index) {
        return "node-" + (index + 1);
    }
}
