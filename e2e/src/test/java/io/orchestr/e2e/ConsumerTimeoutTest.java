package io.orchestr.e2e;

import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.shared.JobStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A broker configured with a short consumer timeout (as every RabbitMQ is by default, with 30 min) closes the
 * channel of a node whose job runs longer: the node says why in plain words, stops the job and consumes again.
 * A broker node of the test's own, since the setting is the broker's.
 */
class ConsumerTimeoutTest {
    private static Cluster cluster;
    private static OrchestrProcess node;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.onOwnBroker("consumer-timeout", OwnBroker.start("[{rabbit, [{consumer_timeout, 3000}]}]."),
                Map.of());
        node = cluster.startNode("node-1", 2);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theNodeSaysWhyStopsTheJobAndRunsItAgainOnANewChannel() {
        Jobs jobs = new Jobs(cluster);
        UUID id = jobs.createTicker("long-job");
        cluster.client().awaitStatus(id, JobStatus.Processing, Duration.ofSeconds(20));

        await("the node explains the closed channel").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> node.log().contains("stayed unacknowledged longer than the broker's consumer timeout"));
        await("the job runs again under a new incarnation of the node").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.tickLog("long-job").runs().size() >= 2);
        assertThat(node.log()).contains("Stopped job 'long-job'");
        assertThat(cluster.tickLog("long-job").overlap()).isEmpty();
        assertThat(node.isAlive()).isTrue();
        await("the API shows it Processing").atMost(Duration.ofSeconds(10))
                .until(() -> jobs.job(id).status() == JobStatus.Processing);
    }
}
