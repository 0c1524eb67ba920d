package io.orchestr.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.orchestr.node.testing.NodeTestBase;
import io.orchestr.shared.Limits;
import io.orchestr.shared.Names;
import io.orchestr.shared.Progress;
import io.orchestr.shared.RestartMode;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/** A job's params reach its handler typed, its result travels with its end, its progress with the snapshots. */
class ParamsResultProgressTest extends NodeTestBase {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    record Sum(int a, int b) {
    }

    @Test
    void paramsBindToTheHandlersTypeAndTheResultTravelsWithTheCompletedEnd() {
        manager.grantAll();
        OrchestratedServer node = start(node("params-a").handler(ctx -> {
            Sum sum = ctx.params(Sum.class);
            ctx.progress(1, 1, "added");
            ctx.result(Map.of("sum", sum.a() + sum.b()));
        }));

        JobMessage job = publish("adds", RestartMode.ON_FAILURE, JSON.objectNode().put("a", 2).put("b", 3), null);

        eventually().until(() -> !manager.ends(job.jobId()).isEmpty());
        assertThat(manager.ends(job.jobId())).containsExactly(new ToManager.JobEnded(job.jobId(), idOf(node), 1,
                ToManager.Outcome.COMPLETED, 0, null, JSON.objectNode().put("sum", 5),
                manager.ends(job.jobId()).getFirst().progress()));
        assertThat(manager.ends(job.jobId()).getFirst().progress())
                .as("the run's last progress goes with its end, which may come before the next snapshot")
                .extracting(Progress::done, Progress::message).containsExactly(1L, "added");
    }

    @Test
    void aRunThatFailsTheJobForGoodTravelsWithTheResultItGave() {
        manager.grantAll();
        start(node("params-f").handler(ctx -> {
            ctx.result(Map.of("stages", 1));
            throw new IllegalStateException("stage 2 failed");
        }));

        JobMessage job = publish("reports", RestartMode.NEVER, null, null);

        eventually().until(() -> !manager.ends(job.jobId()).isEmpty());
        assertThat(manager.ends(job.jobId())).singleElement().satisfies(end -> {
            assertThat(end.outcome()).isEqualTo(ToManager.Outcome.FAILED);
            assertThat(end.error()).contains("stage 2 failed");
            assertThat(end.result()).isEqualTo(JSON.objectNode().put("stages", 1));
        });
    }

    @Test
    void paramsThatDoNotBindFailTheRunNamingTheJobAndTheTypeAndAJobWithoutParamsReadsNull() {
        manager.grantAll();
        CompletableFuture<Sum> withoutParams = new CompletableFuture<>();
        start(node("params-b").handler(ctx -> {
            if (ctx.jobName().equals("none")) {
                withoutParams.complete(ctx.params(Sum.class));
            } else {
                ctx.params(Sum.class);
            }
        }));

        JobMessage bad = publish("bad", RestartMode.NEVER, JSON.objectNode().put("a", "two"), null);
        JobMessage none = publish("none", RestartMode.NEVER, null, null);

        eventually().until(() -> !manager.ends(bad.jobId()).isEmpty() && !manager.ends(none.jobId()).isEmpty());
        assertThat(manager.ends(bad.jobId())).singleElement().satisfies(end -> {
            assertThat(end.outcome()).isEqualTo(ToManager.Outcome.FAILED);
            assertThat(end.error()).contains(JobDataException.class.getName()).contains("job 'bad' (" + bad.jobId())
                    .contains("do not bind to " + Sum.class.getName());
        });
        assertThat(withoutParams).isCompletedWithValue(null);
        assertThat(manager.ends(none.jobId())).singleElement().extracting(ToManager.JobEnded::outcome)
                .isEqualTo(ToManager.Outcome.COMPLETED);
    }

    @Test
    void aResultOverTheLimitFailsTheJobEvenWhenTheHandlerCatchesTheRefusal() {
        manager.grantAll();
        start(node("params-c").handler(ctx -> {
            try {
                ctx.result("x".repeat(Limits.RESULT));
            } catch (JobDataException refused) {
                // the job must fail all the same: a completed job without its result would be a lie
            }
        }));

        JobMessage job = publish("too-big", RestartMode.NEVER, null, null);

        eventually().until(() -> !manager.ends(job.jobId()).isEmpty());
        assertThat(manager.ends(job.jobId())).singleElement().satisfies(end -> {
            assertThat(end.outcome()).isEqualTo(ToManager.Outcome.FAILED);
            assertThat(end.error()).contains("the result of job 'too-big'")
                    .contains((Limits.RESULT + 2) + " bytes of JSON, more than the limit of " + Limits.RESULT);
            assertThat(end.result()).isNull();
        });
    }

    @Test
    void progressAppearsInTheNextSnapshotAndOnlyWhenItChanged() throws InterruptedException {
        manager.grantAll();
        CountDownLatch second = new CountDownLatch(1);
        OrchestratedServer node = start(node("params-d").fullReportPeriod(Duration.ofMinutes(1)).handler(ctx -> {
            ctx.progress(1, 10, "one");
            second.await();
            ctx.progress(2, 10, "two");
            ctx.awaitCancellation(Duration.ofMinutes(5));
        }));

        JobMessage job = publish("progressing", RestartMode.NEVER, null, null);

        eventually().until(() -> progressIn(node, job).stream().anyMatch(p -> p.done() == 1));
        int listed = progressIn(node, job).size();
        // five snapshot intervals without news: the job is in none of the partial snapshots
        eventually().during(Duration.ofSeconds(1)).until(() -> progressIn(node, job).size() == listed);
        second.countDown();
        eventually().until(() -> progressIn(node, job).size() == listed + 1);
        assertThat(progressIn(node, job).getLast()).satisfies(progress -> {
            assertThat(progress.done()).isEqualTo(2);
            assertThat(progress.total()).isEqualTo(10);
            assertThat(progress.message()).isEqualTo("two");
        });
    }

    @Test
    void aRunPastItsTimeoutIsStoppedAndFailsTheJobSayingSo() {
        manager.grantAll();
        OrchestratedServer node = start(node("params-e").handler(recorder.silent()));

        JobMessage job = publish("slow", RestartMode.NEVER, null, Duration.ofSeconds(1));

        eventually().until(() -> !manager.ends(job.jobId()).isEmpty());
        assertThat(manager.ends(job.jobId())).containsExactly(new ToManager.JobEnded(job.jobId(), idOf(node), 1,
                ToManager.Outcome.FAILED, 0, "timed out after 1s"));
        assertThat(recorder.sawCancel(job.jobId())).as("the run was asked to stop").isTrue();
    }

    @Test
    void aTimedOutRunCountsAsAFailureWhichItsRestartModeAnswersWithANewRun() {
        manager.grantAll();
        OrchestratedServer node = start(node("params-f").restartPolicy(new RestartPolicy.ExponentialBackoff(
                Duration.ofMillis(100), Duration.ofMillis(100))).handler(recorder.silent()));

        JobMessage job = publish("slow-again", RestartMode.ON_FAILURE, null, Duration.ofSeconds(1));

        eventually().until(() -> recorder.starts(job.jobId()).size() >= 2);
        eventually().untilAsserted(() -> assertThat(manager.heldIn(idOf(node), job.jobId())).get()
                .satisfies(held -> {
                    assertThat(held.restarts()).isGreaterThanOrEqualTo(1);
                    assertThat(held.lastError()).isEqualTo("timed out after 1s: restarted");
                }));
        assertThat(manager.ends(job.jobId())).isEmpty();
    }

    /** The progress of every entry of {@code job} in {@code node}'s snapshots, oldest first. */
    private List<Progress> progressIn(OrchestratedServer node, JobMessage job) {
        UUID nodeId = idOf(node);
        return manager.received(ToManager.Snapshot.class).stream().filter(s -> s.nodeId().equals(nodeId))
                .flatMap(s -> s.jobs().stream()).filter(entry -> entry.jobId().equals(job.jobId()))
                .map(ToManager.SnapshotEntry::progress).filter(p -> p != null).toList();
    }

    private JobMessage publish(String name, RestartMode mode, JsonNode params, Duration timeout) {
        return broker.publishJob(new JobMessage(UUID.randomUUID(), name, "", "default", Names.DEFAULT_POOL, mode,
                null, null, params, timeout));
    }
}
