package io.orchestr.e2e;

import io.orchestr.client.OrchestratorClient;
import io.orchestr.client.PageRequest;
import io.orchestr.client.ServerFilter;
import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.e2e.harness.TickLog;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.NodeStatus;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pause, resume, restart and move with a real manager and real nodes, and under the faults that matter: the node
 * dies while pausing, the manager restarts while a job is pausing, the node a job was moved to dies. Every run's
 * ticks are checked: no two runs of a job (grants) overlap in time.
 */
class SteeringTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private Cluster cluster;
    private OrchestratorClient client;
    private OrchestrProcess first;

    @BeforeEach
    void startCluster() {
        cluster = Cluster.withManager("steering");
        client = cluster.client();
        first = cluster.startNode("node-1", 4);
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void aPausedJobRunsNowhereUntilResumedThenRunsAgainUnderANewGrant() {
        UUID job = ticking("paused");
        JobView pausing = client.pause(job);
        assertThat(pausing.status()).isIn(JobStatus.Pausing, JobStatus.Paused);
        client.awaitStatus(job, JobStatus.Paused, DEADLINE);
        TickLog log = cluster.tickLog("paused");
        int ticksWhenPaused = log.ticks().size();

        await("no tick while paused").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> log.ticks().size() == ticksWhenPaused);
        assertThat(log.sawCancellation()).as("the handler saw its stop").isTrue();
        assertThat(client.pause(job).status()).as("a repeat").isEqualTo(JobStatus.Paused);

        assertThat(client.resume(job).status()).isEqualTo(JobStatus.Queued);
        awaitTicksUnderEpoch(job, "paused", 2);
        assertThat(log.overlap()).isEmpty();
    }

    @Test
    void aRestartedJobStartsANewRunOnlyAfterTheOldOneStopped() {
        UUID job = ticking("restarted");

        client.restart(job);

        awaitTicksUnderEpoch(job, "restarted", 2);
        assertThat(cluster.tickLog("restarted").runs()).hasSize(2);
        assertThat(cluster.tickLog("restarted").overlap()).isEmpty();
    }

    @Test
    void aMovedJobRunsOnTheOtherNodeWithoutOverlap() {
        UUID job = ticking("moved");
        OrchestrProcess second = cluster.startNode("node-2", 4);
        UUID secondId = awaitServer("node-2");

        client.move(job, null);

        awaitTicksUnderEpoch(job, "moved", 2);
        assertThat(client.job(job).serverId()).isEqualTo(secondId);
        assertThat(cluster.tickLog("moved").lastNodeName()).contains("node-2");
        assertThat(cluster.tickLog("moved").overlap()).isEmpty();

        client.move(job, awaitServer("node-1"));
        awaitTicksUnderEpoch(job, "moved", 3);
        assertThat(cluster.tickLog("moved").lastNodeName()).contains("node-1");
        assertThat(cluster.tickLog("moved").overlap()).isEmpty();
        second.terminate();
    }

    @Test
    void aJobWhoseNodeDiesWhilePausingIsPausedAndRunsNowhere() {
        UUID job = slowToStop("dies-pausing");
        OrchestrProcess second = cluster.startNode("node-2", 4);
        awaitServer("node-2");

        assertThat(client.pause(job).status()).isEqualTo(JobStatus.Pausing);
        await("the handler stopping").atMost(DEADLINE).until(() -> cluster.tickLog("dies-pausing").sawCancellation());
        first.kill();

        client.awaitStatus(job, JobStatus.Paused, DEADLINE);
        TickLog log = cluster.tickLog("dies-pausing");
        await("nothing runs the paused job").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> log.runs().stream().noneMatch(run -> run.nodeName().equals("node-2")));
        client.resume(job);
        awaitTicksUnderEpoch(job, "dies-pausing", 2);
        assertThat(log.lastNodeName()).contains("node-2");
        assertThat(log.overlap()).isEmpty();
        second.terminate();
    }

    @Test
    void aJobPausingWhileTheManagerRestartsEndsPaused() {
        UUID job = slowToStop("mgr-restart-pausing");

        assertThat(client.pause(job).status()).isEqualTo(JobStatus.Pausing);
        cluster.manager().kill();
        // the node's release waits in the manager queue while no manager runs
        await("the handler stopped").atMost(DEADLINE)
                .until(() -> first.log().contains("ended RELEASED"));
        cluster.startManager();

        client = cluster.client();
        client.awaitStatus(job, JobStatus.Paused, DEADLINE);
        assertThat(cluster.tickLog("mgr-restart-pausing").overlap()).isEmpty();
    }

    @Test
    void aJobMovedToANodeThatThenDiesRunsElsewhere() {
        UUID job = ticking("target-dies");
        OrchestrProcess second = cluster.startNode("node-2", 4);
        UUID secondId = awaitServer("node-2");

        client.move(job, secondId);
        awaitTicksUnderEpoch(job, "target-dies", 2);
        second.kill();

        // its message was in node-2's own queue, which went with node-2: the managers publish it again
        awaitTicksUnderEpoch(job, "target-dies", 3);
        assertThat(cluster.tickLog("target-dies").lastNodeName()).contains("node-1");
        assertThat(cluster.tickLog("target-dies").overlap()).isEmpty();
    }

    /** A ticker running on a node, its ticks logged. */
    private UUID ticking(String name) {
        UUID job = client.createJob(new NewJob(name, cluster.tickArgument(name), "ticker", null, null)).id();
        awaitTicksUnderEpoch(job, name, 1);
        return job;
    }

    /** A ticker that takes 6 s to stop once asked (within the node's cancel grace), running on a node. */
    private UUID slowToStop(String name) {
        UUID job = client.createJob(new NewJob(name, cluster.tickArgument(name) + ";stopMillis=6000", "ticker",
                null, null)).id();
        awaitTicksUnderEpoch(job, name, 1);
        return job;
    }

    private void awaitTicksUnderEpoch(UUID job, String name, long epoch) {
        await("job " + name + " ticking under epoch " + epoch).atMost(DEADLINE).until(() ->
                client.job(job).status() == JobStatus.Processing && cluster.tickLog(name).ticks().stream()
                        .filter(tick -> tick.epoch() == epoch && !tick.cancelled()).count() >= 2);
    }

    private UUID awaitServer(String name) {
        return await("server " + name + " reporting").atMost(DEADLINE).until(() -> client.servers(
                        new ServerFilter(NodeStatus.Active), PageRequest.first(100)).items().stream()
                        .filter(server -> server.name().equals(name)).findFirst(), Optional::isPresent)
                .orElseThrow().id();
    }
}
