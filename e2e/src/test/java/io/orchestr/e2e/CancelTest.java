package io.orchestr.e2e;

import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.shared.JobStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CancelTest {
    private Cluster cluster;
    private OrchestrProcess node;

    @BeforeEach
    void startCluster() {
        cluster = Cluster.withManager("cancel");
        node = cluster.startNode("node-1", 2);
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void cancellingARunningJobStopsItsHandlerDeletesItAndRemovesItsMessage() throws Exception {
        Jobs jobs = new Jobs(cluster);
        List<UUID> ids = jobs.createTickers("run", 2);
        jobs.awaitAllProcessing(ids, Duration.ofSeconds(30));
        jobs.awaitAllTicking(ids, Duration.ofSeconds(30));
        UUID cancelled = ids.getFirst();
        String name = jobs.job(cancelled).name();

        assertThat(cluster.client().markOnDeleting(cancelled).status()).isIn(JobStatus.Deleting, JobStatus.Deleted);

        cluster.client().awaitStatus(cancelled, JobStatus.Deleted, Duration.ofSeconds(20));
        assertThat(cluster.tickLog(name).sawCancellation()).as("handler saw its cancellation").isTrue();
        assertThat(jobs.job(ids.get(1)).status()).isEqualTo(JobStatus.Processing);
        node.terminate();
        assertThat(jobMessagesInQueue()).as("job messages left in the queue once the node handed its jobs back")
                .containsExactly(ids.get(1));
    }

    @Test
    void aJobCancelledWhileQueuedNeverStartsAndEndsDeleted() throws Exception {
        Jobs jobs = new Jobs(cluster);
        List<UUID> running = jobs.createTickers("full", 2);
        jobs.awaitAllProcessing(running, Duration.ofSeconds(30));
        UUID queued = jobs.createTicker("queued");
        assertThat(jobs.job(queued).status()).isEqualTo(JobStatus.Queued);

        cluster.client().markOnDeleting(queued);
        cluster.client().awaitStatus(queued, JobStatus.Deleted, Duration.ofSeconds(10));
        // free a slot so that the node receives the cancelled job's message
        cluster.client().markOnDeleting(running.getFirst());
        cluster.client().awaitStatus(running.getFirst(), JobStatus.Deleted, Duration.ofSeconds(20));

        await("the cancelled job's message dropped").atMost(Duration.ofSeconds(20))
                .until(() -> readyMessages() == 0);
        assertThat(cluster.tickLog("queued").started()).as("cancelled queued job's handler started").isFalse();
        assertThat(jobs.job(queued).status()).isEqualTo(JobStatus.Deleted);
        node.terminate();
        assertThat(jobMessagesInQueue()).containsExactly(running.get(1));
    }

    private long readyMessages() throws Exception {
        try (BrokerProbe probe = new BrokerProbe(cluster)) {
            return probe.ready(probe.topology().jobQueue("default"));
        }
    }

    private List<UUID> jobMessagesInQueue() throws Exception {
        try (BrokerProbe probe = new BrokerProbe(cluster)) {
            return probe.drainJobQueue();
        }
    }
}
