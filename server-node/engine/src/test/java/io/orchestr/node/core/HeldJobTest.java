package io.orchestr.node.core;

import io.orchestr.node.RestartPolicy;
import io.orchestr.shared.RestartMode;
import io.orchestr.shared.wire.ToManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import static io.orchestr.node.core.RecordingEffects.grant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class HeldJobTest {
    private static final Duration RESOLUTION = Duration.ofSeconds(10);
    private final RecordingEffects effects = new RecordingEffects();

    @Test
    void aClaimGoesOutAndRepeatsWithBackoffUntilAnAnswerComes() {
        HeldJob job = effects.job(1);
        assertThat(job.phase()).isEqualTo(JobPhase.CLAIMING);

        job.claim();
        assertThat(effects.calls).containsExactly("claim");
        assertThat(effects.pendingTimers()).containsExactly(Backoff.CLAIM.delay(0));

        effects.fireTimers();
        assertThat(effects.calls).containsExactly("claim", "claim");
        assertThat(effects.pendingTimers()).containsExactly(Backoff.CLAIM.delay(1));
    }

    @Test
    void aGrantStartsTheHandlerUnderItsEpochAndEndsTheClaim() {
        HeldJob job = claimed();

        job.granted(grant(job, 3), null);

        assertThat(job.phase()).isEqualTo(JobPhase.RUNNING);
        assertThat(job.epoch()).isEqualTo(3);
        assertThat(job.hasRun()).isTrue();
        assertThat(effects.calls).containsExactly("claim", "granted 3", "start", "claimOver", "started 0");
        assertThat(effects.pendingTimers()).as("the claim's repeat is called off").isEmpty();
    }

    @Test
    void aSecondGrantOrALateDropOfARunningJobChangesNothing() {
        HeldJob job = running();

        job.granted(grant(job, 4), null);
        job.dropped("deleted");
        job.waitAnswered(UUID.randomUUID());

        assertThat(job.phase()).isEqualTo(JobPhase.RUNNING);
        assertThat(job.epoch()).isEqualTo(3);
        assertThat(effects.calls).containsExactly("claim", "granted 3", "start", "claimOver", "started 0");
    }

    @Test
    void aGrantOfATypeNoHandlerKnowsEndsTheJobFailed() {
        effects.handlerKnown = false;
        HeldJob job = claimed();

        job.granted(grant(job, 1), null);

        assertThat(job.phase()).isEqualTo(JobPhase.ENDED);
        assertThat(effects.calls).containsExactly("claim", "granted 1", "start", "claimOver",
                "end FAILED: no handler for job type 'default'", "ended");
    }

    @Test
    void aGrantUnderAnEpochThisIncarnationEndedAlreadyDropsTheCopy() {
        HeldJob job = claimed();

        job.granted(grant(job, 2), 2L);

        assertThat(job.phase()).isEqualTo(JobPhase.DROPPED);
        assertThat(effects.calls).containsExactly("claim", "claimOver", "ack");
    }

    @Test
    void aDropAcksTheMessageOfAJobBeingClaimed() {
        HeldJob job = claimed();

        job.dropped("unknown job");

        assertThat(job.phase()).isEqualTo(JobPhase.DROPPED);
        assertThat(effects.calls).containsExactly("claim", "claimOver", "ack", "dropped");
        assertThat(effects.pendingTimers()).isEmpty();
    }

    @Test
    void aWaitRepeatsTheClaimLaterAndAGrantStillAnswersIt() {
        HeldJob job = claimed();

        job.waitAnswered(UUID.randomUUID());
        assertThat(job.phase()).isEqualTo(JobPhase.WAITING);
        assertThat(effects.pendingTimers()).containsExactly(Backoff.CLAIM.delay(0));

        effects.fireTimers();
        assertThat(job.phase()).isEqualTo(JobPhase.CLAIMING);
        assertThat(effects.calls).containsExactly("claim", "claim");

        job.waitAnswered(UUID.randomUUID());
        job.granted(grant(job, 1), null);
        assertThat(job.phase()).isEqualTo(JobPhase.RUNNING);
    }

    @Test
    void aCancelWhileClaimingClaimsAtOnceAndTheGrantEndsTheJobWithoutARun() {
        HeldJob job = effects.job(1);

        job.cancelled();
        assertThat(job.phase()).isEqualTo(JobPhase.CLAIMING);
        assertThat(effects.calls).containsExactly("admitAhead", "claim");

        job.granted(grant(job, 2), null);
        assertThat(job.phase()).isEqualTo(JobPhase.ENDED);
        assertThat(effects.calls).containsExactly("admitAhead", "claim", "granted 2", "claimOver", "end CANCELLED",
                "ended");
    }

    @Test
    void aCancelOfARunningJobAsksItsHandlerToStopAndItsReturnEndsTheJobCancelled() {
        HeldJob job = running();
        Run run = effects.lastRun();

        job.cancelled();
        assertThat(job.phase()).isEqualTo(JobPhase.STOPPING);
        await().atMost(Duration.ofSeconds(10)).until(() -> !run.isAlive());
        assertThat(effects.pendingTimers()).as("the interrupt after the cancel grace").containsExactly(
                Duration.ofSeconds(10));

        job.cancelled();
        job.runEnded(run, null);

        assertThat(job.phase()).isEqualTo(JobPhase.ENDED);
        assertThat(job.hasRun()).isFalse();
        assertThat(effects.calls).endsWith("end CANCELLED", "ended", "runGone");
    }

    @Test
    void aReleaseOfARunningJobAsksItsHandlerToStopAndItsReturnEndsTheJobReleased() {
        HeldJob job = running();
        Run run = effects.lastRun();

        job.released(3, "pause asked");
        assertThat(job.phase()).isEqualTo(JobPhase.STOPPING);
        assertThat(job.snapshotEntry(true, RESOLUTION)).get().extracting(ToManager.SnapshotEntry::state)
                .isEqualTo(ToManager.HeldState.STOPPING);
        await().atMost(Duration.ofSeconds(10)).until(() -> !run.isAlive());
        job.released(3, "pause asked again");
        job.runEnded(run, null);

        assertThat(job.phase()).isEqualTo(JobPhase.ENDED);
        assertThat(effects.calls).endsWith("end RELEASED", "ended", "runGone");
    }

    @Test
    void aStaleReleaseChangesNothing() {
        HeldJob job = running();

        job.released(2, "for an older grant");

        assertThat(job.phase()).isEqualTo(JobPhase.RUNNING);
        assertThat(effects.lastRun().isAlive()).isTrue();
    }

    @Test
    void aCancelDuringAReleaseWinsButAReleaseDuringACancelDoesNot() {
        HeldJob released = running();
        Run releasedRun = effects.lastRun();
        released.released(3, "restart asked");
        released.cancelled();
        released.runEnded(releasedRun, null);
        assertThat(effects.calls).endsWith("end CANCELLED", "ended", "runGone");

        HeldJob cancelled = running();
        Run cancelledRun = effects.lastRun();
        cancelled.cancelled();
        cancelled.released(3, "pause asked");
        cancelled.runEnded(cancelledRun, null);
        assertThat(effects.calls).endsWith("end CANCELLED", "ended", "runGone");
    }

    @Test
    void aReleaseWhileClaimingClaimsAtOnceAndTheGrantEndsTheJobReleasedWithoutARun() {
        HeldJob job = effects.job(1);

        job.released(0, "pause asked");
        job.granted(grant(job, 2), null);

        assertThat(job.phase()).isEqualTo(JobPhase.ENDED);
        assertThat(effects.calls).containsExactly("admitAhead", "claim", "granted 2", "claimOver", "end RELEASED",
                "ended");
    }

    @Test
    void aReleaseDuringARestartDelayEndsTheJobAtOnce() {
        HeldJob job = running(RestartMode.ON_FAILURE, (mode, ending, restarts) -> Optional.of(Duration.ofSeconds(2)));
        job.runEnded(effects.lastRun(), new IllegalStateException("boom"));

        job.released(3, "move asked");

        assertThat(job.phase()).isEqualTo(JobPhase.ENDED);
        assertThat(effects.pendingTimers()).isEmpty();
        assertThat(effects.calls).endsWith("end RELEASED", "ended");
    }

    @Test
    void aRunThatThrowsRestartsAfterThePolicysDelayUnderTheSameGrant() {
        HeldJob job = running(RestartMode.ON_FAILURE, (mode, ending, restarts) -> Optional.of(Duration.ofSeconds(2)));

        job.runEnded(effects.lastRun(), new IllegalStateException("boom"));
        assertThat(job.phase()).isEqualTo(JobPhase.RESTARTING);
        assertThat(job.hasRun()).isFalse();
        assertThat(effects.pendingTimers()).containsExactly(Duration.ofSeconds(2));
        assertThat(job.snapshotEntry(true, RESOLUTION)).get()
                .extracting(ToManager.SnapshotEntry::state, ToManager.SnapshotEntry::lastError)
                .containsExactly(ToManager.HeldState.RUNNING, "java.lang.IllegalStateException: boom");

        effects.fireTimers();
        assertThat(job.phase()).isEqualTo(JobPhase.RUNNING);
        assertThat(job.restarts()).isEqualTo(1);
        assertThat(job.epoch()).isEqualTo(3);
        assertThat(effects.calls).endsWith("runGone", "start", "started 1");
    }

    @Test
    void aRunThatReturnsWhenThePolicyGivesUpEndsTheJobCompleted() {
        HeldJob job = running(RestartMode.NEVER, RestartPolicy.defaults());

        job.runEnded(effects.lastRun(), null);

        assertThat(job.phase()).isEqualTo(JobPhase.ENDED);
        assertThat(effects.calls).endsWith("end COMPLETED", "ended", "runGone");
        assertThat(job.snapshotEntry(true, RESOLUTION)).as("an ended job is in no snapshot").isEmpty();
    }

    @Test
    void aStopOfARunningJobStopsItAtOnceAndItsReturnHandsTheMessageBack() {
        HeldJob job = running();
        Run run = effects.lastRun();

        job.stopped(3, "granted elsewhere");
        assertThat(job.phase()).isEqualTo(JobPhase.STOPPING);
        await().atMost(Duration.ofSeconds(10)).until(() -> !run.isAlive());

        job.runEnded(run, null);
        assertThat(job.phase()).isEqualTo(JobPhase.HANDED_BACK);
        assertThat(effects.calls).endsWith("handBack", "handed back", "runGone");
    }

    @Test
    void aStopOfARestartingJobHandsItBackAtOnceAndCallsTheRestartOff() {
        HeldJob job = running(RestartMode.ALWAYS, RestartPolicy.defaults());
        job.runEnded(effects.lastRun(), null);
        assertThat(job.phase()).isEqualTo(JobPhase.RESTARTING);

        job.stopped(3, null);

        assertThat(job.phase()).isEqualTo(JobPhase.HANDED_BACK);
        assertThat(effects.pendingTimers()).isEmpty();
    }

    @Test
    void aStopForAnOlderEpochIsStale() {
        HeldJob job = running();

        job.stopped(2, null);

        assertThat(job.phase()).isEqualTo(JobPhase.RUNNING);
    }

    @Test
    void onTheNodesCloseARunStopsAGrantStartsNothingAndEveryJobIsHandedBack() {
        HeldJob runningJob = running();
        HeldJob claimingJob = effects.job(2);
        claimingJob.claim();

        runningJob.nodeClosing();
        claimingJob.nodeClosing();
        assertThat(runningJob.phase()).isEqualTo(JobPhase.STOPPING);
        assertThat(claimingJob.isClaimable()).isFalse();
        assertThat(effects.pendingTimers()).as("claims repeat no more").isEmpty();

        claimingJob.granted(grant(claimingJob, 1), null);
        assertThat(claimingJob.phase()).isEqualTo(JobPhase.CLAIMING);

        runningJob.runEnded(effects.lastRun(), null);
        assertThat(runningJob.phase()).as("handed back only once the managers know the node left")
                .isEqualTo(JobPhase.STOPPING);

        runningJob.handBack("the node is closing");
        claimingJob.handBack("the node is closing");
        assertThat(runningJob.phase()).isEqualTo(JobPhase.HANDED_BACK);
        assertThat(claimingJob.phase()).isEqualTo(JobPhase.HANDED_BACK);
    }

    @Test
    void aRunThatEndsAfterTheLeaseLapsedReportsNothingAndLeavesTheJobToTheFence() {
        HeldJob job = running();
        effects.lapseLease();

        job.runEnded(effects.lastRun(), null);

        assertThat(job.phase()).isEqualTo(JobPhase.RUNNING);
        assertThat(job.hasRun()).isFalse();
        assertThat(effects.calls).endsWith("started 0", "runGone");

        job.abandoned("the node fenced itself");
        assertThat(job.phase()).isEqualTo(JobPhase.ABANDONED);
    }

    @Test
    void anAbandonedJobFreesNoClaimPlaceAndTheEndOfItsRunMeansNothing() {
        HeldJob claiming = claimed();
        HeldJob job = running();
        Run run = effects.lastRun();
        int calls = effects.calls.size();

        claiming.abandoned("connection lost");
        job.abandoned("connection lost");
        job.runEnded(run, null);

        assertThat(effects.calls.subList(calls, effects.calls.size())).isEmpty();
        assertThat(effects.pendingTimers()).as("only the check that the stopped handler returned")
                .containsExactly(Duration.ofSeconds(10));
    }

    @Test
    void theEnginesOwnStepsFailLoudlyOutsideTheirPhases() {
        HeldJob job = running();
        assertThatThrownBy(job::claim).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be claimed while RUNNING");

        job.handBack("test");
        assertThatThrownBy(() -> job.handBack("again")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be handed back while HANDED_BACK");
        assertThatThrownBy(() -> job.abandoned("late")).isInstanceOf(IllegalStateException.class);

        HeldJob closing = effects.job(2);
        closing.nodeClosing();
        assertThatThrownBy(closing::claim).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("while CLAIMING on a closing node");
    }

    @Test
    void aSnapshotListsAJobWithNewsOnlyAndEveryReportedJobWhenFull() {
        HeldJob job = claimed();
        assertThat(job.snapshotEntry(false, RESOLUTION)).get().extracting(ToManager.SnapshotEntry::state)
                .isEqualTo(ToManager.HeldState.CLAIMING);
        assertThat(job.snapshotEntry(false, RESOLUTION)).as("no news").isEmpty();
        assertThat(job.snapshotEntry(true, RESOLUTION)).isPresent();

        job.granted(grant(job, 1), null);
        assertThat(job.snapshotEntry(false, RESOLUTION)).get().extracting(ToManager.SnapshotEntry::state)
                .isEqualTo(ToManager.HeldState.RUNNING);
    }

    @Test
    void onlyPhasesThatHoldTheMessageShowInSnapshots() {
        assertThat(JobPhase.values()).filteredOn(JobPhase::isReported).containsExactly(JobPhase.CLAIMING,
                JobPhase.WAITING, JobPhase.RUNNING, JobPhase.RESTARTING, JobPhase.STOPPING);
        assertThatThrownBy(JobPhase.ENDED::heldState).isInstanceOf(IllegalStateException.class);
    }

    private HeldJob claimed() {
        HeldJob job = effects.job(1);
        job.claim();
        return job;
    }

    private HeldJob running() {
        return running(RestartMode.ON_FAILURE, RestartPolicy.defaults());
    }

    private HeldJob running(RestartMode mode, RestartPolicy policy) {
        HeldJob job = effects.job(1, mode, policy);
        job.claim();
        job.granted(grant(job, 3), null);
        return job;
    }
}
