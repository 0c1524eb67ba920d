package io.orchestr.manager;

import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToManager.DrainState;
import io.orchestr.shared.wire.ToManager.NodeDrain;
import io.orchestr.shared.wire.ToNode;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * {@code POST /api/servers/{id}/drain} and {@code …/undrain}, with fake nodes that report a drain of the test's
 * choosing every 300 ms (the test profile shows a node silent for 2 s as {@code Lost}).
 */
@QuarkusTest
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ServerDrainApiTest {
    private final ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor();

    @Inject
    Topology topology;

    @AfterEach
    void stopReporting() {
        reporter.shutdownNow();
    }

    @Test
    void aDrainIsSentAgainUntilTheNodeFollowsItThenTheServerIsDrainingThenDrainedAndAnUndrainMakesItActive() {
        try (FakeNode node = FakeNode.start(topology)) {
            AtomicReference<NodeDrain> reported = report(node, new NodeDrain(DrainState.ACTIVE, 0));
            awaitStatus(node.id, "Active");

            given().post("/api/servers/" + node.id + "/drain").then().statusCode(202)
                    .body("status", equalTo("Draining"));
            // the node goes on reporting the ask before: the lost ask, or one sent before a manager restart
            await().atMost(FakeNode.DEADLINE).until(() -> node.drainAsks().size() >= 3);
            assertThat(node.drainAsks()).containsOnly(new ToNode.Drain(true, 1));
            assertThat(status(node.id)).isEqualTo("Draining");

            reported.set(new NodeDrain(DrainState.DRAINING, 1));
            quietFor(node);
            assertThat(status(node.id)).isEqualTo("Draining");
            reported.set(new NodeDrain(DrainState.DRAINED, 1));
            awaitStatus(node.id, "Drained");
            int asks = node.drainAsks().size();
            given().post("/api/servers/" + node.id + "/drain").then().statusCode(202)
                    .body("status", equalTo("Drained"));
            quietFor(node);
            assertThat(node.drainAsks()).as("a repeat is a no-op").hasSize(asks);

            given().post("/api/servers/" + node.id + "/undrain").then().statusCode(202)
                    .body("status", equalTo("Active"));
            await().atMost(FakeNode.DEADLINE)
                    .until(() -> node.drainAsks().getLast().equals(new ToNode.Drain(false, 2)));
            reported.set(new NodeDrain(DrainState.ACTIVE, 2));
            quietFor(node);
            assertThat(status(node.id)).isEqualTo("Active");
        }
    }

    @Test
    void aNodeThatDrainsItselfOrReconnectsDrainedIsShownSoAndNotUndrained() {
        try (FakeNode self = FakeNode.start(topology); FakeNode reconnected = FakeNode.start(topology)) {
            AtomicReference<NodeDrain> reported = report(self, new NodeDrain(DrainState.ACTIVE, 0));
            awaitStatus(self.id, "Active");

            reported.set(new NodeDrain(DrainState.DRAINING, 1)); // its preStop hook asked it to drain
            awaitStatus(self.id, "Draining");
            reported.set(new NodeDrain(DrainState.DRAINED, 1));
            awaitStatus(self.id, "Drained");
            assertThat(self.drainAsks()).isEmpty();

            // the first report of a new incarnation of a drained node
            AtomicReference<NodeDrain> again = report(reconnected, new NodeDrain(DrainState.DRAINED, 4));
            awaitStatus(reconnected.id, "Drained");

            given().post("/api/servers/" + reconnected.id + "/undrain").then().statusCode(202)
                    .body("status", equalTo("Active"));
            await().atMost(FakeNode.DEADLINE)
                    .until(() -> reconnected.drainAsks().contains(new ToNode.Drain(false, 5)));
            again.set(new NodeDrain(DrainState.ACTIVE, 5));
            quietFor(reconnected);
            assertThat(status(reconnected.id)).isEqualTo("Active");
            assertThat(self.drainAsks()).isEmpty();
        }
    }

    @Test
    void unknownServersAreNotFoundAndServersThatLeftOrPredateDrainsAreAConflict() {
        given().post("/api/servers/" + UUID.randomUUID() + "/drain").then().statusCode(404);
        given().post("/api/servers/nope/undrain").then().statusCode(404);
        try (FakeNode left = FakeNode.start(topology); FakeNode old = FakeNode.start(topology)) {
            snapshot(left, new NodeDrain(DrainState.ACTIVE, 0));
            left.send(new ToManager.NodeLeft(left.id));
            awaitStatus(left.id, "Stopped");
            report(old, null);
            awaitStatus(old.id, "Active");

            given().post("/api/servers/" + left.id + "/drain").then().statusCode(409)
                    .body("error", containsString("Stopped"));
            given().post("/api/servers/" + old.id + "/drain").then().statusCode(409)
                    .body("error", containsString("predates drains"));
        }
    }

    /** Makes {@code node} report every 300 ms, with the drain the returned reference holds at the time. */
    private AtomicReference<NodeDrain> report(FakeNode node, NodeDrain first) {
        AtomicReference<NodeDrain> reported = new AtomicReference<>(first);
        reporter.scheduleAtFixedRate(() -> snapshot(node, reported.get()), 0, 300, TimeUnit.MILLISECONDS);
        return reported;
    }

    private static void snapshot(FakeNode node, NodeDrain drain) {
        node.send(new ToManager.Snapshot(node.id, "drainable", 2, List.of("default"), Instant.now(), List.of(), true,
                0, drain));
    }

    /** Waits until {@code node} got no drain ask for a second: it reports the ask the managers want. */
    private static void quietFor(FakeNode node) {
        AtomicReference<Integer> seen = new AtomicReference<>(-1);
        await().atMost(FakeNode.DEADLINE).pollInterval(Duration.ofSeconds(1)).until(() -> {
            int now = node.drainAsks().size();
            return seen.getAndSet(now) == now;
        });
    }

    private static String status(UUID serverId) {
        return given().get("/api/servers/" + serverId).then().extract().path("status");
    }

    private static void awaitStatus(UUID serverId, String status) {
        await("server " + serverId + " " + status).atMost(FakeNode.DEADLINE)
                .until(() -> status.equals(status(serverId)));
    }
}
