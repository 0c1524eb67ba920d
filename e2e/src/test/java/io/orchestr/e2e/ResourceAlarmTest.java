package io.orchestr.e2e;

import io.orchestr.e2e.harness.AdminToken;
import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.e2e.harness.TickLog;
import io.orchestr.shared.JobStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker raises its memory alarm and blocks every publisher (issue 14, point 5): a blocked broker is not a
 * partition. Running jobs keep running on their nodes, which do not fence; a job created meanwhile is kept and
 * runs once the alarm clears; nothing is lost or runs twice. A RabbitMQ node of the test's own.
 */
class ResourceAlarmTest {
    /** Longer than the nodes' fence timeout (6 s by default): without the block handling they would fence. */
    private static final Duration ALARM = Duration.ofSeconds(10);

    private static OwnBroker broker;
    private static Cluster cluster;
    private static OrchestrProcess node;

    @BeforeAll
    static void startCluster() {
        broker = OwnBroker.start();
        cluster = Cluster.onOwnBroker("resource-alarm", broker, Map.of());
        node = cluster.startNode("node-1", 4);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void runningJobsKeepRunningThroughAMemoryAlarmAndAJobCreatedMeanwhileRunsOnceItClears() throws Exception {
        Jobs jobs = new Jobs(cluster);
        List<UUID> running = jobs.createTickers("alarm", 2);
        jobs.awaitAllProcessing(running, Duration.ofSeconds(30));
        jobs.awaitAllTicking(running, Duration.ofSeconds(30));

        broker.setMemoryWatermark(0.000001);
        await("the node told it is blocked").atMost(Duration.ofSeconds(30))
                .until(() -> node.log().contains("The broker blocked node"));
        long blockedAt = System.currentTimeMillis();
        HttpResponse<String> created = post("{\"name\": \"created-in-alarm\", \"type\": \"ticker\", \"argument\": \""
                + cluster.tickArgument("created-in-alarm") + "\"}");
        assertThat(created.statusCode()).as("the outbox keeps a creation: " + created.body()).isEqualTo(201);
        await("the jobs tick on through the alarm, longer than the fence timeout").atMost(ALARM.multipliedBy(3))
                .until(() -> System.currentTimeMillis() - blockedAt > ALARM.toMillis());
        for (UUID job : running) {
            TickLog log = cluster.tickLog(jobs.job(job).name());
            assertThat(log.ticks().getLast().at()).as("a tick lately")
                    .isGreaterThan(System.currentTimeMillis() - 2_000);
        }
        assertThat(node.log()).as("the node fenced itself").doesNotContain("FENCED");

        broker.setMemoryWatermark(0.4);
        await("the node unblocked").atMost(Duration.ofSeconds(30))
                .until(() -> node.log().contains("The broker unblocked node"));
        await("the job created during the alarm runs").atMost(Duration.ofSeconds(30))
                .until(() -> cluster.tickLog("created-in-alarm").ticks().size() >= 2);
        for (UUID job : running) {
            assertThat(jobs.job(job).status()).isEqualTo(JobStatus.Processing);
            assertThat(cluster.tickLog(jobs.job(job).name()).runs()).as("one run: no failover, no overlap")
                    .hasSize(1);
        }
    }

    /** Creates a job with a deadline longer than the client's: the manager's publish waits out the alarm. */
    private static HttpResponse<String> post(String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.manager().httpPort()
                        + "/api/jobs"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", AdminToken.get().header())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}
