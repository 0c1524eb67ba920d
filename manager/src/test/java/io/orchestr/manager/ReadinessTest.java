package io.orchestr.manager;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.ToManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Readiness tells whether the manager consumes what the nodes send it. */
@QuarkusTest
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ReadinessTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String CONSUMERS = "Orchestr manager queue consumers";

    @Inject
    Topology topology;

    @Test
    void readinessIsDownWhileTheManagerQueueIsDeletedAndUpOnceItIsDeclaredAgainAndConsumed() throws Exception {
        awaitReadiness(200);
        try (Connection connection = TestBroker.connect("readiness-test");
             Channel channel = connection.createChannel()) {

            channel.queueDelete(topology.managerQueue());

            JsonPath down = awaitReadiness(503);
            assertThat(down.getString("checks.find { it.name == '" + CONSUMERS + "' }.status")).isEqualTo("DOWN");
            assertThat(down.getInt("checks.find { it.name == '" + CONSUMERS + "' }.data.cancelled"))
                    .as("cancelled lanes: every lane of the manager queue")
                    .isEqualTo(down.getInt("checks.find { it.name == '" + CONSUMERS + "' }.data.lanes"));

            topology.declareShared(channel);

            JsonPath up = awaitReadiness(200);
            assertThat(up.getInt("checks.find { it.name == '" + CONSUMERS + "' }.data.cancelled")).isZero();
        }
        try (FakeNode node = FakeNode.start(topology)) {
            node.send(new ToManager.Snapshot(node.id, "after-resubscribe", 2, List.of("default"), Instant.now(),
                    List.of(), true, 0));

            await("the manager queue's snapshot recorded").atMost(DEADLINE)
                    .until(() -> given().get("/api/servers/" + node.id).statusCode() == 200);
        }
    }

    private static JsonPath awaitReadiness(int status) {
        Response response = await("readiness answering " + status).atMost(DEADLINE)
                .until(() -> given().get("/q/health/ready"), answer -> answer.statusCode() == status);
        return response.jsonPath();
    }
}
