package io.orchestr.node;

import io.orchestr.node.testing.JobRecorder;
import io.orchestr.node.testing.NodeTestBase;
import io.orchestr.shared.Names;
import io.orchestr.shared.RestartMode;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code exec} jobs reach only the nodes that have a handler for them, through their pools' exec queues. */
class ExecRoutingTest extends NodeTestBase {

    @Test
    void aNodeWithoutAnExecHandlerNeverReceivesAnExecJobWhileOneWithItDoes() {
        manager.grantAll();
        UUID plain = idOf(start(node("plain").maxWorkers(4).handler(recorder.untilCancelled())));
        JobMessage exec = broker.publishJob("command", Names.EXEC_TYPE, "", RestartMode.NEVER);
        JobMessage java = broker.publishJob("java");

        eventually().until(() -> recorder.isRunning(java.jobId()));
        eventually().during(Duration.ofSeconds(1)).until(() -> claimants(exec.jobId()).isEmpty()
                && broker.ready(broker.topology().execQueue(Names.DEFAULT_POOL)) == 1);

        UUID runner = idOf(start(node("runner").maxWorkers(2).roles(Set.of("db", "web"))
                .handler(Names.EXEC_TYPE, recorder.untilCancelled())));

        eventually().until(() -> recorder.isRunning(exec.jobId()));
        assertThat(recorder.starts(exec.jobId())).extracting(JobRecorder.Start::nodeId).containsExactly(runner);
        assertThat(claimants(exec.jobId())).containsOnly(runner);
        assertThat(recorder.starts(java.jobId())).extracting(JobRecorder.Start::nodeId).containsExactly(plain);
        assertThat(lastSnapshotOf(plain)).satisfies(snapshot -> {
            assertThat(snapshot.exec()).isFalse();
            assertThat(snapshot.roles()).isEmpty();
        });
        assertThat(lastSnapshotOf(runner)).satisfies(snapshot -> {
            assertThat(snapshot.exec()).isTrue();
            assertThat(snapshot.roles()).containsExactly("db", "web");
        });
    }

    @Test
    void aNodeWithOnlyAnExecHandlerLeavesThePoolsOtherJobsToTheOthers() {
        manager.grantAll();
        start(node("runner").maxWorkers(2).handler(Names.EXEC_TYPE, recorder.untilCancelled()));
        JobMessage java = broker.publishJob("java");
        JobMessage exec = broker.publishJob("command", Names.EXEC_TYPE, "", RestartMode.NEVER);

        eventually().until(() -> recorder.isRunning(exec.jobId()));
        eventually().during(Duration.ofSeconds(1)).until(() -> claimants(java.jobId()).isEmpty()
                && broker.readyJobs() == 1);
    }

    @Test
    void aNodeRunningExecAndOtherTypesNeedsASlotPerQueue() {
        OrchestratedServerBuilder both = node("both").maxWorkers(1).handler(recorder.untilCancelled())
                .handler(Names.EXEC_TYPE, recorder.untilCancelled());

        assertThatThrownBy(both::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is less than the 2 job queues");
    }

    /** The nodes that claimed the job, alone or in a batch. */
    private Set<UUID> claimants(UUID jobId) {
        Set<UUID> nodes = new HashSet<>();
        manager.claims(jobId).forEach(claim -> nodes.add(claim.nodeId()));
        manager.batches().stream().filter(batch -> batch.claims().stream()
                .anyMatch(claimed -> claimed.jobId().equals(jobId))).forEach(batch -> nodes.add(batch.nodeId()));
        return nodes;
    }

    private ToManager.Snapshot lastSnapshotOf(UUID nodeId) {
        List<ToManager.Snapshot> snapshots = manager.received(ToManager.Snapshot.class).stream()
                .filter(snapshot -> snapshot.nodeId().equals(nodeId)).toList();
        assertThat(snapshots).as("snapshots of node " + nodeId).isNotEmpty();
        return snapshots.getLast();
    }
}
