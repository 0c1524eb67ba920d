package io.orchestr.e2e;

import io.orchestr.client.ConflictException;
import io.orchestr.client.NotFoundException;
import io.orchestr.client.OrchestratorException;
import io.orchestr.e2e.harness.AdminToken;
import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.Limits;
import io.orchestr.shared.api.NewJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class BadInputTest {
    private static Cluster cluster;
    private static OrchestrProcess node;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.withManager("bad-input");
        node = cluster.startNode("node-1", 4);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void aDuplicateNameIsRefusedWith409() {
        cluster.client().createJob("taken", "");
        assertThatThrownBy(() -> cluster.client().createJob("taken", ""))
                .isInstanceOf(ConflictException.class).hasMessageContaining("taken");
    }

    @Test
    void anInvalidBodyIsRefusedWith400NamingTheField() throws Exception {
        assertThatThrownBy(() -> cluster.client().createJob(new NewJob("ok-name", "", null, "bad pool!", null)))
                .isInstanceOf(OrchestratorException.class)
                .satisfies(e -> assertThat(((OrchestratorException) e).status()).isEqualTo(400))
                .hasMessageContaining("pool");
        HttpResponse<String> response = post("{\"argument\": \"no name\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"name\"");
        assertThat(post("not json at all").statusCode()).isEqualTo(400);
    }

    @Test
    void anUnknownJobIsAnswered404() {
        assertThatThrownBy(() -> cluster.client().job(UUID.randomUUID())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> cluster.client().markOnDeleting(UUID.randomUUID()))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void malformedMessagesAreDeadLetteredAndNothingStops() throws Exception {
        try (BrokerProbe probe = new BrokerProbe(cluster)) {
            probe.publish(probe.topology().jobQueue("default"), "{not a job");
            probe.publish(probe.topology().managerQueue(), "[1,2,3]");
            // over Limits.MESSAGE: dead-lettered unread, the consuming connection kept
            String oversize = "{\"pad\": \"" + "x".repeat(Limits.MESSAGE) + "\"}";
            probe.publish(probe.topology().jobQueue("default"), oversize);
            probe.publish(probe.topology().managerQueue(), oversize);

            await("the malformed and oversize messages dead-lettered").atMost(Duration.ofSeconds(20))
                    .until(() -> probe.ready(probe.topology().deadLetterQueue()) == 4);
        }
        assertThat(node.isAlive()).isTrue();
        assertThat(cluster.manager().isAlive()).isTrue();
        UUID after = new Jobs(cluster).createTicker("after-poison");
        cluster.client().awaitStatus(after, JobStatus.Processing, Duration.ofSeconds(20));
    }

    private static HttpResponse<String> post(String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + cluster.manager().httpPort() + "/api/jobs"))
                .header("Authorization", AdminToken.get().header())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
