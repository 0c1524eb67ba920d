package io.orchestr.node;

import io.orchestr.node.testing.JobRecorder;
import io.orchestr.node.testing.NodeTestBase;
import io.orchestr.shared.RestartMode;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class ClaimBeforeStartTest extends NodeTestBase {

    @Test
    void aGrantedJobRunsUnderTheGrantedEpoch() {
        manager.grantAll();
        OrchestratedServer node = start(node("claim-a").handler(recorder.untilCancelled()));

        JobMessage job = broker.publishJob("report");

        eventually().until(() -> recorder.isRunning(job.jobId()));
        assertThat(recorder.starts(job.jobId())).containsExactly(
                new JobRecorder.Start(job.jobId(), "report", 1, idOf(node), "claim-a"));
        assertThat(manager.claims(job.jobId())).first().extracting(ToManager.Claim::nodeId).isEqualTo(idOf(node));
        assertThat(listener.ids("granted")).containsExactly(job.jobId());
        eventually().untilAsserted(() -> assertThat(manager.heldIn(idOf(node), job.jobId())).get()
                .satisfies(held -> {
                    assertThat(held.state()).isEqualTo(ToManager.HeldState.RUNNING);
                    assertThat(held.epoch()).isEqualTo(1);
                }));
    }

    @Test
    void aDroppedJobIsAckedAndNeverStarts() {
        manager.dropAll("job deleted");
        OrchestratedServer node = start(node("claim-b").handler(recorder.untilCancelled()));

        JobMessage job = broker.publishJob("deleted-one");

        eventually().until(() -> listener.ids("dropped").contains(job.jobId()));
        node.close();
        assertThat(broker.readyJobs()).as("acked, so not handed back on close").isZero();
        assertThat(recorder.starts()).isEmpty();
    }

    @Test
    void aJobRunsNothingWhileTheManagerSaysWaitAndClaimsAgainUntilGranted() {
        manager.waitAll();
        OrchestratedServer node = start(node("claim-c").handler(recorder.untilCancelled()));

        JobMessage job = broker.publishJob("contested");

        eventually().until(() -> manager.claims(job.jobId()).size() >= 3);
        assertThat(recorder.starts()).isEmpty();
        assertThat(manager.heldIn(idOf(node), job.jobId())).get().satisfies(held -> {
            assertThat(held.state()).isEqualTo(ToManager.HeldState.CLAIMING);
            assertThat(held.epoch()).isZero();
        });

        manager.grantAll();

        eventually().until(() -> recorder.isRunning(job.jobId()));
    }

    @Test
    void aDuplicateCopyOfAHeldJobIsAckedAtOnceAndNotRunTwice() {
        manager.grantAll();
        OrchestratedServer node = start(node("claim-d").handler(recorder.untilCancelled()));
        JobMessage job = broker.publishJob("once");
        eventually().until(() -> recorder.isRunning(job.jobId()));

        broker.publishJob(job);

        eventually().until(() -> broker.readyJobs() == 0);
        node.close();
        assertThat(broker.readyJobs()).as("only the held copy is handed back").isEqualTo(1);
        assertThat(recorder.starts(job.jobId())).hasSize(1);
        assertThat(manager.claims(job.jobId())).hasSize(1);
    }

    @Test
    void aNodeHoldsNoMoreJobMessagesThanItHasSlots() {
        manager.grantAll();
        start(node("claim-e").maxWorkers(2).handler(recorder.untilCancelled()));

        for (int i = 0; i < 3; i++) {
            broker.publishJob("slot-" + i);
        }

        eventually().until(() -> recorder.runningCount() == 2);
        eventually().during(Duration.ofMillis(500))
                .until(() -> broker.readyJobs() == 1 && recorder.runningCount() == 2);
    }

    @Test
    void aJobOfAnUnknownTypeFailsWithAClearErrorAndIsAcked() {
        manager.grantAll();
        OrchestratedServer node = start(node("claim-f").handler(recorder.untilCancelled()));

        JobMessage job = broker.publishJob("typo", "no-such-type", "", RestartMode.ON_FAILURE);

        eventually().until(() -> !manager.ends(job.jobId()).isEmpty());
        assertThat(manager.ends(job.jobId())).singleElement().satisfies(end -> {
            assertThat(end.outcome()).isEqualTo(ToManager.Outcome.FAILED);
            assertThat(end.error()).contains("no handler for job type 'no-such-type' on node 'claim-f'", "[default]");
        });
        node.close();
        assertThat(broker.readyJobs()).isZero();
    }

    @Test
    void deliveriesThatArriveWhileBatchesAreUnansweredGoTogetherInTheNextBatch() {
        manager.grantAll();
        start(node("claim-i").maxWorkers(400).handler(recorder.untilCancelled()));
        JobMessage first = broker.publishJob("first");
        eventually().until(() -> recorder.isRunning(first.jobId()));
        assertThat(manager.claims(first.jobId())).as("claimed on its own").hasSize(1);
        assertThat(manager.batches()).isEmpty();
        manager.silent();

        List<UUID> burst = IntStream.range(0, 300).mapToObj(i -> broker.publishJob("burst-" + i).jobId()).toList();
        eventually().until(() -> manager.batches().size() >= 2);
        manager.grantAll();

        eventually().until(() -> burst.stream().allMatch(recorder::isRunning));
        assertThat(manager.batches()).as("batches for 300 jobs, two of them unanswered").hasSizeLessThanOrEqualTo(10);
        assertThat(manager.batches().stream().flatMap(batch -> batch.claims().stream())
                .map(ToManager.Claimed::jobId).distinct()).containsExactlyInAnyOrderElementsOf(burst);
        assertThat(manager.singleClaims()).as("claims sent one by one: only the first job's")
                .extracting(ToManager.Claim::jobId).containsOnly(first.jobId());
    }

    @Test
    void aNodeClaimsOneJobPerMessageWhileTheManagerNamesNoClaimIds() {
        manager.grantAll().withoutClaimIds();
        start(node("claim-j").maxWorkers(20).handler(recorder.untilCancelled()));
        List<UUID> jobs = IntStream.range(0, 10).mapToObj(i -> broker.publishJob("old-" + i).jobId()).toList();

        eventually().until(() -> jobs.stream().allMatch(recorder::isRunning));
        assertThat(manager.batches()).isEmpty();
        assertThat(manager.singleClaims()).hasSizeGreaterThanOrEqualTo(10);
    }

    @Test
    void theNodeTellsTheManagerWhichJobsItHolds() {
        manager.grantAll();
        OrchestratedServer node = start(node("claim-g").handler(recorder.untilCancelled()));
        JobMessage job = broker.publishJob("held");
        eventually().until(() -> recorder.isRunning(job.jobId()));
        UUID claimant = UUID.randomUUID();
        UUID unknown = UUID.randomUUID();

        manager.send(idOf(node), new ToNode.HoldQuestion(job.jobId(), claimant, 11L));
        manager.send(idOf(node), new ToNode.HoldQuestion(unknown, claimant, 12L));

        eventually().until(() -> manager.received(ToManager.HoldAnswer.class).size() == 2);
        assertThat(manager.received(ToManager.HoldAnswer.class)).containsExactlyInAnyOrder(
                new ToManager.HoldAnswer(job.jobId(), idOf(node), claimant, true, 11L),
                new ToManager.HoldAnswer(unknown, idOf(node), claimant, false, 12L));
    }

    @Test
    void runningJobsAreNotDisturbedWhileTheManagerIsDown() {
        manager.grantAll();
        start(node("claim-h").handler(recorder.untilCancelled()));
        JobMessage job = broker.publishJob("steady");
        eventually().until(() -> recorder.isRunning(job.jobId()));

        manager.close();

        eventually().during(Duration.ofSeconds(2)).until(() -> recorder.isRunning(job.jobId()));
        assertThat(recorder.starts(job.jobId())).hasSize(1);
    }
}
