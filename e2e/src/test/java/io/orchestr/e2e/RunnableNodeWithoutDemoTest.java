package io.orchestr.e2e;

import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runnable node serves the demo types only when asked to; without them it serves its built-in types alone
 * (the pipeline type), and a job of a demo type it receives fails saying so.
 */
class RunnableNodeWithoutDemoTest {
    @Test
    void theRunnableNodeWithoutTheDemoFlagServesOnlyItsBuiltInTypes() {
        try (Cluster cluster = Cluster.withManager("no-demo")) {
            OrchestrProcess node = cluster.run("bare-node",
                    List.of("bash", "deploy/node.sh", "bare-node", "2"), Cluster.nodeRoot(),
                    OrchestrProcess.freePort(), Map.of()).awaitReady(Cluster.START_TIMEOUT);

            JobView ticker = cluster.client().awaitEnd(cluster.client().createJob(
                    new NewJob("demo-type", "", "ticker", null, "never")).id(), Duration.ofSeconds(30));

            assertThat(ticker.status()).isEqualTo(JobStatus.Failed);
            assertThat(ticker.lastError()).contains("no handler for job type 'ticker'").contains("[pipeline]");
            assertThat(node.log()).contains("handler types [pipeline]");
        }
    }
}
