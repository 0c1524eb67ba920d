package io.orchestr.node;

import io.orchestr.node.testing.JobRecorder;
import io.orchestr.node.testing.NodeTestBase;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class GracefulCloseTest extends NodeTestBase {

    @Test
    void aClosingNodeSaysItLeftThenHandsItsJobsBackForAnotherNode() {
        manager.grantAll();
        OrchestratedServer first = start(node("close-a").maxWorkers(3).handler(recorder.untilCancelled()));
        List<UUID> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            jobs.add(broker.publishJob("moving-" + i).jobId());
        }
        eventually().until(() -> recorder.runningCount() == 3);
        UUID firstId = idOf(first);
        OrchestratedServer second = start(node("close-b").maxWorkers(3).handler(recorder.untilCancelled()));

        first.close();

        assertThat(jobs).allSatisfy(job -> assertThat(recorder.sawCancel(job)).isTrue());
        assertThat(manager.received(ToManager.NodeLeft.class)).containsExactly(new ToManager.NodeLeft(firstId));
        eventually().until(() -> recorder.runningCount() == 3);
        assertThat(recorder.starts()).filteredOn(start -> start.nodeId().equals(idOf(second)))
                .extracting(JobRecorder.Start::jobId, JobRecorder.Start::epoch)
                .containsExactlyInAnyOrderElementsOf(jobs.stream().map(job -> tuple(job, 2L)).toList());
        List<ToManager> order = manager.received(ToManager.class);
        int left = order.indexOf(new ToManager.NodeLeft(firstId));
        assertThat(order.subList(0, left))
                .noneMatch(m -> m instanceof ToManager.Claim c && c.nodeId().equals(idOf(second)));
    }

    @Test
    void closeIsIdempotentAndAClosedNodeCannotStartAgain() {
        OrchestratedServer node = start(node("close-c").handler(recorder.untilCancelled()));

        node.close();
        node.close();

        assertThat(node.isConnected()).isFalse();
        assertThatThrownBy(node::start).isInstanceOf(NodeException.class)
                .hasMessageContaining("'close-c' is CLOSED");
    }

    @Test
    void startIsIdempotentToo() {
        OrchestratedServer node = start(node("close-d").handler(recorder.untilCancelled()));
        UUID id = idOf(node);

        node.start();

        assertThat(idOf(node)).isEqualTo(id);
    }

    @Test
    void aHandlerIgnoringTheCloseIsInterruptedAfterTheGraceAndItsJobHandedBackAnyway() {
        manager.grantAll();
        OrchestratedServer node = start(node("close-e").cancelGrace(Duration.ofMillis(300))
                .handler(recorder.ignoringCancel()));
        JobMessage job = broker.publishJob("deaf");
        eventually().until(() -> recorder.isRunning(job.jobId()));

        node.close();

        eventually().until(() -> recorder.wasInterrupted(job.jobId()));
        assertThat(broker.readyJobs()).isEqualTo(1);
    }
}
