package io.orchestr.manager;

import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToManager.SnapshotEntry;
import io.orchestr.shared.wire.ToManager.HeldState;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.orchestr.manager.Api.createJob;
import static io.orchestr.manager.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

/** Servers as the REST API shows them, built from what nodes report. */
@QuarkusTest
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ServersApiTest {

    @Inject
    Topology topology;

    @Test
    void aNodeThatSentASnapshotIsAnActiveServerWithTheJobsItRuns() {
        String jobName = uniqueName("orchestrated");
        UUID job = createJob(jobName);
        try (FakeNode node = FakeNode.start(topology)) {
            long epoch = node.claimGranted(job).epoch();

            snapshot(node, "worker-1", new SnapshotEntry(job, epoch, HeldState.RUNNING, Instant.now(), 0, null));

            awaitStatus(node.id, "Active");
            given().get("/api/servers/" + node.id).then().statusCode(200)
                    .body("name", equalTo("worker-1"))
                    .body("maxWorkersCount", equalTo(3))
                    .body("pools", contains("default", "gpu"))
                    .body("isDeleted", equalTo(false))
                    .body("orchestratedJobs.id", contains(job.toString()))
                    .body("orchestratedJobs.name", contains(jobName))
                    .body("orchestratedJobs.status", contains("Processing"));
            given().get("/api/jobs/" + job).then().body("serverName", equalTo("worker-1"));
        }
    }

    @Test
    void serversAreListedByStatus() {
        try (FakeNode active = FakeNode.start(topology); FakeNode leaving = FakeNode.start(topology)) {
            snapshot(active, "active");
            snapshot(leaving, "leaving");
            leaving.send(new ToManager.NodeLeft(leaving.id));
            awaitStatus(leaving.id, "Stopped");
            awaitStatus(active.id, "Active");

            assertThat(listedIds("status=Stopped")).contains(leaving.id).doesNotContain(active.id);
            assertThat(listedIds("status=Active")).contains(active.id).doesNotContain(leaving.id);
            assertThat(listedIds("page=0")).contains(active.id, leaving.id);
        }
    }

    @Test
    void aNodeThatLeftIsAStoppedAndDeletedServer() {
        try (FakeNode node = FakeNode.start(topology)) {
            snapshot(node, "leaving");

            node.send(new ToManager.NodeLeft(node.id));

            awaitStatus(node.id, "Stopped");
            given().get("/api/servers/" + node.id).then().body("isDeleted", equalTo(true));
        }
    }

    @Test
    void aNodeSilentForLongerThanTheLostDelayIsLostUntilItsNextSnapshot() {
        try (FakeNode node = FakeNode.start(topology)) {
            snapshot(node, "silent");
            awaitStatus(node.id, "Active");

            awaitStatus(node.id, "Lost");

            snapshot(node, "silent");
            awaitStatus(node.id, "Active");
        }
    }

    @Test
    void anUnknownOrMalformedServerIdIsNotFound() {
        given().get("/api/servers/" + UUID.randomUUID()).then().statusCode(404);
        given().get("/api/servers/nope").then().statusCode(404);
    }

    @Test
    void anInvalidStatusFilterIsABadRequestNamingIt() {
        given().get("/api/servers?status=Gone").then().statusCode(400).body("field", equalTo("status"));
    }

    private static void snapshot(FakeNode node, String name, SnapshotEntry... jobs) {
        node.send(new ToManager.Snapshot(node.id, name, 3, List.of("default", "gpu"), Instant.now(), List.of(jobs)));
    }

    private static void awaitStatus(UUID serverId, String status) {
        await("server " + serverId + " " + status).atMost(FakeNode.DEADLINE).until(() -> status.equals(
                given().get("/api/servers/" + serverId).then().extract().path("status")));
    }

    private static List<UUID> listedIds(String query) {
        List<String> ids = given().get("/api/servers?" + query).then().statusCode(200).extract().path("items.id");
        return ids.stream().map(UUID::fromString).toList();
    }
}
