package io.orchestr.e2e;

import io.orchestr.e2e.harness.BrokerCluster;
import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.e2e.harness.TickLog;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Orchestr on a 3-node RabbitMQ cluster ({@code deploy/rabbitmq-cluster.sh}) with quorum queues, two managers and
 * three nodes given every broker node's address: the broker node leading the job queue is killed (SIGKILL) and
 * started again, then the one leading the manager queue, then any node not restarted yet, so that every broker
 * node was restarted once (a rolling restart). After each step every job runs again, none was lost, none ran
 * twice at once; the pauses the jobs saw are printed.
 */
class BrokerClusterTest {
    private static final int JOBS = 200;
    private static final int TICK_MILLIS = 500;
    /** A gap between two ticks of a job longer than this is a pause (the ticker writes every 500 ms). */
    private static final long PAUSE_MILLIS = 1_500;
    private static final Duration BACK_WITHIN = Duration.ofSeconds(60);

    private static BrokerCluster brokers;
    private static Cluster cluster;
    private static OrchestrProcess managerB;

    @BeforeAll
    static void startCluster() {
        brokers = BrokerCluster.start(Cluster.nodeRoot(),
                Path.of(System.getProperty("orchestr.e2e.logs", "target/e2e-logs"), "rabbitmq-cluster.log"));
        cluster = Cluster.onBrokerCluster("broker-cluster", brokers);
        managerB = cluster.addManager("manager-b");
        for (int i = 1; i <= 3; i++) {
            cluster.startNode("node-" + i, 70);
        }
    }

    @AfterAll
    static void stopCluster() {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (brokers != null) {
                brokers.close();
            }
        }
    }

    @Test
    void jobsKeepRunningOnceEachAcrossARollingRestartOfTheBrokerCluster() {
        Jobs jobs = new Jobs(cluster);
        List<UUID> ids = new ArrayList<>(jobs.createTickers("cluster", JOBS / 2, TICK_MILLIS));
        ids.addAll(new Jobs(cluster, Cluster.clientOf(managerB)).createTickers("cluster-b", JOBS / 2, TICK_MILLIS));
        Map<UUID, JobView> before = jobs.awaitAllProcessing(ids, Duration.ofSeconds(120));
        jobs.awaitAllTicking(ids, Duration.ofSeconds(60));
        List<String> names = before.values().stream().map(JobView::name).toList();

        String jobQueue = cluster.prefix() + ".jobs.default";
        String managerQueue = cluster.prefix() + ".manager";
        Set<Integer> restarted = new LinkedHashSet<>();
        List<String> figures = new ArrayList<>();
        int first = brokers.leaderOf(jobQueue);
        figures.add(step("the job queue's leader", first, jobs, ids, names));
        restarted.add(first);
        int second = brokers.leaderOf(managerQueue);
        figures.add(step("the manager queue's leader", second, jobs, ids, names));
        restarted.add(second);
        for (int n = 1; n <= 3; n++) {
            if (restarted.add(n)) {
                figures.add(step("broker node " + n + " (rolling restart)", n, jobs, ids, names));
            }
        }
        awaitAllTicking("at the end", jobs, ids, names);
        System.out.println("BrokerClusterTest: " + JOBS + " jobs on 3 nodes, 2 managers, 3 broker nodes:\n  "
                + String.join("\n  ", figures));

        assertThat(jobs.all()).extracting(JobView::id).containsExactlyInAnyOrderElementsOf(ids);
        jobs.assertNoJobRanTwiceAtOnce(ids);
        assertThat(cluster.runOverlapsCounted()).as("overlapping runs the manager counted").isZero();
    }

    /**
     * Kills broker node {@code n}, waits until every job runs again (Processing, ticking), starts the node again
     * and waits until it serves and every job still runs; returns the step's figures, read from the tick logs.
     */
    private static String step(String what, int n, Jobs jobs, List<UUID> ids, List<String> names) {
        long killedAt = System.currentTimeMillis();
        brokers.kill(n);
        awaitAllTicking("after " + what + " (node " + n + ") died", jobs, ids, names);
        long restartingAt = System.currentTimeMillis();
        brokers.startNode(n);
        double restart = (System.currentTimeMillis() - restartingAt) / 1000.0;
        awaitAllTicking("after node " + n + " is back", jobs, ids, names);
        jobs.assertNoJobRanTwiceAtOnce(ids);

        List<TickLog.Gap> pauses = names.stream()
                .flatMap(name -> cluster.tickLog(name).longestGapEndingAfter(killedAt).stream())
                .filter(pause -> pause.millis() > PAUSE_MILLIS)
                .sorted(Comparator.comparingLong(TickLog.Gap::millis)).toList();
        long lastResumed = pauses.stream().mapToLong(TickLog.Gap::to).max().orElse(killedAt);
        return String.format("kill %s (node %d): %d of %d jobs paused, median %.1f s, longest %.1f s; every job"
                        + " ticking again %.1f s after the kill; the node restarted and rejoined in %.1f s",
                what, n, pauses.size(), names.size(),
                pauses.isEmpty() ? 0.0 : pauses.get(pauses.size() / 2).millis() / 1000.0,
                pauses.isEmpty() ? 0.0 : pauses.getLast().millis() / 1000.0, (lastResumed - killedAt) / 1000.0,
                restart);
    }

    /**
     * Waits until every job is Processing (one read of the API) and ticked within the last {@link #PAUSE_MILLIS}:
     * from {@link #PAUSE_MILLIS} after the call on, so that a job a kill stopped has stopped ticking by then.
     */
    private static void awaitAllTicking(String when, Jobs jobs, List<UUID> ids, List<String> names) {
        await("every job Processing and ticking " + when).atMost(BACK_WITHIN)
                .pollDelay(Duration.ofMillis(PAUSE_MILLIS + 500)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> {
                    Map<UUID, JobView> all = jobs.all().stream()
                            .collect(Collectors.toMap(JobView::id, Function.identity()));
                    long recent = System.currentTimeMillis() - PAUSE_MILLIS;
                    return ids.stream().allMatch(id -> all.containsKey(id)
                            && all.get(id).status() == JobStatus.Processing)
                            && names.stream().allMatch(name -> {
                                List<TickLog.Tick> ticks = cluster.tickLog(name).ticks();
                                return !ticks.isEmpty() && ticks.getLast().at() > recent;
                            });
                });
    }
}
