package io.orchestr.e2e;

import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A counter job that checkpoints its counter at every tick (the runnable node's {@code resume-count} demo type) is
 * SIGKILLed with its node mid-run: it resumes on the other node from its last checkpoint, and the stored counter
 * never goes back.
 */
class CheckpointFailoverTest {
    private static Cluster cluster;
    private static OrchestrProcess node1;
    private static OrchestrProcess node2;

    /** The {@code resume-count} demo type's params: no {@code count}, so it counts until cancelled. */
    record Counter(long tickMillis) {
    }

    /** What one look at the job view showed. */
    private record Seen(long counter, String serverName, Instant checkpointAt) {
    }

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.withManager("checkpoint");
        node1 = cluster.startNode("ckpt-node-1", 4);
        node2 = cluster.startNode("ckpt-node-2", 4);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aCounterSigkilledMidRunResumesOnTheOtherNodeFromItsLastCheckpointAndNeverGoesBack() {
        UUID id = cluster.client().createJob(NewJob.of("resumes", "").withType("resume-count")
                .withParams(new Counter(100))).id();
        List<Seen> seen = new ArrayList<>();

        await("the counter checkpointed a few times on its first node").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> look(id, seen).filter(s -> s.serverName() != null && s.counter() >= 5).isPresent());
        String victimName = seen.getLast().serverName();
        OrchestrProcess victim = victimName.equals(node1.name()) ? node1 : node2;
        OrchestrProcess survivor = victim == node1 ? node2 : node1;
        long beforeKill = seen.getLast().counter();

        victim.kill();

        await("the counter resumed on " + survivor.name() + " and counted on past its last checkpoint")
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> look(id, seen).filter(s -> survivor.name().equals(s.serverName())
                        && s.counter() >= beforeKill + 10).isPresent());

        List<Long> counters = seen.stream().map(Seen::counter).toList();
        assertThat(counters).as("the stored counter never goes back, across the failover").isSorted();
        Seen firstOnSurvivor = seen.stream().filter(s -> survivor.name().equals(s.serverName())).findFirst()
                .orElseThrow();
        assertThat(firstOnSurvivor.counter()).as("the survivor's run started from the last checkpoint, not from 0")
                .isGreaterThanOrEqualTo(beforeKill);
        assertThat(seen.getLast().checkpointAt()).isAfter(firstOnSurvivor.checkpointAt().minusMillis(1));
        assertThat(cluster.client().job(id).status()).isEqualTo(JobStatus.Processing);
        // progress travels in the snapshots, a heartbeat interval behind the checkpoints: waited for, not asserted
        await("the survivor's progress past the last checkpoint before the kill").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> cluster.client().job(id).progress(), progress -> progress != null
                        && progress.done() >= beforeKill + 10);
        assertThat(survivor.isAlive()).isTrue();
    }

    /** Looks at the job's checkpoint once, adding what it shows to {@code seen} when it has a checkpoint. */
    private static Optional<Seen> look(UUID id, List<Seen> seen) {
        JobView job = cluster.client().job(id);
        if (job.checkpoint() == null) {
            return Optional.empty();
        }
        Seen now = new Seen(job.checkpoint().get("counter").asLong(), job.serverName(), job.checkpointAt());
        seen.add(now);
        return Optional.of(now);
    }
}
