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
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.orchestr.manager.Api.createJob;
import static io.orchestr.manager.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Pause, resume, restart and move, with the test playing the nodes (the release protocol of each). */
@QuarkusTest
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class SteeringTest {
    @Inject
    Topology topology;

    @Inject
    QueueProbe probe;

    private FakeNode owner;
    private FakeNode other;
    /** A pool of this test's own, so that the nodes other tests left behind are no move's target. */
    private String pool;
    private UUID job;

    @BeforeEach
    void startNodes() {
        owner = FakeNode.start(topology);
        other = FakeNode.start(topology);
        pool = "steer-" + UUID.randomUUID().toString().substring(0, 8);
        job = createJob(uniqueName("steered"), pool);
    }

    @AfterEach
    void stopNodes() {
        owner.close();
        other.close();
    }

    @Test
    void aQueuedJobIsPausedAtOnceAndAClaimOfItsMessageIsDropped() {
        post("pause").statusCode(202).body("status", equalTo("Paused")).body("reason", containsString("paused"));

        other.claim(job);
        assertThat(other.received(ToNode.Drop.class, job).reason()).contains("Paused");
    }

    @Test
    void aRunningJobIsPausingUntilItsOwnerReleasedItThenPaused() {
        owner.claimGranted(job);

        post("pause").statusCode(202).body("status", equalTo("Pausing"))
                .body("reason", containsString("waiting for node"));
        ToNode.Release release = owner.received(ToNode.Release.class, job);
        assertThat(release.epoch()).isEqualTo(1);
        other.claim(job);
        assertThat(other.received(ToNode.Drop.class, job).reason()).contains("being paused");

        owner.released(job, 1);
        Api.awaitStatus(job, JobStatus.Paused);
        given().get("/api/jobs/" + job).then().body("serverId", equalTo(null));
        given().get("/api/jobs/" + job + "/events").then()
                .body("items.kind", equalTo(List.of("created", "granted", "paused", "stopped")))
                .body("items[3].serverId", equalTo(owner.id.toString()))
                .body("items[3].epoch", equalTo(1))
                .body("items[3].detail", equalTo("released: paused"))
                .body("items[2].actor", containsString("api"));
    }

    @Test
    void aPausedOrPausingJobIsCancelledAsAQueuedOrRunningOneIs() {
        post("pause");
        given().delete("/api/jobs/" + job).then().statusCode(202).body("status", equalTo("Deleted"));

        UUID pausing = createJob(uniqueName("pausing"), pool);
        owner.claimGranted(pausing);
        given().post("/api/jobs/" + pausing + "/pause").then().body("status", equalTo("Pausing"));
        given().delete("/api/jobs/" + pausing).then().statusCode(202).body("status", equalTo("Deleting"));
        owner.released(pausing, 1);
        Api.awaitStatus(pausing, JobStatus.Deleted);
    }

    @Test
    void aRepeatIsANoOpAndAnEndedOrCancellingJobIsRefused() {
        owner.claimGranted(job);
        post("pause").statusCode(202).body("status", equalTo("Pausing"));
        post("pause").statusCode(202).body("status", equalTo("Pausing"));
        post("resume").statusCode(409).body("error", containsString("Pausing"));

        UUID cancelling = createJob(uniqueName("cancelling"), pool);
        owner.claimGranted(cancelling);
        Api.cancel(cancelling);
        for (String action : List.of("pause", "resume", "restart", "move")) {
            given().post("/api/jobs/" + cancelling + "/" + action).then().statusCode(409)
                    .body("error", containsString("Deleting"));
        }
        given().post("/api/jobs/" + UUID.randomUUID() + "/pause").then().statusCode(404);
    }

    @Test
    void aResumedJobIsQueuedAgainAndItsNextRunIsGrantedUnderTheNextEpoch() {
        owner.claimGranted(job);
        post("pause");
        owner.released(job, 1);
        Api.awaitStatus(job, JobStatus.Paused);

        post("resume").statusCode(202).body("status", equalTo("Queued"));
        post("resume").statusCode(202).body("status", equalTo("Queued"));

        assertThat(other.claimGranted(job).epoch()).isEqualTo(2);
    }

    @Test
    void aRestartWaitsForTheReleaseThenQueuesTheJobForAnyNode() {
        owner.claimGranted(job);

        post("restart").statusCode(202).body("status", equalTo("Processing"))
                .body("reason", containsString("restarting"));
        owner.received(ToNode.Release.class, job);
        post("restart").statusCode(202);
        owner.receivesNo(ToNode.Release.class, job);

        owner.released(job, 1);
        Api.awaitStatus(job, JobStatus.Queued);
        assertThat(owner.claimGranted(job).epoch()).as("the old owner may run it again, under a new grant")
                .isEqualTo(2);
    }

    @Test
    void aMovedJobStartsNextOnTheNodeItWasMovedToAndNowhereElse() {
        owner.report(2, pool);
        other.report(2, pool);
        owner.claimGranted(job);

        post("move").statusCode(202).body("reason", containsString("moving to node"));
        owner.received(ToNode.Release.class, job);
        owner.released(job, 1);

        assertThat(other.receivedPlaced(job).jobId()).isEqualTo(job);
        Api.awaitStatus(job, JobStatus.Queued);
        owner.claim(job);
        assertThat(owner.received(ToNode.Drop.class, job).reason()).contains("placed on node " + other.id);
        assertThat(other.claimGranted(job).epoch()).isEqualTo(2);
        given().get("/api/jobs/" + job).then().body("serverId", equalTo(other.id.toString()));
    }

    @Test
    void aMoveNeedsAnotherActiveNodeOfThePoolWithAFreeSlot() {
        owner.report(2, pool);
        owner.claimGranted(job);

        post("move").statusCode(409).body("error", containsString("no other node can take job"));
        move(owner.id).statusCode(409).body("error", containsString("runs on server"));
        move(UUID.randomUUID()).statusCode(409).body("error", containsString("not an Active node of pool"));
        other.report(0, pool);
        move(other.id).statusCode(409).body("error", containsString("has no free slot"));
        given().contentType(ContentType.JSON).body(Map.of("server", "x")).post("/api/jobs/" + job + "/move")
                .then().statusCode(400).body("field", equalTo("server"));
        given().contentType(ContentType.JSON).body(Map.of("serverId", "x")).post("/api/jobs/" + job + "/move")
                .then().statusCode(400).body("field", equalTo("serverId"));
        owner.receivesNo(ToNode.Release.class, job);
    }

    @Test
    void aQueuedJobPlacedOnANodeThatDiesGoesToAnyNodeOfItsPool() {
        other.report(2, pool);
        move(other.id).statusCode(202).body("status", equalTo("Queued"))
                .body("reason", containsString("placed on node"));
        other.receivedPlaced(job);
        other.close();

        Api.awaitStatus(job, JobStatus.Queued);
        await("the job unplaced from the dead node").atMost(FakeNode.DEADLINE)
                .until(() -> given().get("/api/jobs/" + job).then().extract().<String>path("reason") == null);
        assertThat(owner.claimGranted(job).epoch()).isEqualTo(1);
    }

    @Test
    void aJobMovedToANodeThatLeavesCleanlyGetsItsMessageBackInItsPoolsQueue() {
        other.report(2, pool);
        move(other.id).statusCode(202);
        other.receivedPlaced(job);
        assertThat(other.claimGranted(job).epoch()).isEqualTo(1);

        other.leave(job);

        await("the job's message in its pool's queue again").atMost(FakeNode.DEADLINE)
                .until(() -> probe.readyJobMessages(topology.jobQueue(pool)).orElse(0) >= 1);
        assertThat(owner.claimGranted(job).epoch()).isEqualTo(2);
    }

    @Test
    void aPausingJobWhoseOwnerDiesIsPausedByTheNextClaim() {
        owner.claimGranted(job);
        post("pause");
        owner.close();

        other.claim(job);
        assertThat(other.received(ToNode.Drop.class, job).reason()).contains("was paused");
        assertThat(Api.status(job)).isEqualTo(JobStatus.Paused);
    }

    @Test
    void aLostReleaseGoesOutAgainWhenTheOwnerReportsTheJobStillRunning() {
        owner.claimGranted(job);
        post("pause");
        owner.received(ToNode.Release.class, job);

        owner.send(new ToManager.Snapshot(owner.id, "owner", 2, List.of(pool), Instant.now(), List.of(
                new ToManager.SnapshotEntry(job, 1, ToManager.HeldState.RUNNING, Instant.now(), 0, null))));

        assertThat(owner.received(ToNode.Release.class, job).epoch()).isEqualTo(1);
    }

    @Test
    void aReleaseUnderAStaleGrantChangesNothing() {
        owner.claimGranted(job);
        post("pause");

        other.released(job, 1);
        owner.released(job, 0);

        owner.receivesNo(ToNode.Drop.class, job);
        assertThat(Api.status(job)).isEqualTo(JobStatus.Pausing);
    }

    private ValidatableResponse post(String action) {
        return given().post("/api/jobs/" + job + "/" + action).then();
    }

    private ValidatableResponse move(UUID serverId) {
        return given().contentType(ContentType.JSON).body(Map.of("serverId", serverId.toString()))
                .post("/api/jobs/" + job + "/move").then();
    }
}
