package io.orchestr.e2e;

import io.orchestr.client.PageRequest;
import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobUpdate;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Crash-loop quarantine with real processes: a job of the demo type {@code halt} halts the JVM of every node that
 * runs it. With the default settings (3 deaths in 10 min) it takes three of four nodes down, then waits
 * {@code Paused} as quarantined; once an operator fixed its argument and resumed it, it runs on the node left.
 */
class CrashLoopQuarantineTest {
    private static final int NODES = 4;
    private static final String REASON = "quarantined: its runs ended with their node's death 3 times in 10 min";

    private static Cluster cluster;
    private static final List<OrchestrProcess> NODE_PROCESSES = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.withManager("quarantine");
        for (int i = 1; i <= NODES; i++) {
            NODE_PROCESSES.add(cluster.startNode("node-" + i, 2));
        }
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void aJobThatHaltsItsNodesTakesThreeDownIsQuarantinedAndRunsOnceFixedAndResumed() {
        UUID id = cluster.client().createJob(new NewJob("crasher", "", "halt", null, null)).id();

        JobView paused = cluster.client().awaitStatus(id, JobStatus.Paused, Duration.ofSeconds(90));

        assertThat(paused.reason()).isEqualTo(REASON);
        List<OrchestrProcess> alive = await("three nodes down").atMost(Duration.ofSeconds(10))
                .until(() -> NODE_PROCESSES.stream().filter(OrchestrProcess::isAlive).toList(),
                        live -> live.size() == NODES - 3);
        assertThat(cluster.client().events(id, PageRequest.first(100)).items())
                // a node's snapshot may see the halting run start before it halts its JVM
                .extracting(event -> event.kind().wireName())
                .filteredOn(kind -> !kind.equals("heartbeat-lost") && !kind.equals("started"))
                .containsExactly("created", "granted", "stopped", "granted", "stopped", "granted", "stopped",
                        "quarantined");

        OrchestrProcess survivor = alive.getFirst();
        cluster.client().update(id, JobUpdate.none().withArgument("halt=false;" + cluster.tickArgument("crasher")));
        assertThat(cluster.client().resume(id).status()).isEqualTo(JobStatus.Queued);

        JobView running = cluster.client().awaitStatus(id, JobStatus.Processing, Duration.ofSeconds(30));
        assertThat(running.serverName()).isEqualTo(survivor.name());
        assertThat(running.reason()).isNull();
        await("the fixed job ticking on " + survivor.name()).atMost(Duration.ofSeconds(30))
                .until(() -> cluster.tickLog("crasher").lastNodeName().orElse("").equals(survivor.name()));
        assertThat(survivor.isAlive()).isTrue();
    }
}
