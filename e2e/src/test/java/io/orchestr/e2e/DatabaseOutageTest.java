package io.orchestr.e2e;

import io.orchestr.e2e.harness.AdminToken;
import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The manager's database stops while jobs run: its own MariaDB server, so other tests keep theirs. */
class DatabaseOutageTest {
    private static OwnDatabase db;
    private static Cluster cluster;
    private static OrchestrProcess node1;

    @BeforeAll
    static void startCluster() {
        db = OwnDatabase.start(Path.of(System.getProperty("orchestr.e2e.logs", "target/e2e-logs"))
                .resolve("own-db-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath());
        cluster = Cluster.withManager("db-outage", db.database());
        node1 = cluster.startNode("node-1", 10);
        cluster.startNode("node-2", 10);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void jobsKeepRunningTheApiAnswers503ClaimsWaitAndEverythingConvergesWhenTheDatabaseIsBack() throws Exception {
        Jobs jobs = new Jobs(cluster);
        List<UUID> ids = jobs.createTickers("db", 8);
        Map<UUID, JobView> before = jobs.awaitAllProcessing(ids, Duration.ofSeconds(30));
        jobs.awaitAllTicking(ids, Duration.ofSeconds(30));
        List<UUID> onNode1 = before.values().stream().filter(job -> "node-1".equals(job.serverName()))
                .map(JobView::id).toList();
        assertThat(onNode1).as("jobs on node-1").isNotEmpty();

        db.stop();
        long stoppedAt = System.currentTimeMillis();

        await("the API answers 503 naming the database").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    HttpResponse<String> response = get("/api/jobs/" + ids.getFirst());
                    return response.statusCode() == 503 && response.body().contains("database");
                });
        await("every handler keeps ticking without the database").atMost(Duration.ofSeconds(10))
                .until(() -> before.values().stream().allMatch(job ->
                        cluster.tickLog(job.name()).ticks().getLast().at() > stoppedAt + 2_000));

        node1.kill();
        await("node-1's jobs wait: nothing starts them on node-2 while no grant can be given")
                .during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> onNode1.stream().noneMatch(id ->
                        cluster.tickLog(before.get(id).name()).lastNodeName().orElse("").equals("node-2")));

        db.startServer();

        await("node-1's jobs run on node-2 once the database is back").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> onNode1.stream().allMatch(id ->
                        cluster.tickLog(before.get(id).name()).lastNodeName().orElse("").equals("node-2")));
        await("the API shows every job Processing on node-2").atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> ids.stream().map(jobs::job).allMatch(job ->
                        job.status() == JobStatus.Processing && "node-2".equals(job.serverName())));
        assertThat(jobs.all()).extracting(JobView::id).containsExactlyInAnyOrderElementsOf(ids);
        jobs.assertNoJobRanTwiceAtOnce(ids);
        UUID after = jobs.createTicker("db-after");
        cluster.client().awaitStatus(after, JobStatus.Processing, Duration.ofSeconds(20));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + cluster.manager().httpPort() + path))
                .header("Authorization", AdminToken.get().header())
                .timeout(Duration.ofSeconds(10)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
