package io.orchestr.e2e;

import io.orchestr.client.OrchestratorException;
import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Handlers that throw or stop heartbeating, on a node that runs as its own process: restart policies at work. */
class FailingHandlersTest {
    private static Cluster cluster;
    private static OrchestrProcess node;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.withManager("failing-handlers");
        node = cluster.startNode("node-1", 4);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aHandlerThatStopsHeartbeatingIsRestartedAndTheApiSaysWhy() {
        UUID id = cluster.client().createJob(new NewJob("hangs", "hangAfter=2;tickMillis=100", "hang", null, null)
                .withHeartbeatTimeout(Duration.ofSeconds(2))).id();

        await("the hung handler restarted, with the reason").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    JobView job = cluster.client().job(id);
                    return job.restarts() >= 1 && job.lastError() != null && job.lastError().contains("no heartbeat");
                });
        assertThat(cluster.client().job(id).status()).isEqualTo(JobStatus.Processing);
        assertThat(node.isAlive()).isTrue();
    }

    @Test
    void aFailingHandlerIsRestartedUpToItsMaximumThenTheJobFails() {
        UUID id = cluster.client().createJob(new NewJob("fails", "failAfter=1;tickMillis=100", "failing", null,
                "on-failure").withMaxRestarts(2)).id();

        JobView failed = cluster.client().awaitStatus(id, JobStatus.Failed, Duration.ofSeconds(30));
        assertThat(failed.restarts()).isEqualTo(2);
        assertThat(failed.lastError()).contains("maximum of 2 restarts");
        assertThat(node.isAlive()).isTrue();
        assertThatThrownBy(() -> cluster.client().awaitStatus(id, JobStatus.Processing, Duration.ofMinutes(5)))
                .as("waiting for a status a failed job can never reach ends at once")
                .isInstanceOf(OrchestratorException.class).hasMessageContaining("is Failed for good");
    }
}
