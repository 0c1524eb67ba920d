package io.orchestr.node;

import io.orchestr.node.testing.NodeTestBase;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class CancelAndStopTest extends NodeTestBase {

    @Test
    void aCancelledJobSeesTheCancelIsAckedAndReportedCancelled() {
        manager.grantAll();
        OrchestratedServer node = start(node("cancel-a").handler(recorder.untilCancelled()));
        JobMessage job = broker.publishJob("to-cancel");
        eventually().until(() -> recorder.isRunning(job.jobId()));

        manager.broadcast(new ToNode.Cancel(job.jobId()));

        eventually().until(() -> !manager.ends(job.jobId()).isEmpty());
        assertThat(manager.ends(job.jobId())).containsExactly(
                new ToManager.JobEnded(job.jobId(), idOf(node), 1, ToManager.Outcome.CANCELLED, 0, null));
        assertThat(recorder.sawCancel(job.jobId())).isTrue();
        eventually().until(() -> manager.heldIn(idOf(node), job.jobId()).isEmpty());
        node.close();
        assertThat(broker.readyJobs()).as("acked, so not handed back on close").isZero();
    }

    @Test
    void aHandlerThatIgnoresItsCancelIsInterruptedAfterTheGrace() {
        manager.grantAll();
        start(node("cancel-c").cancelGrace(Duration.ofMillis(300)).handler(recorder.ignoringCancel()));
        JobMessage job = broker.publishJob("stubborn");
        eventually().until(() -> recorder.isRunning(job.jobId()));

        manager.broadcast(new ToNode.Cancel(job.jobId()));

        eventually().until(() -> recorder.wasInterrupted(job.jobId()));
        eventually().until(() -> manager.ends(job.jobId()).stream()
                .anyMatch(end -> end.outcome() == ToManager.Outcome.CANCELLED));
    }

    @Test
    void aStopForTheCurrentEpochStopsTheHandlerAndHandsTheMessageBack() {
        manager.grantAll();
        OrchestratedServer node = start(node("stop-a").handler(recorder.untilCancelled()));
        JobMessage job = broker.publishJob("granted-elsewhere");
        eventually().until(() -> recorder.isRunning(job.jobId()));
        manager.waitAll(); // the newer owner still runs it: the handed-back copy must wait

        manager.send(idOf(node), new ToNode.Stop(job.jobId(), 1, "newer grant"));

        eventually().until(() -> listener.ids("jobHandedBack").contains(job.jobId()));
        assertThat(recorder.isRunning(job.jobId())).isFalse();
        assertThat(recorder.sawCancel(job.jobId())).isTrue();
        assertThat(manager.ends(job.jobId())).isEmpty();
        eventually().until(() -> manager.claims(job.jobId()).size() >= 2); // the requeued copy came back
    }

    @Test
    void aStopForAnOlderEpochIsIgnored() {
        manager.grantAll();
        OrchestratedServer node = start(node("stop-b").handler(recorder.untilCancelled()));
        JobMessage job = broker.publishJob("current");
        eventually().until(() -> recorder.isRunning(job.jobId()));

        manager.send(idOf(node), new ToNode.Stop(job.jobId(), 0, "stale"));

        eventually().during(Duration.ofSeconds(1)).until(() -> recorder.isRunning(job.jobId()));
        assertThat(listener.ids("jobHandedBack")).isEmpty();
    }
}
