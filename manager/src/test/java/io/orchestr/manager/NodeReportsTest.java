package io.orchestr.manager;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.orchestr.client.JobNotCompletedException;
import io.orchestr.client.OrchestratorClient;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.Limits;
import io.orchestr.shared.Progress;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToManager.SnapshotEntry;
import io.orchestr.shared.wire.ToManager.HeldState;
import io.orchestr.shared.wire.ToManager.Outcome;
import io.orchestr.shared.wire.ToNode;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.orchestr.manager.Api.createJob;
import static io.orchestr.manager.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** What nodes report: snapshots and job ends. */
@QuarkusTest
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class NodeReportsTest {

    @Inject
    Topology topology;

    @TestHTTPResource("/")
    URI baseUri;

    private FakeNode node;
    private UUID job;

    @BeforeEach
    void startNode() {
        node = FakeNode.start(topology);
        job = createJob(uniqueName("reported"));
    }

    @AfterEach
    void stopNode() {
        node.close();
    }

    @Test
    void aSnapshotRecordsTheHeartbeatRestartsAndLastErrorOfTheJobsTheNodeRuns() {
        long epoch = node.claimGranted(job).epoch();
        Instant heartbeat = Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.MILLIS);

        snapshot(new SnapshotEntry(job, epoch, HeldState.RUNNING, heartbeat, 2, "boom"));

        await().atMost(FakeNode.DEADLINE).untilAsserted(() -> given().get("/api/jobs/" + job).then()
                .body("lastHeartbeatAt", equalTo(heartbeat.toString()))
                .body("restarts", equalTo(2))
                .body("lastError", equalTo("boom"))
                .body("serverName", equalTo("reporter")));
    }

    @Test
    void aReportedErrorLongerThanTheLimitIsStoredCutToIt() {
        long epoch = node.claimGranted(job).epoch();
        String error = "e".repeat(Limits.ERROR_TEXT) + "beyond the limit";

        snapshot(new SnapshotEntry(job, epoch, HeldState.RUNNING, Instant.now(), 1, error));

        await().atMost(FakeNode.DEADLINE).untilAsserted(() -> given().get("/api/jobs/" + job).then()
                .body("restarts", equalTo(1))
                .body("lastError", equalTo(error.substring(0, Limits.ERROR_TEXT))));
    }

    @Test
    void aSnapshotOfAJobRunUnderAStaleEpochTellsTheNodeToStop() {
        node.claimGranted(job);
        try (FakeNode newer = FakeNode.start(topology)) {
            newer.claim(job);
            node.received(ToNode.HoldQuestion.class, job);
            node.send(new ToManager.HoldAnswer(job, node.id, newer.id, false, 0L));
            newer.received(ToNode.Grant.class, job);

            snapshot(new SnapshotEntry(job, 1, HeldState.RUNNING, Instant.now(), 0, null));

            ToNode.Stop stop = node.received(ToNode.Stop.class, job);
            assertThat(stop.epoch()).isEqualTo(1);
            assertThat(stop.reason()).contains(newer.id.toString());
        }
    }

    @Test
    void aSnapshotOfAJobStillBeingClaimedChangesNothing() {
        node.claimGranted(job);
        try (FakeNode claimant = FakeNode.start(topology)) {
            claimant.send(new ToManager.Snapshot(claimant.id, "claimant", 1, List.of("default"), Instant.now(),
                    List.of(new SnapshotEntry(job, 0, HeldState.CLAIMING, null, 0, null))));

            claimant.receivesNo(ToNode.Stop.class, job);
        }
    }

    @Test
    void aSnapshotOfAJobBeingCancelledSendsTheCancelAgain() {
        long epoch = node.claimGranted(job).epoch();
        Api.cancel(job);
        node.received(ToNode.Cancel.class, job);

        snapshot(new SnapshotEntry(job, epoch, HeldState.RUNNING, Instant.now(), 0, null));

        node.received(ToNode.Cancel.class, job);
    }

    @Test
    void aPartialSnapshotThatDoesNotListAJobBeingCancelledSendsItsCancelAgain() {
        node.claimGranted(job);
        Api.cancel(job);
        node.received(ToNode.Cancel.class, job);

        node.send(new ToManager.Snapshot(node.id, "reporter", 4, List.of("default"), Instant.now(), List.of(),
                false, 0));

        node.received(ToNode.Cancel.class, job);
    }

    @Test
    void aPartialSnapshotKeepsTheJobsItDoesNotListAsTheyAre() {
        long epoch = node.claimGranted(job).epoch();
        snapshot(new SnapshotEntry(job, epoch, HeldState.RUNNING, Instant.now(), 0, null));

        node.send(new ToManager.Snapshot(node.id, "reporter", 4, List.of("default"), Instant.now(), List.of(),
                false, 0));

        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> Api.status(job) == JobStatus.Processing);
        node.receivesNo(ToNode.Stop.class, job);
    }

    @Test
    void aCancelledJobEndsDeletedAndFreesItsName() {
        String name = uniqueName("freed");
        UUID cancelled = createJob(name);
        long epoch = node.claimGranted(cancelled).epoch();
        Api.cancel(cancelled);
        node.received(ToNode.Cancel.class, cancelled);

        node.send(new ToManager.JobEnded(cancelled, node.id, epoch, Outcome.CANCELLED, 0, null));

        Api.awaitStatus(cancelled, JobStatus.Deleted);
        createJob(name);
    }

    @Test
    void aCompletedJobEndsCompleted() {
        long epoch = node.claimGranted(job).epoch();

        node.send(new ToManager.JobEnded(job, node.id, epoch, Outcome.COMPLETED, 0, null));

        Api.awaitStatus(job, JobStatus.Completed);
        given().get("/api/jobs/" + job).then().body("serverId", nullValue());
    }

    @Test
    void anEndAppliedAfterTheNodeLeftStillEndsTheJob() {
        long epoch = node.claimGranted(job).epoch();
        // the node's goodbye, handled on another lane, got ahead of the end it had sent first
        node.leave(job);

        node.send(new ToManager.JobEnded(job, node.id, epoch, Outcome.COMPLETED, 0, null));

        Api.awaitStatus(job, JobStatus.Completed);
    }

    @Test
    void aFailedJobEndsFailedWithItsRestartsAndError() {
        long epoch = node.claimGranted(job).epoch();

        node.send(new ToManager.JobEnded(job, node.id, epoch, Outcome.FAILED, 3, "gave up"));

        Api.awaitStatus(job, JobStatus.Failed);
        given().get("/api/jobs/" + job).then().body("restarts", equalTo(3)).body("lastError", equalTo("gave up"));
    }

    @Test
    void anEndReportedUnderAStaleEpochIsIgnored() {
        long epoch = node.claimGranted(job).epoch();

        node.send(new ToManager.JobEnded(job, node.id, epoch + 1, Outcome.COMPLETED, 0, null));

        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> Api.status(job) == JobStatus.Processing);
    }

    @Test
    void aCompletedEndRecordsItsResultWhichTheClientAwaitsTyped() {
        long epoch = node.claimGranted(job).epoch();
        OrchestratorClient client = OrchestratorClient.create(baseUri);
        CompletableFuture<Sum> future = client.resultAsync(job, Sum.class);

        node.send(new ToManager.JobEnded(job, node.id, epoch, Outcome.COMPLETED, 0, null,
                JsonNodeFactory.instance.objectNode().put("sum", 5), new Progress(5, 5, "done", Instant.EPOCH)));

        assertThat(client.awaitResult(job, Sum.class, FakeNode.DEADLINE)).isEqualTo(new Sum(5));
        assertThat(future).succeedsWithin(FakeNode.DEADLINE).isEqualTo(new Sum(5));
        given().get("/api/jobs/" + job).then().body("result.sum", equalTo(5))
                .body("progress.done", equalTo(5)).body("progress.message", equalTo("done"));
    }

    @Test
    void awaitingTheResultOfAFailedJobThrowsItsLastError() {
        long epoch = node.claimGranted(job).epoch();
        OrchestratorClient client = OrchestratorClient.create(baseUri);
        CompletableFuture<Sum> future = client.resultAsync(job, Sum.class);

        node.send(new ToManager.JobEnded(job, node.id, epoch, Outcome.FAILED, 0, "timed out after 1s"));

        assertThatThrownBy(() -> client.awaitResult(job, Sum.class, FakeNode.DEADLINE))
                .isInstanceOf(JobNotCompletedException.class).hasMessageContaining("ended Failed: timed out after 1s");
        assertThat(future).failsWithin(FakeNode.DEADLINE).withThrowableThat()
                .withCauseInstanceOf(JobNotCompletedException.class);
        given().get("/api/jobs/" + job).then().body("result", nullValue());
    }

    @Test
    void aSnapshotRecordsTheLatestProgressOfARun() {
        long epoch = node.claimGranted(job).epoch();
        Instant heartbeat = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant first = heartbeat.plusMillis(100);
        Instant second = heartbeat.plusMillis(200);

        snapshot(new SnapshotEntry(job, epoch, HeldState.RUNNING, heartbeat, 0, null,
                new Progress(1, 10, "one", first)));
        await().atMost(FakeNode.DEADLINE).untilAsserted(() -> given().get("/api/jobs/" + job).then()
                .body("progress.done", equalTo(1))
                .body("progress.total", equalTo(10))
                .body("progress.message", equalTo("one"))
                .body("progress.at", equalTo(first.toString())));
        // nothing else is news in this entry: the progress alone is written
        snapshot(new SnapshotEntry(job, epoch, HeldState.RUNNING, heartbeat, 0, null,
                new Progress(2, 10, null, second)));

        await().atMost(FakeNode.DEADLINE).untilAsserted(() -> given().get("/api/jobs/" + job).then()
                .body("progress.done", equalTo(2))
                .body("progress.message", nullValue())
                .body("progress.at", equalTo(second.toString())));
        assertThat(OrchestratorClient.create(baseUri).job(job).progress())
                .isEqualTo(new Progress(2, 10, null, second));
    }

    @Test
    void aCheckpointUnderTheOwnersEpochIsStoredAndShownWithItsTime() {
        long epoch = node.claimGranted(job).epoch();
        Instant before = Instant.now().minusSeconds(1);

        node.send(new ToManager.Checkpoint(job, node.id, epoch, 1, JsonNodeFactory.instance.objectNode().put("n", 5)));

        assertThat(node.received(ToNode.CheckpointReply.class, job))
                .isEqualTo(new ToNode.CheckpointReply(job, 1, true, null));
        JobView view = OrchestratorClient.create(baseUri).job(job);
        assertThat(view.checkpoint()).isEqualTo(JsonNodeFactory.instance.objectNode().put("n", 5));
        assertThat(view.checkpointAt()).isAfter(before).isBefore(Instant.now().plusSeconds(1));
        given().get("/api/jobs/" + job).then().body("checkpoint.n", equalTo(5))
                .body("checkpointAt", equalTo(view.checkpointAt().toString()));
    }

    @Test
    void aCheckpointOfAStaleRunIsRefusedSayingSoAndChangesNothing() {
        long epoch = node.claimGranted(job).epoch();
        node.send(new ToManager.Checkpoint(job, node.id, epoch, 1, JsonNodeFactory.instance.objectNode().put("n", 1)));
        assertThat(node.received(ToNode.CheckpointReply.class, job).stored()).isTrue();

        try (FakeNode stranger = FakeNode.start(topology)) {
            stranger.send(new ToManager.Checkpoint(job, stranger.id, epoch, 9,
                    JsonNodeFactory.instance.objectNode().put("n", 9)));
            assertThat(stranger.received(ToNode.CheckpointReply.class, job)).satisfies(reply -> {
                assertThat(reply.stored()).isFalse();
                assertThat(reply.checkpoint()).isEqualTo(9);
                assertThat(reply.reason()).startsWith("stale run: the job is granted to node " + node.id
                        + " under epoch " + epoch);
            });
        }
        node.send(new ToManager.Checkpoint(job, node.id, epoch - 1, 2, JsonNodeFactory.instance.objectNode()
                .put("n", 2)));
        assertThat(node.received(ToNode.CheckpointReply.class, job).reason()).startsWith("stale run");

        given().get("/api/jobs/" + job).then().body("checkpoint.n", equalTo(1));
    }

    @Test
    void anOlderCheckpointOfTheSameRunArrivingLateNeverReplacesANewerOne() {
        long epoch = node.claimGranted(job).epoch();
        node.send(new ToManager.Checkpoint(job, node.id, epoch, 2, JsonNodeFactory.instance.objectNode().put("n", 2)));
        assertThat(node.received(ToNode.CheckpointReply.class, job).stored()).isTrue();

        node.send(new ToManager.Checkpoint(job, node.id, epoch, 1, JsonNodeFactory.instance.objectNode().put("n", 1)));

        assertThat(node.received(ToNode.CheckpointReply.class, job)).isEqualTo(new ToNode.CheckpointReply(job, 1,
                false, "a later checkpoint of this run is stored already"));
        given().get("/api/jobs/" + job).then().body("checkpoint.n", equalTo(2));
    }

    private void snapshot(SnapshotEntry... jobs) {
        node.send(new ToManager.Snapshot(node.id, "reporter", 4, List.of("default"), Instant.now(), List.of(jobs)));
    }

    record Sum(int sum) {
    }
}
