package io.orchestr.e2e;

import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The runnable node serves the demo types only when asked to; without them it serves its built-in types alone
 * (the pipeline type) and says so in its snapshots, so a job of a demo type is never given to it: it waits
 * {@code Queued}, saying why (version-aware placement), and fails nowhere.
 */
class RunnableNodeWithoutDemoTest {
    @Test
    void theRunnableNodeWithoutTheDemoFlagServesOnlyItsBuiltInTypes() {
        try (Cluster cluster = Cluster.withManager("no-demo")) {
            OrchestrProcess node = cluster.run("bare-node",
                    List.of("bash", "deploy/node.sh", "bare-node", "2"), Cluster.nodeRoot(),
                    OrchestrProcess.freePort(), Map.of()).awaitReady(Cluster.START_TIMEOUT);

            UUID id = cluster.client().createJob(new NewJob("demo-type", "", "ticker", null, "never")).id();

            JobView ticker = await("the ticker job waits, saying why").atMost(Duration.ofSeconds(30))
                    .until(() -> cluster.client().job(id), job -> job.reason() != null
                            && job.reason().contains("no live node of pool default runs type ticker"));
            assertThat(ticker.status()).isEqualTo(JobStatus.Queued);
            assertThat(ticker.restarts()).isZero();
            assertThat(ticker.lastError()).isNull();
            assertThat(node.log()).contains("handler types [pipeline]").doesNotContain("no handler for job type");
        }
    }
}
