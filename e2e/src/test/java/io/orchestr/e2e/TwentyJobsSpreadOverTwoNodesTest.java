package io.orchestr.e2e;

import io.orchestr.e2e.harness.TickLog;
import io.orchestr.shared.api.JobView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class TwentyJobsSpreadOverTwoNodesTest {
    private static Cluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.withManager("spread");
        cluster.startNode("node-1", 20);
        cluster.startNode("node-2", 20);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void twentyJobsAllRunSpreadOverBothNodesEachOnExactlyOneNode() {
        Jobs jobs = new Jobs(cluster);
        List<UUID> ids = jobs.createTickers("spread", 20);

        Map<UUID, JobView> running = jobs.awaitAllProcessing(ids, Duration.ofSeconds(30));
        jobs.awaitAllTicking(ids, Duration.ofSeconds(30));

        assertThat(Jobs.countByServer(running)).containsOnlyKeys("node-1", "node-2");
        for (JobView job : running.values()) {
            List<TickLog.Run> runs = cluster.tickLog(job.name()).runs();
            assertThat(runs).as("runs of %s", job.name()).hasSize(1);
            assertThat(runs.getFirst().nodeName()).isEqualTo(job.serverName());
            assertThat(runs.getFirst().nodeId()).isEqualTo(job.serverId().toString());
        }
    }
}
