package io.orchestr.e2e;

import io.orchestr.e2e.harness.OrchestrProcess;
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

class NodeSigkillFailoverTest {
    private static Cluster cluster;
    private static OrchestrProcess node1;
    private static OrchestrProcess node2;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.withManager("sigkill");
        node1 = cluster.startNode("node-1", 20);
        node2 = cluster.startNode("node-2", 20);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void everyJobOfASigkilledNodeRunsOnTheOtherNodeAndNoneRanTwiceAtOnce() {
        Jobs jobs = new Jobs(cluster);
        List<UUID> ids = jobs.createTickers("kill", 20);
        Map<UUID, JobView> before = jobs.awaitAllProcessing(ids, Duration.ofSeconds(30));
        jobs.awaitAllTicking(ids, Duration.ofSeconds(30));
        Map<String, Long> counts = Jobs.countByServer(before);
        OrchestrProcess victim = counts.getOrDefault("node-1", 0L) >= counts.getOrDefault("node-2", 0L) ? node1 : node2;
        OrchestrProcess survivor = victim == node1 ? node2 : node1;
        List<UUID> victims = before.values().stream()
                .filter(job -> job.serverName().equals(victim.name())).map(JobView::id).toList();

        victim.kill();

        await("jobs of " + victim.name() + " Processing on " + survivor.name()).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> victims.stream().allMatch(id -> {
                    JobView job = jobs.job(id);
                    return survivor.name().equals(job.serverName())
                            && job.status() == io.orchestr.shared.JobStatus.Processing;
                }));
        await("handlers ticking on " + survivor.name()).atMost(Duration.ofSeconds(30))
                .until(() -> victims.stream().allMatch(id ->
                        cluster.tickLog(jobs.job(id).name()).lastNodeName().orElse("").equals(survivor.name())));
        assertThat(jobs.all()).hasSize(20)
                .allSatisfy(job -> assertThat(job.serverName()).isEqualTo(survivor.name()));
        jobs.assertNoJobRanTwiceAtOnce(ids);
    }
}
