package io.orchestr.e2e;

import io.orchestr.client.PageRequest;
import io.orchestr.client.ServerFilter;
import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.NodeStatus;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.ServerView;
import io.orchestr.testing.TcpProxy;
import io.orchestr.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A partition between one node and the broker, played by a TCP proxy that stops forwarding. */
class NodeCutOffFromBrokerTest {
    private static Cluster cluster;
    private static TcpProxy proxy;
    private static OrchestrProcess cutNode;

    @BeforeAll
    static void startCluster() throws Exception {
        TestServices.Broker broker = TestServices.get().broker();
        proxy = new TcpProxy(new InetSocketAddress(broker.host(), broker.port()), 16);
        cluster = Cluster.withManager("cut-off");
        cutNode = cluster.startNodeVia("node-1", 10, proxy.port());
        cluster.startNode("node-2", 10);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
        proxy.close();
    }

    @Test
    void theCutOffNodeStopsItsJobsBeforeTheyRunElsewhereAndRejoinsAsANewIncarnation() {
        Jobs jobs = new Jobs(cluster);
        List<UUID> ids = jobs.createTickers("cut", 8);
        Map<UUID, JobView> before = jobs.awaitAllProcessing(ids, Duration.ofSeconds(30));
        jobs.awaitAllTicking(ids, Duration.ofSeconds(30));
        List<JobView> onNode1 = before.values().stream().filter(job -> "node-1".equals(job.serverName())).toList();
        assertThat(onNode1).as("jobs on node-1").isNotEmpty();
        UUID firstIncarnation = onNode1.getFirst().serverId();

        proxy.cut();

        await("node-1's jobs running on node-2").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> onNode1.stream().allMatch(job ->
                        cluster.tickLog(job.name()).lastNodeName().orElse("").equals("node-2")));
        jobs.assertNoJobRanTwiceAtOnce(ids);
        assertThat(cutNode.log()).as("node-1 says it fenced itself").contains("FENCED");

        proxy.restore();

        await("node-1 back as a new incarnation").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> cluster.client().servers(new ServerFilter(NodeStatus.Active), PageRequest.first(50))
                        .items().stream().anyMatch(server -> server.name().equals("node-1")
                                && !server.id().equals(firstIncarnation)));
        List<UUID> fresh = jobs.createTickers("after-cut", 6);
        jobs.awaitAllProcessing(fresh, Duration.ofSeconds(30));
        assertThat(fresh.stream().map(jobs::job).map(JobView::serverName)).as("new work reaches node-1 again")
                .contains("node-1");
        assertThat(jobs.job(onNode1.getFirst().id()).status()).isEqualTo(JobStatus.Processing);
        ServerView old = cluster.client().server(firstIncarnation);
        assertThat(old.status()).isEqualTo(NodeStatus.Lost);
    }
}
