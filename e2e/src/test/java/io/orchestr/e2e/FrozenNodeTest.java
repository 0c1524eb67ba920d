package io.orchestr.e2e;

import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node frozen (SIGSTOP) for longer than the fence, as a long GC pause or a stopped VM would: the broker gives it
 * up and its jobs start on the other node. When it thaws (SIGCONT), its handlers, which wait in {@code
 * awaitCancellation}, see their lease lapsed on their own threads and do no more work, before the node's engine has
 * even looked (review §1.3, "Freeze").
 */
class FrozenNodeTest {
    private static final Duration FREEZE = Duration.ofSeconds(20);
    private static Cluster cluster;
    private static OrchestrProcess node1;
    private static OrchestrProcess node2;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.withManager("frozen");
        node1 = cluster.startNode("node-1", 10);
        node2 = cluster.startNode("node-2", 10);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void aThawedNodeDoesNoMoreWorkOnJobsThatMovedWhileItWasFrozen() throws Exception {
        Jobs jobs = new Jobs(cluster);
        List<UUID> ids = jobs.createTickers("frozen", 10, 200);
        Map<UUID, JobView> before = runningTickers(jobs, ids);
        OrchestrProcess frozen = busiest(before);
        OrchestrProcess other = frozen == node1 ? node2 : node1;
        List<String> moved = before.values().stream()
                .filter(job -> job.serverName().equals(frozen.name())).map(JobView::name).toList();
        assertThat(moved).as("jobs on the node to freeze").isNotEmpty();

        long frozenAt = System.nanoTime();
        frozen.signal("STOP");
        try {
            await("jobs of the frozen " + frozen.name() + " ticking on " + other.name()).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> moved.stream().allMatch(name ->
                            cluster.tickLog(name).lastNodeName().orElse("").equals(other.name())));
            await("the freeze to last " + FREEZE).atMost(FREEZE.plusSeconds(5))
                    .until(() -> System.nanoTime() - frozenAt >= FREEZE.toNanos());
        } finally {
            frozen.signal("CONT");
        }

        await(frozen.name() + " fenced after it thawed").atMost(Duration.ofSeconds(30))
                .until(() -> frozen.log().contains("FENCED") || frozen.log().contains("DELIVERIES LOST"));
        // a late tick would come within milliseconds of the thaw: watch a while for one
        await("no work on the thawed node after its jobs moved").during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> moved.stream().allMatch(name -> cluster.tickLog(name).workAfterMove().isEmpty()));
        for (String name : moved) {
            assertThat(cluster.tickLog(name).workAfterMove()).as("work on the thawed node after %s moved", name)
                    .isEmpty();
        }
        assertThat(frozen.isAlive()).isTrue();
    }

    @Test
    void aNodeFrozenForLongerThanTheFenceButShorterThanTheBrokersTimeoutEndsNoneOfItsJobs() throws Exception {
        Jobs jobs = new Jobs(cluster);
        List<UUID> ids = jobs.createTickers("paused", 10, 200);
        OrchestrProcess paused = busiest(runningTickers(jobs, ids));
        int fencesBefore = fences(paused);

        // the fence times out 1.4 s after the last proof (sent at most about 0.3 s before the freeze), the broker
        // gives up 2 to 3 s after the last byte it had: a pause of 1.6 s lapses the lease but not the connection.
        // The thaw comes from a shell started beforehand (kill is its builtin), so no fork delays it
        Process thaw = new ProcessBuilder("sh", "-c", "read go; kill -CONT " + paused.pid()).start();
        paused.signal("STOP");
        long pausedAt = System.nanoTime();
        try {
            await("a pause of 1.6 s").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                    .until(() -> System.nanoTime() - pausedAt >= Duration.ofMillis(1_600).toNanos());
        } finally {
            thaw.getOutputStream().write('\n');
            thaw.getOutputStream().flush();
            assertThat(thaw.waitFor(10, TimeUnit.SECONDS) && thaw.exitValue() == 0).as("kill -CONT").isTrue();
        }
        long thawedAt = System.currentTimeMillis();

        // its handlers see the lapsed lease and return: that return is not the end of their jobs
        await(paused.name() + " fenced itself").atMost(Duration.ofSeconds(20))
                .until(() -> fences(paused) > fencesBefore);
        await("every job Processing and ticking again").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> ids.stream().map(jobs::job).allMatch(job -> job.status() == JobStatus.Processing
                        && cluster.tickLog(job.name()).ticks().stream().filter(tick -> !tick.cancelled())
                        .anyMatch(tick -> tick.at() > thawedAt)));
        assertThat(ids.stream().map(jobs::job)).extracting(JobView::status).containsOnly(JobStatus.Processing);
        for (UUID id : ids) {
            assertThat(cluster.tickLog(jobs.job(id).name()).workAfterMove()).isEmpty();
        }
    }

    private static Map<UUID, JobView> runningTickers(Jobs jobs, List<UUID> ids) {
        Map<UUID, JobView> running = jobs.awaitAllProcessing(ids, Duration.ofSeconds(30));
        jobs.awaitAllTicking(ids, Duration.ofSeconds(30));
        return running;
    }

    /** The node that runs the most of these jobs. */
    private static OrchestrProcess busiest(Map<UUID, JobView> jobs) {
        Map<String, Long> counts = Jobs.countByServer(jobs);
        return counts.getOrDefault("node-1", 0L) >= counts.getOrDefault("node-2", 0L) ? node1 : node2;
    }

    private static int fences(OrchestrProcess node) {
        return node.log().split("FENCED", -1).length - 1;
    }
}
