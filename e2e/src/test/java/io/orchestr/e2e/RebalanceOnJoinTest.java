package io.orchestr.e2e;

import io.orchestr.client.PageRequest;
import io.orchestr.client.ServerFilter;
import io.orchestr.e2e.harness.TickLog;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.NodeStatus;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;
import io.orchestr.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rebalancing on join with real processes: 60 ticker jobs run on two nodes of 40 slots; a third node of 40 slots
 * joins and the managers move jobs to it, by zero-overlap moves, until it holds 20 ± 1 and so do the others. The
 * sticky jobs stay where they ran, no job moves twice, and no two runs of a job overlap, by the manager's own
 * record (its overlap check) and by the handlers' ticks.
 */
class RebalanceOnJoinTest {
    private static final int JOBS = 60;
    private static final int STICKY = 6;
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private static Cluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.withManager("rebalance", TestServices.get().newDatabase("rebalance"),
                TestServices.get().broker(), Map.of("ORCHESTR_REBALANCE_MAX_MOVES_PER_MINUTE", "60"));
        cluster.startNode("node-1", 40);
        cluster.startNode("node-2", 40);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void aJoiningNodeEndsWithItsShareOfTheJobsWithoutOverlapAndStickyJobsStay() throws Exception {
        Jobs jobs = new Jobs(cluster);
        List<UUID> sticky = new ArrayList<>();
        for (int i = 0; i < STICKY; i++) {
            String name = "sticky-" + i;
            JobView created = cluster.client().createJob(new NewJob(name, cluster.tickArgument(name, 500), "ticker",
                    null, null).withSticky(true));
            assertThat(created.sticky()).as("the view of %s", name).isTrue();
            sticky.add(created.id());
        }
        List<UUID> ids = new ArrayList<>(sticky);
        ids.addAll(jobs.createTickers("plain", JOBS - STICKY, 500));
        jobs.awaitAllProcessing(ids, DEADLINE);
        jobs.awaitAllTicking(ids, DEADLINE);
        // node-1 and node-2 may have evened out between them meanwhile: wait until no move is under way
        await("no move under way").atMost(DEADLINE).until(() -> jobs.all().stream()
                .allMatch(job -> job.status() == JobStatus.Processing && job.reason() == null));
        Map<UUID, Integer> runsBefore = ids.stream().collect(Collectors.toMap(Function.identity(),
                id -> cluster.tickLog(jobs.job(id).name()).runs().size()));
        Map<UUID, UUID> stickyOn = sticky.stream().collect(Collectors.toMap(Function.identity(),
                id -> jobs.job(id).serverId()));

        cluster.startNode("node-3", 40);
        UUID joined = await("node-3 reporting").atMost(DEADLINE).until(() -> cluster.client().servers(
                        new ServerFilter(NodeStatus.Active), PageRequest.first(10)).items().stream()
                .filter(server -> server.name().equals("node-3")).findFirst(), found -> found.isPresent())
                .orElseThrow().id();

        await("node-3 holding 20 ± 1 of the jobs, all running").atMost(DEADLINE).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    List<JobView> all = jobs.all();
                    long onJoined = all.stream().filter(job -> job.status() == JobStatus.Processing
                            && joined.equals(job.serverId()) && job.reason() == null).count();
                    return Math.abs(onJoined - 20) <= 1
                            && all.stream().allMatch(job -> job.status() == JobStatus.Processing);
                });
        Map<UUID, JobView> running = jobs.awaitAllProcessing(ids, DEADLINE);

        assertThat(Jobs.countByServer(running)).as("jobs per node").containsOnlyKeys("node-1", "node-2", "node-3")
                .allSatisfy((node, count) -> assertThat(count).as("jobs on %s", node).isBetween(19L, 21L));
        stickyOn.forEach((id, node) -> {
            assertThat(running.get(id).serverId()).as("node of sticky job %s", id).isEqualTo(node);
            assertThat(cluster.tickLog(running.get(id).name()).runs()).as("runs of sticky job %s", id).hasSize(1);
        });
        for (JobView job : running.values()) {
            List<TickLog.Run> runs = cluster.tickLog(job.name()).runs();
            assertThat(runs.size() - runsBefore.get(job.id())).as("runs of %s since node-3 joined: moved at most"
                    + " once", job.name()).isBetween(0, 1);
            assertThat(runs.getLast().nodeId()).as("node of the last run of %s", job.name())
                    .isEqualTo(job.serverId().toString());
        }
        jobs.assertNoJobRanTwiceAtOnce(ids);
        assertThat(cluster.manager().log()).doesNotContain("may have run twice");
        assertThat(cluster.runOverlapsCounted()).as("orchestr_run_overlaps_total").isZero();
    }
}
