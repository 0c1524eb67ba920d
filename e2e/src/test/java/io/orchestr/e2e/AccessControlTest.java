package io.orchestr.e2e;

import io.orchestr.client.JobFilter;
import io.orchestr.client.OrchestratorClient;
import io.orchestr.client.OrchestratorException;
import io.orchestr.client.PageRequest;
import io.orchestr.e2e.harness.AdminToken;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Access control through the real processes: a manager with a tokens file (the cluster's admin token), a node,
 * the Java client with and without the token.
 */
class AccessControlTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private static Cluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.withManager("access");
        cluster.startNode("access-node", 2);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void aClientWithTheTokenCreatesAJobThatTheNodeRuns() {
        OrchestratorClient client = OrchestratorClient.create(baseUri(), AdminToken.get().token());

        JobView created = client.createJob(NewJob.of("access-ticker", "tickMillis=100"));
        JobView running = client.awaitStatus(created.id(), JobStatus.Processing, DEADLINE);

        assertThat(running.serverName()).isEqualTo("access-node");
    }

    @Test
    void aCallWithoutATokenOrWithAnotherIs401AndHealthIsOpen() throws Exception {
        assertThatThrownBy(() -> OrchestratorClient.create(baseUri(), null)
                .jobs(JobFilter.all(), PageRequest.first(10)))
                .isInstanceOfSatisfying(OrchestratorException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThatThrownBy(() -> OrchestratorClient.create(baseUri(), "not-the-token")
                .createJob(NewJob.of("access-refused", "")))
                .isInstanceOfSatisfying(OrchestratorException.class, e -> assertThat(e.status()).isEqualTo(401));

        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> api = http.send(HttpRequest.newBuilder(baseUri().resolve("/api/servers")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(api.statusCode()).isEqualTo(401);
            assertThat(api.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/json"));
            assertThat(api.body()).contains("\"error\"");
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(baseUri().resolve("/q/health/ready"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }

    private static URI baseUri() {
        return URI.create("http://127.0.0.1:" + cluster.manager().httpPort());
    }
}
