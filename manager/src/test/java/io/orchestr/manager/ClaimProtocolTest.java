package io.orchestr.manager;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.orchestr.manager.broker.ControlMessage;
import io.orchestr.manager.claim.ClaimDecider;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToNode;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
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
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** The claim protocol, with the test playing two nodes. */
@QuarkusTest
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ClaimProtocolTest {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Inject
    Topology topology;

    @Inject
    ClaimDecider decider;

    private FakeNode owner;
    private FakeNode other;
    private UUID job;

    @BeforeEach
    void startNodes() {
        owner = FakeNode.start(topology);
        other = FakeNode.start(topology);
        job = createJob(uniqueName("claimed"));
    }

    @AfterEach
    void stopNodes() {
        owner.close();
        other.close();
    }

    @Test
    void theFirstClaimIsGrantedUnderEpochOne() {
        ToNode.Grant grant = owner.claimGranted(job);

        assertThat(grant.epoch()).isEqualTo(1);
        assertThat(Api.status(job)).isEqualTo(JobStatus.Processing);
    }

    @Test
    void aClaimByTheOwnerAgainIsGrantedUnderTheSameEpoch() {
        owner.claimGranted(job);

        assertThat(owner.claimGranted(job).epoch()).isEqualTo(1);
    }

    @Test
    void everyReplyNamesTheClaimItAnswers() {
        long first = owner.claim(job);
        assertThat(owner.received(ToNode.Grant.class, job).claim()).isEqualTo(first);

        long second = other.claim(job);
        assertThat(other.received(ToNode.Wait.class, job).claim()).isEqualTo(second);
        ToNode.HoldQuestion question = owner.received(ToNode.HoldQuestion.class, job);
        assertThat(question.claim()).isEqualTo(second);

        owner.send(new ToManager.HoldAnswer(job, owner.id, other.id, true, question.claim()));
        assertThat(other.received(ToNode.Drop.class, job).claim()).isEqualTo(second);
    }

    @Test
    void aBatchOfClaimsIsAnsweredByOneMessageThatNamesEveryClaim() {
        UUID free = createJob(uniqueName("free"));
        UUID unknown = UUID.randomUUID();
        owner.claimGranted(job);

        Map<UUID, Long> claims = other.claimBatch(7, List.of(free, job, unknown));

        ToNode.Decisions decisions = other.decisions(7);
        assertThat(decisions.grants()).extracting(ToNode.Grant::jobId, ToNode.Grant::epoch, ToNode.Grant::claim)
                .containsExactly(tuple(free, 1L, claims.get(free)));
        assertThat(decisions.grants().getFirst().spec().jobId()).as("the grant carries the stored job")
                .isEqualTo(free);
        assertThat(decisions.waits()).containsExactly(new ToNode.Wait(job, owner.id, claims.get(job)));
        assertThat(decisions.drops()).containsExactly(new ToNode.Drop(unknown, "unknown job", claims.get(unknown)));
        assertThat(owner.received(ToNode.HoldQuestion.class, job).claim()).isEqualTo(claims.get(job));
        given().get("/api/jobs/" + free).then().body("serverId", equalTo(other.id.toString()));
    }

    @Test
    void theGrantToTheNextOwnerCarriesTheLastCheckpointTheOldOneStored() {
        long epoch = owner.claimGranted(job).epoch();
        // one at a time, as a run sends them: the manager queue's lanes may reorder messages sent together
        owner.send(new ToManager.Checkpoint(job, owner.id, epoch, 1, JSON.objectNode().put("n", 41)));
        assertThat(owner.received(ToNode.CheckpointReply.class, job).stored()).isTrue();
        owner.send(new ToManager.Checkpoint(job, owner.id, epoch, 2, JSON.objectNode().put("n", 42)));
        assertThat(owner.received(ToNode.CheckpointReply.class, job).stored()).isTrue();
        owner.leave(job);

        long claim = other.claimBatch(3, List.of(job)).get(job);

        ToNode.Grant grant = other.decisions(3).grants().getFirst();
        assertThat(grant.claim()).isEqualTo(claim);
        assertThat(grant.epoch()).isEqualTo(epoch + 1);
        assertThat(grant.checkpoint()).isEqualTo(JSON.objectNode().put("n", 42));
        assertThat(grant.checkpointAt()).isNotNull().isBefore(Instant.now().plusSeconds(1));
        assertThat(other.claimGranted(job).checkpoint()).as("the owner's repeated claim gets it too")
                .isEqualTo(JSON.objectNode().put("n", 42));
    }

    @Test
    void aGrantOfAJobWithoutCheckpointCarriesNone() {
        ToNode.Grant grant = owner.claimGranted(job);

        assertThat(grant.checkpoint()).isNull();
        assertThat(grant.checkpointAt()).isNull();
    }

    @Test
    void batchesDecidedInOneTransactionNeverGrantOneJobTwice() {
        owner.claimGranted(job);
        owner.leave(job);
        try (FakeNode third = FakeNode.start(topology)) {
            List<List<ControlMessage>> replies = decider.onClaims(List.of(
                    new ToManager.Claims(other.id, 1, List.of(new ToManager.Claimed(job, 11))),
                    new ToManager.Claims(third.id, 1, List.of(new ToManager.Claimed(job, 21)))));

            ToNode.Decisions granted = (ToNode.Decisions) replies.get(0).getFirst().message();
            assertThat(granted.grants()).extracting(ToNode.Grant::jobId, ToNode.Grant::epoch, ToNode.Grant::claim)
                    .containsExactly(tuple(job, 2L, 11L));
            assertThat(granted.drops()).isEmpty();
            assertThat(granted.waits()).isEmpty();
            assertThat(replies.get(1)).extracting(ControlMessage::message).first()
                    .isEqualTo(new ToNode.Decisions(1, List.of(), List.of(),
                            List.of(new ToNode.Wait(job, other.id, 21L))));
            assertThat(replies.get(1)).extracting(ControlMessage::message)
                    .contains(new ToNode.HoldQuestion(job, third.id, 21L));
        }
        given().get("/api/jobs/" + job).then().body("serverId", equalTo(other.id.toString()));
    }

    @Test
    void aBatchOfAGoneOwnersJobsMovesThemAllUnderTheirNextEpoch() {
        List<UUID> jobs = List.of(job, createJob(uniqueName("moved")), createJob(uniqueName("moved")));
        jobs.forEach(owner::claimGranted);
        owner.close();

        ToNode.Decisions decisions;
        do { // the broker deletes the control queue a moment after the connection closed: until then, wait
            other.claimBatch(1, jobs);
            decisions = other.decisions(1);
        } while (!decisions.waits().isEmpty());

        assertThat(decisions.grants()).extracting(ToNode.Grant::jobId).containsExactlyInAnyOrderElementsOf(jobs);
        assertThat(decisions.grants()).extracting(ToNode.Grant::epoch).containsOnly(2L);
        assertThat(decisions.drops()).isEmpty();
    }

    @Test
    void aClaimWhileTheOwnerIsAliveWaitsAndTheOwnerIsAsked() {
        owner.claimGranted(job);

        other.claim(job);

        assertThat(other.received(ToNode.Wait.class, job).ownerId()).isEqualTo(owner.id);
        assertThat(owner.received(ToNode.HoldQuestion.class, job).claimantId()).isEqualTo(other.id);
        other.receivesNo(ToNode.Grant.class, job);
    }

    @Test
    void anOwnerThatStillHoldsTheJobMakesTheOtherCopyADuplicate() {
        owner.claimGranted(job);
        other.claim(job);
        owner.received(ToNode.HoldQuestion.class, job);

        owner.send(new ToManager.HoldAnswer(job, owner.id, other.id, true, 0L));

        assertThat(other.received(ToNode.Drop.class, job).reason()).contains("duplicate");
        assertThat(Api.status(job)).isEqualTo(JobStatus.Processing);
    }

    @Test
    void anOwnerThatNoLongerHoldsTheJobLetsTheClaimantRunItUnderTheNextEpoch() {
        owner.claimGranted(job);
        other.claim(job);
        owner.received(ToNode.HoldQuestion.class, job);

        owner.send(new ToManager.HoldAnswer(job, owner.id, other.id, false, 0L));

        assertThat(other.received(ToNode.Grant.class, job).epoch()).isEqualTo(2);
        given().get("/api/jobs/" + job).then().body("serverId", equalTo(other.id.toString()));
    }

    @Test
    void anAnswerFromANodeThatNoLongerOwnsTheJobChangesNothing() {
        owner.claimGranted(job);
        owner.close();
        other.claimGranted(job);

        other.send(new ToManager.HoldAnswer(job, owner.id, other.id, true, 0L));

        other.receivesNo(ToNode.Drop.class, job);
    }

    @Test
    void aJobWhoseOwnersConnectionDiedIsGrantedAtOnce() {
        owner.claimGranted(job);
        owner.close();

        assertThat(other.claimGranted(job).epoch()).isEqualTo(2);
    }

    @Test
    void aJobWhoseOwnerLeftCleanlyIsGrantedAtOnce() {
        owner.claimGranted(job);
        owner.send(new ToManager.Snapshot(owner.id, "leaving", 2, List.of("default"), Instant.now(), List.of()));
        owner.send(new ToManager.NodeLeft(owner.id));
        await().atMost(FakeNode.DEADLINE).until(() -> "Stopped".equals(
                given().get("/api/servers/" + owner.id).then().extract().path("status")));

        assertThat(other.claimGranted(job).epoch()).isEqualTo(2);
    }

    @Test
    void aClaimOfAJobBeingCancelledWhoseOwnerIsGoneDropsItAndTheJobIsDeleted() {
        owner.claimGranted(job);
        Api.cancel(job);
        owner.close();

        other.claim(job);

        other.received(ToNode.Drop.class, job);
        assertThat(Api.status(job)).isEqualTo(JobStatus.Deleted);
    }

    @Test
    void aJobBeingCancelledStaysDeletingWhileItsOwnerIsAliveUntilTheOwnerConfirms() {
        long epoch = owner.claimGranted(job).epoch();
        Api.cancel(job);

        // a claim the owner sent before its grant arrived, then another node's copy
        assertThat(owner.claimGranted(job).epoch()).isEqualTo(epoch);
        other.claim(job);
        assertThat(other.received(ToNode.Drop.class, job).reason()).contains("cancelled");
        assertThat(Api.status(job)).isEqualTo(JobStatus.Deleting);

        owner.send(new ToManager.JobEnded(job, owner.id, epoch, ToManager.Outcome.CANCELLED, 0, null));
        Api.awaitStatus(job, JobStatus.Deleted);
    }

    @Test
    void aCancelOfAJobHandedBackByANodeThatLeftDeletesItAndALaterClaimIsDropped() {
        owner.claimGranted(job);
        owner.leave(job);

        given().delete("/api/jobs/" + job).then().statusCode(202).body("status", equalTo("Deleted"));

        other.claim(job);
        assertThat(other.received(ToNode.Drop.class, job).reason()).contains("Deleted");
    }

    @Test
    void aClaimOfAnUnknownOrEndedJobIsDropped() {
        UUID unknown = UUID.randomUUID();
        owner.claim(unknown);
        owner.received(ToNode.Drop.class, unknown);

        Api.cancel(job);
        owner.claim(job);
        assertThat(owner.received(ToNode.Drop.class, job).reason()).contains("Deleted");
    }
}
