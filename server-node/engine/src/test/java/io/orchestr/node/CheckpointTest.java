package io.orchestr.node;

import io.orchestr.node.testing.NodeTestBase;
import io.orchestr.shared.Limits;
import io.orchestr.shared.Names;
import io.orchestr.shared.RestartMode;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run's checkpoint is stored by the manager before {@code checkpoint} returns, fenced by the run's epoch, and
 * every later run of the job (a restart, a run on another node) starts from the last one.
 */
class CheckpointTest extends NodeTestBase {
    record Count(long n) {
    }

    @Test
    void aStoredCheckpointIsWhereTheRestartedRunResumes() {
        manager.grantAll();
        List<Long> startedFrom = new CopyOnWriteArrayList<>();
        start(node("ckpt-a").restartPolicy(fastRestarts()).handler(ctx -> {
            long n = ctx.lastCheckpoint(Count.class).map(Count::n).orElse(0L);
            startedFrom.add(n);
            ctx.checkpoint(new Count(n + 1));
            if (n + 1 < 3) {
                throw new IllegalStateException("failing after checkpoint " + (n + 1));
            }
        }));

        JobMessage job = publish("resumes");

        eventually().until(() -> !manager.ends(job.jobId()).isEmpty());
        assertThat(startedFrom).as("each run starts from the last checkpoint, never from scratch")
                .containsExactly(0L, 1L, 2L);
        assertThat(manager.ends(job.jobId()).getFirst().outcome()).isEqualTo(ToManager.Outcome.COMPLETED);
        assertThat(manager.checkpointOf(job.jobId())).hasValueSatisfying(state ->
                assertThat(state.get("n").asLong()).isEqualTo(3));
        assertThat(manager.received(ToManager.Checkpoint.class)).extracting(ToManager.Checkpoint::checkpoint)
                .as("checkpoint ids grow within the incarnation").containsExactly(1L, 2L, 3L);
    }

    @Test
    void aRunOnAnotherNodeStartsFromTheCheckpointItsGrantCarries() {
        manager.grantAll();
        CompletableFuture<Optional<Count>> resumedWith = new CompletableFuture<>();
        JobHandler handler = ctx -> {
            Optional<Count> last = ctx.lastCheckpoint(Count.class);
            if (last.isPresent()) {
                resumedWith.complete(last);
                return;
            }
            ctx.checkpoint(new Count(7));
            ctx.awaitCancellation(Duration.ofMinutes(5));
        };
        OrchestratedServer first = start(node("ckpt-b1").handler(handler));
        JobMessage job = publish("moves");
        eventually().until(() -> manager.checkpointOf(job.jobId()).isPresent());

        OrchestratedServer second = start(node("ckpt-b2").handler(handler));
        first.close(); // hands the job back; the second node claims it and is granted it with its checkpoint

        eventually().until(resumedWith::isDone);
        assertThat(resumedWith.join()).contains(new Count(7));
        assertThat(manager.ends(job.jobId())).singleElement().satisfies(end -> {
            assertThat(end.nodeId()).isEqualTo(idOf(second));
            assertThat(end.epoch()).isEqualTo(2);
        });
    }

    @Test
    void aStaleRunsCheckpointIsRefusedAndTheCallSaysSo() throws InterruptedException {
        manager.grantAll();
        CountDownLatch grantedElsewhere = new CountDownLatch(1);
        CompletableFuture<RuntimeException> refusal = new CompletableFuture<>();
        start(node("ckpt-c").handler(ctx -> {
            ctx.checkpoint(new Count(1));
            grantedElsewhere.await();
            try {
                ctx.checkpoint(new Count(2));
                refusal.complete(null);
            } catch (CheckpointException e) {
                refusal.complete(e);
            }
            ctx.awaitCancellation(Duration.ofMinutes(5));
        }));
        JobMessage job = publish("stale");
        eventually().until(() -> manager.checkpointOf(job.jobId()).isPresent());

        manager.grantElsewhere(job.jobId());
        grantedElsewhere.countDown();

        eventually().until(refusal::isDone);
        assertThat(refusal.join()).isInstanceOf(CheckpointException.class).hasMessageContaining("job 'stale'")
                .hasMessageContaining("the manager refused it: stale run");
        assertThat(manager.checkpointOf(job.jobId())).hasValueSatisfying(state ->
                assertThat(state.get("n").asLong()).as("the stale run's checkpoint was not stored").isEqualTo(1));
    }

    @Test
    void aCheckpointThatNoManagerAnswersThrowsAfterTheCheckpointTimeout() {
        manager.grantAll().silentOnCheckpoints();
        CompletableFuture<RuntimeException> failure = new CompletableFuture<>();
        AtomicReference<Duration> waited = new AtomicReference<>();
        start(node("ckpt-d").checkpointTimeout(Duration.ofMillis(500)).handler(ctx -> {
            long started = System.nanoTime();
            try {
                ctx.checkpoint(new Count(1));
                failure.complete(null);
            } catch (CheckpointException e) {
                waited.set(Duration.ofNanos(System.nanoTime() - started));
                failure.complete(e);
            }
        }));
        JobMessage job = publish("unanswered");

        eventually().until(failure::isDone);
        assertThat(failure.join()).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("was not confirmed within 0.5s")
                .hasMessageContaining("may or may not be stored");
        assertThat(waited.get()).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(manager.received(ToManager.Checkpoint.class)).singleElement().satisfies(sent -> {
            assertThat(sent.jobId()).isEqualTo(job.jobId());
            assertThat(sent.epoch()).isEqualTo(1);
        });
    }

    @Test
    void aCheckpointOverTheLimitIsRefusedBeforeItIsSent() {
        manager.grantAll();
        CompletableFuture<RuntimeException> failure = new CompletableFuture<>();
        start(node("ckpt-e").handler(ctx -> {
            try {
                ctx.checkpoint("x".repeat(Limits.CHECKPOINT));
                failure.complete(null);
            } catch (JobDataException e) {
                failure.complete(e);
            }
        }));
        publish("too-big");

        eventually().until(failure::isDone);
        assertThat(failure.join()).hasMessageContaining("the checkpoint of job 'too-big'")
                .hasMessageContaining((Limits.CHECKPOINT + 2) + " bytes of JSON, more than the limit of "
                        + Limits.CHECKPOINT);
        assertThat(manager.received(ToManager.Checkpoint.class)).isEmpty();
    }

    private static RestartPolicy fastRestarts() {
        return new RestartPolicy.ExponentialBackoff(Duration.ofMillis(50), Duration.ofMillis(50));
    }

    private JobMessage publish(String name) {
        return broker.publishJob(new JobMessage(UUID.randomUUID(), name, "", "default", Names.DEFAULT_POOL,
                RestartMode.ON_FAILURE, null, null, null, null));
    }
}
