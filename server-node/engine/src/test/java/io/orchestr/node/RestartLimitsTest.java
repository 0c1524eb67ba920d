package io.orchestr.node;

import io.orchestr.node.testing.NodeTestBase;
import io.orchestr.shared.Names;
import io.orchestr.shared.RestartMode;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** A job's own limits from its message: a maximum of restarts, and a heartbeat timeout that stops hung runs. */
class RestartLimitsTest extends NodeTestBase {
    private static final RestartPolicy QUICK = new RestartPolicy.ExponentialBackoff(Duration.ofMillis(100),
            Duration.ofMillis(400));
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    @Test
    void anAlwaysThrowingHandlerWithAMaximumOfTwoRestartsFailsAfterTwoRestarts() {
        manager.grantAll();
        OrchestratedServer node = start(node("limits-a").restartPolicy(QUICK).handler(recorder.throwing("boom")));

        JobMessage job = publish("capped", RestartMode.ON_FAILURE, 2, null);

        eventually().until(() -> !manager.ends(job.jobId()).isEmpty());
        assertThat(manager.ends(job.jobId())).containsExactly(new ToManager.JobEnded(job.jobId(), idOf(node), 1,
                ToManager.Outcome.FAILED, 2, "java.lang.IllegalStateException: boom; maximum of 2 restarts reached"));
        assertThat(recorder.starts(job.jobId())).hasSize(3);
        node.close();
        assertThat(broker.readyJobs()).as("acked: ended for good").isZero();
    }

    @Test
    void aReturningHandlerWhoseModeIsAlwaysCompletesOnceItsMaximumIsReached() {
        manager.grantAll();
        start(node("limits-b").restartPolicy(QUICK).handler(recorder.returning()));

        JobMessage job = publish("capped-always", RestartMode.ALWAYS, 1, null);

        eventually().until(() -> !manager.ends(job.jobId()).isEmpty());
        assertThat(manager.ends(job.jobId())).singleElement().satisfies(end -> {
            assertThat(end.outcome()).isEqualTo(ToManager.Outcome.COMPLETED);
            assertThat(end.restarts()).isEqualTo(1);
            assertThat(end.error()).isEqualTo("maximum of 1 restarts reached");
        });
        assertThat(recorder.starts(job.jobId())).hasSize(2);
    }

    @Test
    void aHandlerThatStopsHeartbeatingIsStoppedAndRestartedAndSnapshotsSayWhy() {
        manager.grantAll();
        OrchestratedServer node = start(node("limits-c").restartPolicy(QUICK).handler(recorder.silent()));

        JobMessage job = publish("hung", RestartMode.ON_FAILURE, null, TIMEOUT);

        eventually().until(() -> recorder.starts(job.jobId()).size() >= 3);
        assertThat(recorder.sawCancel(job.jobId())).as("the hung run was asked to stop").isTrue();
        assertThat(recorder.starts(job.jobId())).allSatisfy(start -> assertThat(start.epoch()).isEqualTo(1));
        awaitSnapshot(node, job, held -> {
            assertThat(held.state()).isEqualTo(ToManager.HeldState.RUNNING);
            assertThat(held.restarts()).isGreaterThanOrEqualTo(2);
            assertThat(held.lastError()).isEqualTo("no heartbeat for 1s: restarted");
        });
        assertThat(manager.ends(job.jobId())).isEmpty();
    }

    @Test
    void aHungHandlerWhoseModeIsNeverFailsTheJob() {
        manager.grantAll();
        OrchestratedServer node = start(node("limits-d").restartPolicy(QUICK).handler(recorder.silent()));

        JobMessage job = publish("hung-once", RestartMode.NEVER, null, TIMEOUT);

        eventually().until(() -> !manager.ends(job.jobId()).isEmpty());
        assertThat(manager.ends(job.jobId())).containsExactly(new ToManager.JobEnded(job.jobId(), idOf(node), 1,
                ToManager.Outcome.FAILED, 0, "no heartbeat for 1s"));
        assertThat(recorder.starts(job.jobId())).hasSize(1);
    }

    @Test
    void aHandlerThatHeartbeatsWithinItsTimeoutRunsOn() {
        manager.grantAll();
        start(node("limits-e").restartPolicy(QUICK).handler(ctx -> {
            while (!ctx.awaitCancellation(Duration.ofMillis(100))) {
                ctx.heartbeat();
            }
        }));

        JobMessage job = publish("alive", RestartMode.ALWAYS, null, TIMEOUT);

        eventually().until(() -> listener.ids("jobStarted").contains(job.jobId()));
        eventually().during(TIMEOUT.multipliedBy(3)).until(() -> listener.ids("jobStarted").size() == 1);
        assertThat(manager.ends(job.jobId())).isEmpty();
    }

    @Test
    void aHungHandlerThatIgnoresItsCancellationIsRestartedOnlyOnceItReturns() {
        manager.grantAll();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        OrchestratedServer node = start(node("limits-f").restartPolicy(QUICK).handler(ctx -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                if (runs.incrementAndGet() == 1) {
                    awaitIgnoringInterrupts(release);
                } else {
                    ctx.awaitCancellation(Duration.ofMinutes(5));
                }
            } finally {
                running.decrementAndGet();
            }
        }));

        JobMessage job = publish("stubborn-hang", RestartMode.ON_FAILURE, null, TIMEOUT);

        awaitSnapshot(node, job, held -> assertThat(held.lastError()).isEqualTo("no heartbeat for 1s"));
        eventually().during(TIMEOUT.multipliedBy(2)).until(() -> runs.get() == 1);
        release.countDown();
        eventually().until(() -> runs.get() == 2);
        assertThat(mostAtOnce.get()).as("never two runs at once").isEqualTo(1);
        awaitSnapshot(node, job, held -> assertThat(held.lastError()).isEqualTo("no heartbeat for 1s: restarted"));
    }

    private JobMessage publish(String name, RestartMode mode, Integer maxRestarts, Duration heartbeatTimeout) {
        return broker.publishJob(new JobMessage(UUID.randomUUID(), name, "", "default", Names.DEFAULT_POOL, mode,
                maxRestarts, heartbeatTimeout));
    }

    /** Waits until the node's newest snapshot shows {@code job} as {@code requirements} want it. */
    private void awaitSnapshot(OrchestratedServer node, JobMessage job,
                               Consumer<ToManager.SnapshotEntry> requirements) {
        eventually().untilAsserted(() -> assertThat(manager.heldIn(idOf(node), job.jobId())).get()
                .satisfies(requirements));
    }

    private static void awaitIgnoringInterrupts(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // what a handler that ignores its cancellation does
            }
        }
    }
}
