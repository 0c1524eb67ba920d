package io.orchestr.node.quarkus;

import io.orchestr.node.OrchestratedServer;
import io.orchestr.node.testing.TestBroker;
import io.orchestr.node.testing.TestManager;
import io.orchestr.shared.RestartMode;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToManager;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@QuarkusTestResource(value = BrokerTestResource.class, restrictToAnnotatedClass = true)
class QuarkusNodeTest {
    @Inject
    OrchestratedServer server;

    TestBroker broker;

    @Test
    void theNodeIsReadyWhileConnectedAndConsuming() {
        UUID nodeId = server.nodeId().orElseThrow();

        given().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItem("orchestr-node"))
                .body("checks.find { it.name == 'orchestr-node' }.data.name", is("quarkus-node"))
                .body("checks.find { it.name == 'orchestr-node' }.data.nodeId", is(nodeId.toString()));
    }

    @Test
    void theRunnableNodeRunsABuiltInDemoJobOnceTheManagerGrantsIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("demo.log");
        try (TestManager manager = new TestManager(broker.topology()).grantAll()) {
            JobMessage job = broker.publishJob("demo-finite", "finite",
                    "file=" + file + ";tickMillis=50;ticks=2", RestartMode.ON_FAILURE);

            await().atMost(Duration.ofSeconds(20)).until(() -> manager.ends(job.jobId()).stream()
                    .anyMatch(end -> end.outcome() == ToManager.Outcome.COMPLETED));

            assertThat(file).exists();
            assertThat(Files.readAllLines(file)).hasSize(3).allSatisfy(line -> assertThat(line)
                    .endsWith(" demo-finite quarkus-node " + server.nodeId().orElseThrow() + " 1"));
        }
    }
}
