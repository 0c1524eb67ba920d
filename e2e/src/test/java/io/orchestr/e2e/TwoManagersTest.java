package io.orchestr.e2e;

import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.e2e.harness.TickLog;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TwoManagersTest {
    private static Cluster cluster;
    private static OrchestrProcess managerA;
    private static OrchestrProcess managerB;
    private static OrchestrProcess node1;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.withManager("two-managers");
        managerA = cluster.manager();
        managerB = cluster.addManager("manager-b");
        node1 = cluster.startNode("node-1", 20);
        cluster.startNode("node-2", 20);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void bothManagersServeAndTheSurvivorOfASigkillKeepsCreatingCancellingAndFailingOver() {
        Jobs viaA = new Jobs(cluster, Cluster.clientOf(managerA));
        Jobs viaB = new Jobs(cluster, Cluster.clientOf(managerB));
        List<UUID> ids = new ArrayList<>(viaA.createTickers("via-a", 6));
        ids.addAll(viaB.createTickers("via-b", 6));
        viaB.awaitAllProcessing(ids, Duration.ofSeconds(30));

        // kill A while the claims of a fresh batch are in flight: whatever A held unacked goes to B
        ids.addAll(viaB.createTickers("in-flight", 6));
        managerA.kill();
        viaB.awaitAllProcessing(ids, Duration.ofSeconds(30));
        viaB.awaitAllTicking(ids, Duration.ofSeconds(30));

        UUID cancelled = ids.getFirst();
        Cluster.clientOf(managerB).markOnDeleting(cancelled);
        Cluster.clientOf(managerB).awaitStatus(cancelled, JobStatus.Deleted, Duration.ofSeconds(20));
        List<UUID> running = ids.subList(1, ids.size());

        Map<UUID, JobView> before = viaB.awaitAllProcessing(running, Duration.ofSeconds(10));
        List<UUID> moved = before.values().stream().filter(job -> "node-1".equals(job.serverName()))
                .map(JobView::id).toList();
        assertThat(moved).as("jobs on node-1 before it is killed").isNotEmpty();
        node1.kill();

        await("node-1's jobs running on node-2").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> moved.stream().allMatch(id -> "node-2".equals(viaB.job(id).serverName())
                        && cluster.tickLog(viaB.job(id).name()).lastNodeName().orElse("").equals("node-2")));
        viaB.assertNoJobRanTwiceAtOnce(running);
        for (UUID id : running) {
            List<TickLog.Run> runs = cluster.tickLog(viaB.job(id).name()).runs();
            assertThat(runs).as("one grant per run of %s", id)
                    .extracting(TickLog.Run::epoch).doesNotHaveDuplicates();
        }
    }
}
