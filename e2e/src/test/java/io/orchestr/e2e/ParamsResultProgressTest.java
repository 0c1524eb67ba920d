package io.orchestr.e2e;

import io.orchestr.client.JobNotCompletedException;
import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.Progress;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Typed params in, progress on the way, a typed result out, through the Java client, a real manager and the
 * runnable node's {@code count} demo type in processes of their own; and a run timeout that fails its job.
 */
class ParamsResultProgressTest {
    private static Cluster cluster;
    private static OrchestrProcess node;

    /** The {@code count} demo type's params. */
    record Count(int count, long tickMillis) {
    }

    /** The {@code count} demo type's result. */
    record Counted(int count, long sum, String nodeName) {
    }

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.withManager("params-result");
        node = cluster.startNode("counter-node", 2);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aJobWithTypedParamsShowsItsProgressAndCompletesWithATypedResult() {
        UUID id = cluster.client().createJob(NewJob.of("counts", "").withType("count")
                .withParams(new Count(15, 200))).id();
        CompletableFuture<Counted> future = cluster.client().resultAsync(id, Counted.class);

        Progress seen = await("progress in the job view while it runs").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> runningProgress(id), progress -> progress != null && progress.done() >= 1
                        && progress.done() < 15);
        assertThat(seen.total()).isEqualTo(15);
        assertThat(seen.message()).isEqualTo("counted " + seen.done() + " of 15");

        Counted counted = cluster.client().awaitResult(id, Counted.class, Duration.ofSeconds(30));
        assertThat(counted).isEqualTo(new Counted(15, 120, "counter-node"));
        assertThat(future).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(counted);
        JobView completed = cluster.client().job(id);
        assertThat(completed.params().get("count").asInt()).isEqualTo(15);
        assertThat(completed.progress().done()).as("the last progress, carried by the end").isEqualTo(15);
        assertThat(node.isAlive()).isTrue();
    }

    @Test
    void aRunPastItsTimeoutFailsItsJobAndAwaitingItsResultSaysWhy() {
        UUID id = cluster.client().createJob(new NewJob("too-slow", "tickMillis=100", "ticker", null, "never")
                .withTimeout(Duration.ofSeconds(2))).id();

        assertThatThrownBy(() -> cluster.client().awaitResult(id, Counted.class, Duration.ofSeconds(30)))
                .isInstanceOf(JobNotCompletedException.class).hasMessageContaining("ended Failed: timed out after 2s");
        JobView failed = cluster.client().job(id);
        assertThat(failed.status()).isEqualTo(JobStatus.Failed);
        assertThat(failed.lastError()).isEqualTo("timed out after 2s");
    }

    /** The job's progress while it is {@code Processing}; null otherwise. */
    private static Progress runningProgress(UUID id) {
        JobView job = cluster.client().job(id);
        return job.status() == JobStatus.Processing ? job.progress() : null;
    }
}
