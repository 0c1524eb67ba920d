package io.orchestr.node.quarkus;

import io.orchestr.node.OrchestratedServer;
import io.orchestr.node.OrchestratedServerBuilder;
import io.orchestr.node.RabbitMqOptions;
import io.orchestr.node.testing.TestBroker;
import io.orchestr.node.testing.TestManager;
import io.orchestr.shared.RestartMode;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToManager;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@QuarkusTestResource(value = BrokerTestResource.class, restrictToAnnotatedClass = true)
class QuarkusNodeTest {
    @Inject
    OrchestratedServer server;

    @Inject
    @JobType("echo")
    EchoHandler echo;

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
    void keysLeftUnsetTakeTheBuildersDefaultsAndSetOnesWin() {
        assertThat(server.settings().slots()).isEqualTo(OrchestratedServerBuilder.DEFAULT_SLOTS);
        assertThat(server.settings().cancelGrace()).isEqualTo(OrchestratedServerBuilder.DEFAULT_CANCEL_GRACE);
        assertThat(server.settings().rabbitMq().heartbeat())
                .isEqualTo(Duration.ofSeconds(RabbitMqOptions.DEFAULT_HEARTBEAT_SECONDS));
        assertThat(server.settings().rabbitMq().tls()).as("TLS, off unless orchestr.rabbitmq.tls=true").isEmpty();
        assertThat(server.settings().heartbeatInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(server.settings().name()).isEqualTo("quarkus-node");
        assertThat(server.settings().roles()).as("orchestr.node.roles, a comma list")
                .containsExactlyInAnyOrder("db", "web");
    }

    @Test
    void theNodeIsAliveWhileItsEngineTicks() {
        given().get("/q/health/live").then()
                .statusCode(200)
                .body("checks.find { it.name == 'orchestr-node-engine' }.status", is("UP"));
    }

    @Test
    void aJobHandlerBeanRunsItsTypeOnceTheManagerGrantsItAndTheRunIsCounted() {
        try (TestManager manager = new TestManager(broker.topology()).grantAll()) {
            JobMessage job = broker.publishJob("bean-job", "echo", "hello", RestartMode.ON_FAILURE);

            await().atMost(Duration.ofSeconds(20)).until(() -> manager.ends(job.jobId()).stream()
                    .anyMatch(end -> end.outcome() == ToManager.Outcome.COMPLETED));

            assertThat(echo.seen()).containsExactly("bean-job hello on quarkus-node under epoch 1");
            given().get("/q/metrics").then()
                    .statusCode(200)
                    .body(containsString("orchestr_node_jobs_ended_total{outcome=\"completed\"} 1.0"));
        }
    }
}
