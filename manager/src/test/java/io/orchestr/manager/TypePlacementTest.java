package io.orchestr.manager;

import io.orchestr.manager.broker.QueueProbe;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToNode;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import static io.orchestr.manager.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Version-aware placement (docs/architecture.md): the claim decision for a node that does not run a job's type,
 * and the placement of the job on a node that does, with the test playing the nodes.
 */
@QuarkusTest
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class TypePlacementTest {
    @Inject
    Topology topology;

    @Inject
    QueueProbe probe;

    /** A pool of this test's own, so that the nodes other tests left behind take nothing. */
    private String pool;
    private FakeNode oldNode;
    private FakeNode newNode;
    /** Sends the nodes' snapshots every 500 ms, as nodes do: a test node counts as live for 2 s after its last. */
    private ScheduledExecutorService heartbeats;

    @BeforeEach
    void startNodes() {
        pool = "typed-" + UUID.randomUUID().toString().substring(0, 8);
        oldNode = FakeNode.start(topology);
        newNode = FakeNode.start(topology);
        heartbeats = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stopNodes() {
        heartbeats.shutdownNow();
        oldNode.close();
        newNode.close();
    }

    @Test
    void aNodeThatDoesNotRunTheTypeIsDroppedAndTheJobWaitsQueuedSayingWhy() {
        keepReporting(oldNode, 4, List.of("a"));
        UUID job = createJob("b");

        oldNode.claim(job);

        assertThat(oldNode.received(ToNode.Drop.class, job).reason()).contains("does not run type b");
        await("the reason").atMost(FakeNode.DEADLINE).until(() -> "no live node of pool %s runs type b"
                .formatted(pool).equals(reason(job)));
        assertThat(Api.status(job)).isEqualTo(JobStatus.Queued);
        oldNode.receivesNoPlaced(job);
        assertThat(readyInPoolQueue()).as("no copy goes back to the pool's queue: only the first is there")
                .isEqualTo(OptionalInt.of(1));
    }

    @Test
    void aWaitingJobIsPlacedOnTheFirstNodeThatReportsItsTypeAndGrantedThere() {
        keepReporting(oldNode, 4, List.of("a"));
        UUID job = createJob("b");
        oldNode.claim(job);
        oldNode.received(ToNode.Drop.class, job);

        keepReporting(newNode, 4, List.of("b", "a"));

        assertThat(newNode.receivedPlaced(job).type()).isEqualTo("b");
        assertThat(given().get("/api/servers/" + newNode.id).then().statusCode(200).extract()
                .<List<String>>path("types")).as("the types the node runs, sorted").containsExactly("a", "b");
        assertThat(reason(job)).contains("placed on node fake-typed-" + newNode.id);
        oldNode.claim(job);
        assertThat(oldNode.received(ToNode.Drop.class, job).reason()).contains("placed on node");
        assertThat(newNode.claimGranted(job).epoch()).isEqualTo(1);
        assertThat(Api.status(job)).isEqualTo(JobStatus.Processing);
    }

    @Test
    void aRunWhoseNodeLeftFailsOverOnlyToANodeThatRunsItsType() {
        ScheduledFuture<?> newNodeReports = keepReporting(newNode, 4, List.of("a", "b"));
        UUID job = createJob("b");
        newNode.claimGranted(job);
        keepReporting(oldNode, 4, List.of("a"));
        newNodeReports.cancel(false);
        newNode.leave(job);

        oldNode.claim(job);

        assertThat(oldNode.received(ToNode.Drop.class, job).reason()).contains("does not run type b");
        try (FakeNode upgraded = FakeNode.start(topology)) {
            ScheduledFuture<?> reports = keepReporting(upgraded, 4, List.of("a", "b"));
            upgraded.receivedPlaced(job);
            assertThat(upgraded.claimGranted(job).epoch()).isEqualTo(2);
            reports.cancel(false);
        }
    }

    @Test
    void aJobWhoseTypeNodesAreFullWaitsForAFreeSlotAndIsPlacedOnceOneFreesUp() {
        keepReporting(newNode, 1, List.of("a", "b"));
        UUID running = createJob("b");
        newNode.claimGranted(running);
        keepReporting(oldNode, 4, List.of("a"));
        UUID waiting = createJob("b");
        oldNode.claim(waiting);
        oldNode.received(ToNode.Drop.class, waiting);

        await("the reason").atMost(FakeNode.DEADLINE).until(() -> ("waiting for a free slot on a node of pool %s"
                + " that runs type b").formatted(pool).equals(reason(waiting)));
        newNode.send(new ToManager.JobEnded(running, newNode.id, 1, ToManager.Outcome.COMPLETED, 0, null));
        Api.awaitStatus(running, JobStatus.Completed);

        newNode.receivedPlaced(waiting);
        assertThat(newNode.claimGranted(waiting).epoch()).isEqualTo(1);
    }

    @Test
    void aNodeThatReportsNoTypesIsGrantedAnyTypeAsBefore() {
        oldNode.report(4, pool);
        Api.awaitServer(oldNode.id);
        UUID job = createJob("b");

        assertThat(oldNode.claimGranted(job).epoch()).isEqualTo(1);
    }

    @Test
    void aNodeThatRunsTheTypeIsGrantedIt() {
        keepReporting(oldNode, 4, List.of("a"));
        UUID job = createJob("a");

        assertThat(oldNode.claimGranted(job).epoch()).isEqualTo(1);
    }

    /** Reports {@code node} running {@code types} now and every 500 ms, and waits until the managers list it. */
    private ScheduledFuture<?> keepReporting(FakeNode node, int slots, List<String> types) {
        ScheduledFuture<?> reports = heartbeats.scheduleAtFixedRate(() -> node.reportTypes(slots, pool, types), 0,
                500, TimeUnit.MILLISECONDS);
        Api.awaitServer(node.id);
        return reports;
    }

    private UUID createJob(String type) {
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("name", uniqueName("typed"), "pool", pool, "type", type))
                .when().post("/api/jobs")
                .then().statusCode(201)
                .extract().path("id");
        UUID job = UUID.fromString(id);
        await("job " + job + " published").atMost(FakeNode.DEADLINE).until(() -> readyInPoolQueue()
                .orElse(0) >= 1);
        return job;
    }

    private String reason(UUID job) {
        return given().get("/api/jobs/" + job).then().statusCode(200).extract().path("reason");
    }

    private OptionalInt readyInPoolQueue() {
        return probe.readyJobMessages(topology.jobQueue(pool));
    }
}
