package io.orchestr.e2e;

import io.orchestr.client.OrchestratorClient;
import io.orchestr.e2e.ParamsResultProgressTest.Count;
import io.orchestr.e2e.ParamsResultProgressTest.Counted;
import io.orchestr.e2e.harness.TickLog;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobUpdate;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Editing and rerunning jobs with a real manager and the runnable node in processes of their own: jobs edited
 * while their messages wait in a queue that no node serves run as edited once a node comes, and a rerun runs a
 * completed job again, under the next epoch, with a fresh result.
 */
class EditAndRerunTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** The pool of these jobs: no node serves it until the test starts one. */
    private static final String POOL = "late";

    private static Cluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.withManager("edit-rerun");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void jobsEditedWhileTheirMessagesWaitRunAsEditedAndARerunRunsOneAgainWithAFreshResult() {
        OrchestratorClient client = cluster.client();
        UUID ticks = client.createJob(new NewJob("edited-ticks", cluster.tickArgument("ticks-before") + ";ticks=2",
                "finite", POOL, "never")).id();
        UUID counts = client.createJob(new NewJob("edited-counts", "", "count", POOL, "never")
                .withParams(new Count(2, 500))).id();

        // the messages in the pool's queue still say what the jobs were created with
        client.update(ticks, JobUpdate.none().withArgument(cluster.tickArgument("ticks-after") + ";ticks=2"));
        JobView edited = client.update(counts, JobUpdate.none().withParams(new Count(4, 50)));
        assertThat(edited.params().get("count").asInt()).isEqualTo(4);
        cluster.startNodeServing("late-node", 2, POOL);

        assertThat(client.awaitResult(counts, Counted.class, DEADLINE)).isEqualTo(new Counted(4, 10, "late-node"));
        assertThat(client.awaitEnd(ticks, DEADLINE).status()).isEqualTo(JobStatus.Completed);
        TickLog after = cluster.tickLog("ticks-after");
        assertThat(after.ticks()).isNotEmpty().allMatch(tick -> tick.epoch() == 1);
        assertThat(cluster.tickLog("ticks-before").started()).as("the argument the job was created with").isFalse();

        JobView rerun = client.rerun(counts);
        assertThat(rerun.status()).isEqualTo(JobStatus.Queued);
        assertThat(rerun.result()).isNull();
        assertThat(rerun.progress()).isNull();
        assertThat(client.awaitResult(counts, Counted.class, DEADLINE)).isEqualTo(new Counted(4, 10, "late-node"));
        assertThat(client.job(counts).progress().done()).as("the new run's progress").isEqualTo(4);

        int firstRunTicks = after.ticks().size();
        client.rerun(ticks);
        assertThat(client.awaitEnd(ticks, DEADLINE).status()).isEqualTo(JobStatus.Completed);
        await("the rerun's ticks").atMost(DEADLINE).until(() -> after.ticks().size() == 2 * firstRunTicks);
        assertThat(after.ticks().subList(firstRunTicks, 2 * firstRunTicks))
                .as("the rerun ran on the node that ended the job, under the next epoch")
                .allMatch(tick -> tick.epoch() == 2 && tick.nodeName().equals("late-node"));
    }
}
