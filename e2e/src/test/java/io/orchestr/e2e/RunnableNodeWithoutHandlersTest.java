package io.orchestr.e2e;

import io.orchestr.e2e.harness.OrchestrProcess;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The runnable node serves the demo types only when asked to, and without them has nothing to run. */
class RunnableNodeWithoutHandlersTest {
    @Test
    void theRunnableNodeWithoutTheDemoFlagRefusesToStartAndSaysWhy() {
        try (Cluster cluster = Cluster.withManager("no-handlers")) {
            OrchestrProcess node = cluster.run("bare-node",
                    List.of("bash", "deploy/node.sh", "bare-node", "2"), Cluster.nodeRoot(),
                    OrchestrProcess.freePort(), Map.of());

            assertThat(node.awaitExitCode(Duration.ofSeconds(90))).as("exit code").isEqualTo(1);
            assertThat(node.log()).contains("This Orchestr node has no job handler");
        }
    }
}
