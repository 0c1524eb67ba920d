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

/** The broker stops and starts again while jobs run: a RabbitMQ node of the test's own, so others keep theirs. */
class BrokerRestartTest {
    private static OwnBroker broker;
    private static Cluster cluster;

    @BeforeAll
    static void startCluster() {
        broker = OwnBroker.start();
        // without rebalancing: the nodes' new incarnations come back one after the other, and evening them out
        // would move jobs (a new run each, on purpose), where this test counts the runs the restart itself causes
        cluster = Cluster.onOwnBroker("broker-restart", broker, Map.of("ORCHESTR_REBALANCE_MAX_MOVES_PER_MINUTE", "0"));
        cluster.startNode("node-1", 10);
        cluster.startNode("node-2", 10);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void nodesAndManagerReconnectByThemselvesAndEveryJobRunsAgainOnce() {
        Jobs jobs = new Jobs(cluster);
        List<UUID> ids = jobs.createTickers("restart", 12);
        Map<UUID, JobView> before = jobs.awaitAllProcessing(ids, Duration.ofSeconds(30));
        jobs.awaitAllTicking(ids, Duration.ofSeconds(30));

        broker.stop();
        long stoppedAt = System.currentTimeMillis();
        await("every handler stops once its node lost the broker").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> before.values().stream().allMatch(job ->
                        cluster.tickLog(job.name()).ticks().getLast().at() < System.currentTimeMillis() - 1_000));
        broker.startServer();
        long startedAt = System.currentTimeMillis();

        await("every job ticks again after the broker is back").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> before.values().stream().allMatch(job ->
                        cluster.tickLog(job.name()).ticks().getLast().at() > startedAt));
        await("the API shows every job Processing on a node incarnation of after the restart")
                .atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> ids.stream().map(jobs::job).allMatch(job -> job.status() == JobStatus.Processing
                        && !job.serverId().equals(before.get(job.id()).serverId())));
        assertThat(jobs.all()).extracting(JobView::id).containsExactlyInAnyOrderElementsOf(ids);
        jobs.assertNoJobRanTwiceAtOnce(ids);
        for (UUID id : ids) {
            String name = before.get(id).name();
            assertThat(cluster.tickLog(name).runs().stream().filter(run -> run.from() > stoppedAt).count())
                    .as("runs of %s since the broker stopped", name).isEqualTo(1);
        }

        UUID after = jobs.createTicker("restart-after");
        cluster.client().awaitStatus(after, JobStatus.Processing, Duration.ofSeconds(20));
    }
}
