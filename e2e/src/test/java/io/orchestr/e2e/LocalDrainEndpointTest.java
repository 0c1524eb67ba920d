package io.orchestr.e2e;

import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.e2e.harness.TickLog;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.NodeStatus;
import io.orchestr.shared.api.JobView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The runnable node's own {@code POST /drain}, as a Kubernetes {@code preStop} hook calls it: served on the loopback
 * interface only, it answers once the node holds nothing, its jobs running on the other node without overlap, and
 * the managers show the node {@code Drained}.
 */
class LocalDrainEndpointTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Cluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.withManager("local-drain");
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void aLoopbackDrainAnswersOnceTheNodeHoldsNothingAndAnyOtherAddressIsRefused() throws Exception {
        Jobs jobs = new Jobs(cluster);
        OrchestrProcess node1 = cluster.startNode("node-1", 20);
        List<UUID> ids = jobs.createTickers("local", 14, 50);
        jobs.awaitAllProcessing(ids, DEADLINE);
        jobs.awaitAllTicking(ids, DEADLINE);
        UUID node1Id = jobs.job(ids.getFirst()).serverId();
        cluster.startNode("node-2", 20);

        Optional<InetAddress> outside = Addresses.nonLoopback();
        assertThat(outside).as("a non-loopback address of this machine, to call from").isPresent();
        HttpResponse<String> refused = post(outside.get().getHostAddress(), node1.httpPort(), "");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).contains("loopback");
        assertThat(cluster.client().server(node1Id).status()).isEqualTo(NodeStatus.Active);

        HttpResponse<String> drained = post("127.0.0.1", node1.httpPort(), "?timeout=PT45S");

        assertThat(drained.statusCode()).as(drained.body()).isEqualTo(200);
        assertThat(drained.body()).contains("Drained");
        await("the managers show node-1 Drained").atMost(DEADLINE)
                .until(() -> cluster.client().server(node1Id).status() == NodeStatus.Drained);
        await("jobs running on node-2").atMost(DEADLINE).pollInterval(Duration.ofMillis(100))
                .until(() -> ids.stream().map(jobs::job).allMatch(job ->
                        job.status() == JobStatus.Processing && "node-2".equals(job.serverName())));
        for (UUID id : ids) {
            JobView job = jobs.job(id);
            List<TickLog.Run> runs = cluster.tickLog(job.name()).runs();
            assertThat(runs.getFirst().nodeName()).isEqualTo("node-1");
            assertThat(runs).as("runs of %s", job.name()).extracting(TickLog.Run::epoch).containsExactly(1L, 2L);
        }
        jobs.assertNoJobRanTwiceAtOnce(ids);
        HttpResponse<String> badTimeout = post("127.0.0.1", node1.httpPort(), "?timeout=60");
        assertThat(badTimeout.statusCode()).as(badTimeout.body()).isEqualTo(400);

        node1.terminate();
        assertThat(node1.awaitExitCode(DEADLINE)).as("a drained node stops cleanly on SIGTERM").isIn(0, 143);
        await("node-1 left").atMost(DEADLINE)
                .until(() -> cluster.client().server(node1Id).status() == NodeStatus.Stopped);
    }

    private static HttpResponse<String> post(String host, int port, String query)
            throws IOException, InterruptedException {
        String authority = host.contains(":") ? "[" + host + "]" : host;
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + authority + ":" + port + "/drain" + query))
                .timeout(Duration.ofSeconds(90)).POST(HttpRequest.BodyPublishers.noBody()).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
