package io.orchestr.node;

import io.orchestr.node.testing.NodeTestBase;
import io.orchestr.shared.RestartMode;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RestartTest extends NodeTestBase {
    private static final RestartPolicy QUICK = new RestartPolicy.ExponentialBackoff(Duration.ofMillis(100),
            Duration.ofMillis(400));

    @Test
    void aThrowingHandlerIsRestartedUnderTheSameGrantAndSnapshotsShowRestartsAndLastError() {
        manager.grantAll();
        OrchestratedServer node = start(node("restart-a").restartPolicy(QUICK).handler(recorder.throwing("boom")));

        JobMessage job = broker.publishJob("flaky");

        eventually().until(() -> recorder.starts(job.jobId()).size() >= 3);
        assertThat(recorder.starts(job.jobId())).allSatisfy(start -> assertThat(start.epoch()).isEqualTo(1));
        eventually().untilAsserted(() -> assertThat(manager.heldIn(idOf(node), job.jobId())).get().satisfies(held -> {
            assertThat(held.state()).isEqualTo(ToManager.HeldState.RUNNING);
            assertThat(held.restarts()).isGreaterThanOrEqualTo(2);
            assertThat(held.lastError()).isEqualTo("java.lang.IllegalStateException: boom");
        }));
        assertThat(manager.ends(job.jobId())).isEmpty();
        assertThat(manager.claims(job.jobId())).hasSize(1);
    }

    @Test
    void aThrowingJobWhoseModeIsNeverFailsForGood() {
        manager.grantAll();
        OrchestratedServer node = start(node("restart-b").restartPolicy(QUICK).handler(recorder.throwing("broken")));

        JobMessage job = broker.publishJob("fragile", "default", "", RestartMode.NEVER);

        eventually().until(() -> !manager.ends(job.jobId()).isEmpty());
        assertThat(manager.ends(job.jobId())).containsExactly(new ToManager.JobEnded(job.jobId(), idOf(node), 1,
                ToManager.Outcome.FAILED, 0, "java.lang.IllegalStateException: broken"));
        assertThat(recorder.starts(job.jobId())).hasSize(1);
        node.close();
        assertThat(broker.readyJobs()).isZero();
    }

    @Test
    void aReturningHandlerCompletesItsJob() {
        manager.grantAll();
        start(node("restart-c").handler(recorder.returning()));

        JobMessage job = broker.publishJob("one-shot");

        eventually().until(() -> !manager.ends(job.jobId()).isEmpty());
        assertThat(manager.ends(job.jobId())).singleElement()
                .satisfies(end -> assertThat(end.outcome()).isEqualTo(ToManager.Outcome.COMPLETED));
    }

    @Test
    void aJobWhoseModeIsAlwaysRunsAgainAfterReturningUntilThePolicyGivesUp() {
        manager.grantAll();
        RestartPolicy twice = (mode, ending, restarts) ->
                restarts < 2 ? QUICK.restartDelay(mode, ending, restarts) : Optional.empty();
        start(node("restart-d").restartPolicy(twice).handler(recorder.returning()));

        JobMessage job = broker.publishJob("again", "default", "", RestartMode.ALWAYS);

        eventually().until(() -> !manager.ends(job.jobId()).isEmpty());
        assertThat(recorder.starts(job.jobId())).hasSize(3);
        assertThat(manager.ends(job.jobId())).singleElement().satisfies(end -> {
            assertThat(end.outcome()).isEqualTo(ToManager.Outcome.COMPLETED);
            assertThat(end.restarts()).isEqualTo(2);
        });
    }
}
