package io.orchestr.e2e;

import io.orchestr.client.PageRequest;
import io.orchestr.client.ServerFilter;
import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.e2e.harness.TickLog;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.NodeStatus;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.ServerView;
import io.orchestr.testing.BrokerConnections;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drain through the REST API, with real processes: the drained node hands every job back with zero overlap and
 * stays connected, takes nothing, stays drained when its broker connection is closed under it, and takes jobs
 * again once undrained.
 */
class NodeDrainTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static Cluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.withManager("drain");
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void aDrainedNodeHandsItsJobsToTheOtherWithoutOverlapTakesNothingEvenAfterAReconnectUntilUndrained() {
        Jobs jobs = new Jobs(cluster);
        cluster.startNode("node-a", 20);
        List<UUID> ids = jobs.createTickers("drain", 12, 50);
        jobs.awaitAllProcessing(ids, DEADLINE);
        jobs.awaitAllTicking(ids, DEADLINE);
        UUID nodeA = jobs.job(ids.getFirst()).serverId();
        OrchestrProcess nodeB = cluster.startNode("node-b", 20);

        ServerView draining = cluster.client().drain(nodeA);

        assertThat(draining.status()).isEqualTo(NodeStatus.Draining);
        awaitServer(nodeA, NodeStatus.Drained);
        awaitAllOn(jobs, ids, "node-b");
        for (UUID id : ids) {
            JobView job = jobs.job(id);
            List<TickLog.Run> runs = cluster.tickLog(job.name()).runs();
            assertThat(runs).as("runs of %s", job.name()).extracting(TickLog.Run::nodeName)
                    .containsExactly("node-a", "node-b");
            assertThat(runs.get(0).to()).as("%s: the run on node-b starts after the one on node-a ended", job.name())
                    .isLessThan(runs.get(1).from());
            assertThat(runs).as("%s: granted twice, to node-a then to node-b", job.name())
                    .extracting(TickLog.Run::epoch).containsExactly(1L, 2L);
        }
        jobs.assertNoJobRanTwiceAtOnce(ids);
        assertThat(cluster.client().server(nodeA).orchestratedJobs()).isEmpty();
        await("node-a stays connected and drained").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> cluster.client().server(nodeA).status() == NodeStatus.Drained);

        assertThat(BrokerConnections.close("orchestr-node-node-a-" + nodeA, "the test cuts node-a off")).isOne();
        UUID nodeA2 = await("node-a's next incarnation").atMost(DEADLINE).until(() -> incarnationOf("node-a", nodeA),
                id -> id != null);
        awaitServer(nodeA2, NodeStatus.Drained);
        nodeB.terminate(); // its jobs go back to the queue: only node-a's new incarnation could take them
        await("node-b's jobs queued").atMost(DEADLINE).until(() -> jobs.all().stream()
                .allMatch(job -> job.status() == JobStatus.Queued));
        await("node-a takes none of them").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> jobs.all().stream().allMatch(job -> job.status() == JobStatus.Queued));

        ServerView undrained = cluster.client().undrain(nodeA2);

        assertThat(undrained.status()).isEqualTo(NodeStatus.Active);
        awaitAllOn(jobs, ids, "node-a");
        UUID later = jobs.createTicker("drain-later", 50);
        jobs.awaitAllTicking(List.of(later), DEADLINE);
        assertThat(jobs.job(later).serverId()).isEqualTo(nodeA2);
        jobs.assertNoJobRanTwiceAtOnce(ids);
        awaitServer(nodeA2, NodeStatus.Active);
    }

    private static void awaitServer(UUID serverId, NodeStatus status) {
        await("server " + serverId + " " + status).atMost(DEADLINE).pollInterval(Duration.ofMillis(100))
                .until(() -> cluster.client().server(serverId).status() == status);
    }

    private static void awaitAllOn(Jobs jobs, List<UUID> ids, String nodeName) {
        await("jobs running on " + nodeName).atMost(DEADLINE).pollInterval(Duration.ofMillis(100))
                .until(() -> ids.stream().map(jobs::job).allMatch(job ->
                        job.status() == JobStatus.Processing && nodeName.equals(job.serverName())));
        await("handlers ticking on " + nodeName).atMost(DEADLINE).until(() -> ids.stream().allMatch(id ->
                cluster.tickLog(jobs.job(id).name()).lastNodeName().orElse("").equals(nodeName)));
    }

    /** The id of the server named {@code name} other than {@code before}, or null while there is none. */
    private static UUID incarnationOf(String name, UUID before) {
        return cluster.client().servers(ServerFilter.all(), PageRequest.first(50)).items().stream()
                .filter(server -> server.name().equals(name) && !server.id().equals(before))
                .map(ServerView::id).findFirst().orElse(null);
    }
}
