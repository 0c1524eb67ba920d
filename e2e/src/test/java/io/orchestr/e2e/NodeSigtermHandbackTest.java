package io.orchestr.e2e;

import io.orchestr.client.PageRequest;
import io.orchestr.client.ServerFilter;
import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.NodeStatus;
import io.orchestr.shared.api.JobView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class NodeSigtermHandbackTest {
    private static Cluster cluster;
    private static OrchestrProcess node1;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.withManager("sigterm");
        node1 = cluster.startNode("node-1", 10);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void aTerminatedNodeHandsItsJobsBackAndTheyRunOnTheOtherNode() {
        Jobs jobs = new Jobs(cluster);
        List<UUID> ids = jobs.createTickers("term", 6);
        jobs.awaitAllProcessing(ids, Duration.ofSeconds(30));
        jobs.awaitAllTicking(ids, Duration.ofSeconds(30));
        assertThat(jobs.all()).allSatisfy(job -> assertThat(job.serverName()).isEqualTo("node-1"));
        cluster.startNode("node-2", 10);

        node1.terminate();

        await("jobs running on node-2").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> jobs.all().stream().allMatch(job ->
                        job.status() == JobStatus.Processing && "node-2".equals(job.serverName())));
        await("handlers ticking on node-2").atMost(Duration.ofSeconds(30))
                .until(() -> ids.stream().allMatch(id ->
                        cluster.tickLog(jobs.job(id).name()).lastNodeName().orElse("").equals("node-2")));
        jobs.assertNoJobRanTwiceAtOnce(ids);
        assertThat(node1.log()).as("node-1 says it handed its jobs back").containsIgnoringCase("hand");
        assertThat(cluster.client().servers(new ServerFilter(NodeStatus.Stopped), PageRequest.first(10)).items())
                .extracting(server -> server.name()).containsExactly("node-1");
        assertThat(jobs.all()).extracting(JobView::restarts).allMatch(restarts -> restarts == 0);
    }
}
