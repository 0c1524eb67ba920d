package io.orchestr.node;

import io.orchestr.node.testing.NodeTestBase;
import io.orchestr.shared.RestartMode;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToNode;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replies that arrive late or about another copy of a job, cancels that reach a node still claiming, and copies
 * that come back after a job ended (review findings R4, R5, R6): none of them may lose a job or run it again.
 */
class RepliesAndCopiesTest extends NodeTestBase {

    @Test
    void aDropAboutAnEarlierCopyOfTheJobDoesNotAckTheNewerOne() {
        manager.silent();
        OrchestratedServer node = start(node("replies-a").handler(recorder.untilCancelled()));
        JobMessage job = broker.publishJob("twice-delivered");
        eventually().until(() -> manager.claims(job.jobId()).size() == 1);
        long firstClaim = manager.claims(job.jobId()).getFirst().claim();
        manager.send(idOf(node), new ToNode.Drop(job.jobId(), "duplicate copy", firstClaim));
        eventually().until(() -> listener.ids("dropped").contains(job.jobId()));

        broker.publishJob(job); // a newer copy of the same job reaches the same node
        eventually().until(() -> manager.claims(job.jobId()).stream().anyMatch(c -> c.claim() != firstClaim));
        long secondClaim = manager.claims(job.jobId()).getLast().claim();
        manager.send(idOf(node), new ToNode.Drop(job.jobId(), "duplicate copy", firstClaim)); // the stale one
        manager.send(idOf(node), new ToNode.Grant(job.jobId(), 2, secondClaim));

        eventually().until(() -> recorder.isRunning(job.jobId()));
        assertThat(listener.ids("dropped")).as("only the first copy was dropped").containsExactly(job.jobId());
        assertThat(recorder.starts(job.jobId())).singleElement().satisfies(start -> assertThat(start.epoch())
                .isEqualTo(2));
    }

    @Test
    void aCancelThatReachesANodeStillClaimingIsSettledByTheClaimNotByAnEndUnderEpochZero() {
        manager.silent();
        OrchestratedServer node = start(node("replies-b").handler(recorder.untilCancelled()));
        JobMessage job = broker.publishJob("cancelled-while-claimed");
        eventually().until(() -> manager.claims(job.jobId()).size() == 1);

        manager.broadcast(new ToNode.Cancel(job.jobId()));

        eventually().until(() -> manager.claims(job.jobId()).size() >= 2); // claimed again at once
        assertThat(manager.ends(job.jobId())).as("no end under epoch 0").isEmpty();
        assertThat(broker.readyJobs()).isZero();

        manager.send(idOf(node), new ToNode.Grant(job.jobId(), 3, manager.claims(job.jobId()).getLast().claim()));

        eventually().until(() -> !manager.ends(job.jobId()).isEmpty());
        assertThat(manager.ends(job.jobId())).singleElement().satisfies(end -> {
            assertThat(end.outcome()).isEqualTo(ToManager.Outcome.CANCELLED);
            assertThat(end.epoch()).isEqualTo(3);
        });
        assertThat(recorder.starts()).as("the handler never started").isEmpty();
        node.close();
        assertThat(broker.readyJobs()).as("acked after the end, not handed back").isZero();
    }

    @Test
    void aCopyThatComesBackAfterTheJobEndedIsNotRunAgainUnderTheEndedGrant() {
        manager.grantAll();
        OrchestratedServer node = start(node("replies-c").handler(recorder.returning()));
        JobMessage job = broker.publishJob("done-once", "default", "", RestartMode.NEVER);
        eventually().until(() -> !manager.ends(job.jobId()).isEmpty());

        // a duplicate copy, before any manager applied the end: the test manager grants the owner the same epoch
        broker.publishJob(job);

        eventually().until(() -> manager.claims(job.jobId()).size() == 2);
        ToManager.Claim second = manager.claims(job.jobId()).getLast();
        eventually().until(() -> manager.releasedAfter(second, idOf(node), job.jobId()));
        assertThat(recorder.starts(job.jobId())).as("ran once").hasSize(1);
        node.close();
        assertThat(broker.readyJobs()).as("the copy was acked, not held").isZero();
    }

    @Test
    void aNodeThatEndedAJobStillSaysItHoldsItUntilTheManagersKnow() {
        manager.grantAll();
        OrchestratedServer node = start(node("replies-d").handler(recorder.returning()));
        JobMessage job = broker.publishJob("ended-here", "default", "", RestartMode.NEVER);
        eventually().until(() -> !manager.ends(job.jobId()).isEmpty());
        UUID claimant = UUID.randomUUID();

        manager.send(idOf(node), new ToNode.HoldQuestion(job.jobId(), claimant, 5L));

        eventually().until(() -> manager.received(ToManager.HoldAnswer.class).size() == 1);
        assertThat(manager.received(ToManager.HoldAnswer.class)).containsExactly(
                new ToManager.HoldAnswer(job.jobId(), idOf(node), claimant, true, 5L));
    }

    @Test
    void theNextMessageOfAReleasedJobThatArrivesBeforeTheEndsConfirmIsClaimedNotAckedAsACopy() {
        manager.grantAll();
        OrchestratedServer node = start(node("replies-e").handler(recorder.untilCancelled()));
        JobMessage job = broker.publishJob("restarted-at-once");
        // a manager that applies each end at once and publishes the job again: the new message can reach the node
        // before the broker's confirm of the end it answers
        manager.onEnd(end -> {
            manager.grantElsewhere(end.jobId()); // the end applied: the next grant has a newer epoch
            broker.publishJob(job);
        });

        for (int release = 1; release <= 20; release++) {
            eventually().until(() -> recorder.isRunning(job.jobId()));
            long epoch = recorder.starts(job.jobId()).getLast().epoch();
            manager.send(idOf(node), new ToNode.Release(job.jobId(), epoch, "restart " + release));
            eventually().alias("run after release " + release).until(() -> recorder.isRunning(job.jobId())
                    && recorder.starts(job.jobId()).getLast().epoch() > epoch);
        }
        assertThat(recorder.concurrentRuns(job.jobId())).as("no two runs at once").isLessThanOrEqualTo(1);
    }
}
