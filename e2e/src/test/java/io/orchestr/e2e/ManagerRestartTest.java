package io.orchestr.e2e;

import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ManagerRestartTest {
    private static Cluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.withManager("mgr-restart");
        cluster.startNode("node-1", 10);
        cluster.startNode("node-2", 10);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void jobsKeepRunningWhileTheManagerIsDownAndTheRestartedManagerShowsWhereEachRuns() {
        Jobs jobs = new Jobs(cluster);
        List<UUID> ids = jobs.createTickers("keep", 8);
        Map<UUID, JobView> before = jobs.awaitAllProcessing(ids, Duration.ofSeconds(30));
        jobs.awaitAllTicking(ids, Duration.ofSeconds(30));

        cluster.manager().kill();
        long killedAt = System.currentTimeMillis();
        await("every handler ticks after the manager died").atMost(Duration.ofSeconds(10))
                .until(() -> before.values().stream().allMatch(job ->
                        cluster.tickLog(job.name()).ticks().getLast().at() > killedAt + 1000));
        cluster.startManager();

        await("the restarted manager shows every job on the node that runs it").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    for (JobView job : before.values()) {
                        JobView now = jobs.job(job.id());
                        assertThat(now.status()).isEqualTo(JobStatus.Processing);
                        assertThat(now.serverName())
                                .isEqualTo(cluster.tickLog(job.name()).lastNodeName().orElseThrow());
                        assertThat(now.serverId()).isEqualTo(job.serverId());
                    }
                });
        for (JobView job : before.values()) {
            assertThat(cluster.tickLog(job.name()).runs()).as("runs of %s", job.name()).hasSize(1);
        }
    }
}
