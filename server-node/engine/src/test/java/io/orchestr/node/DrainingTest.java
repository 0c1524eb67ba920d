package io.orchestr.node;

import io.orchestr.node.testing.NodeTestBase;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToNode;
import io.orchestr.testing.BrokerConnections;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DrainingTest extends NodeTestBase {

    @Test
    void aDrainReleasesTenRunningJobsAtATimeTakesNoNewJobAndCompletesOnceTheNodeHoldsNothing() {
        manager.grantAll();
        // handlers ignore their cancel until interrupted after the cancel grace: each batch stays visible that long
        OrchestratedServer node = start(node("drain-a").maxWorkers(25).cancelGrace(Duration.ofSeconds(2))
                .handler(recorder.ignoringCancel()));
        List<JobMessage> jobs = broker.publishJobs("held", 25);
        eventually().until(() -> recorder.runningCount() == 25);

        CompletableFuture<Void> drained = node.drain();

        eventually().until(() -> recorder.runningCount() == 15);
        assertThat(drained).isNotDone();
        assertThat(ends()).as("the first batch ends as its handlers return").hasSizeLessThanOrEqualTo(10);
        eventually().until(() -> recorder.runningCount() == 5);
        drained.orTimeout(20, TimeUnit.SECONDS).join();
        assertThat(recorder.runningCount()).isZero();
        eventually().until(() -> ends().size() == 25);
        assertThat(ends()).allSatisfy(end -> assertThat(end.outcome()).isEqualTo(ToManager.Outcome.RELEASED));
        assertThat(ends()).extracting(ToManager.JobEnded::jobId)
                .containsExactlyInAnyOrderElementsOf(jobs.stream().map(JobMessage::jobId).toList());
        eventually().until(() -> lastDrain(idOf(node)).filter(d -> d.state() == ToManager.DrainState.DRAINED)
                .isPresent());
        assertThat(node.isConnected()).isTrue();

        JobMessage later = broker.publishJob("later");
        eventually().during(Duration.ofSeconds(1)).until(() -> broker.readyJobs() == 1);
        assertThat(recorder.starts(later.jobId())).isEmpty();

        node.undrain();

        eventually().until(() -> recorder.isRunning(later.jobId()));
        eventually().until(() -> lastDrain(idOf(node)).filter(d -> d.state() == ToManager.DrainState.ACTIVE)
                .isPresent());
    }

    @Test
    void theManagersAskFollowsTheNewestAskAndADrainedNodeReconnectsDrained() {
        manager.grantAll();
        String name = "drain-b-" + UUID.randomUUID().toString().substring(0, 8);
        OrchestratedServer node = start(node(name).handler(recorder.untilCancelled()));
        JobMessage job = broker.publishJob("moved-off");
        eventually().until(() -> recorder.isRunning(job.jobId()));
        UUID before = idOf(node);

        manager.send(before, new ToNode.Drain(true, 1));

        eventually().until(() -> ends().size() == 1);
        assertThat(ends().getFirst().outcome()).isEqualTo(ToManager.Outcome.RELEASED);
        eventually().until(() -> lastDrain(before).equals(Optional.of(
                new ToManager.NodeDrain(ToManager.DrainState.DRAINED, 1))));
        manager.send(before, new ToNode.Drain(false, 1)); // stale: not newer than the ask it follows
        JobMessage queued = broker.publishJob("queued");
        eventually().during(Duration.ofSeconds(1)).until(() -> broker.readyJobs() == 1);

        assertThat(BrokerConnections.close("orchestr-node-" + name + "-" + before, "test cuts the node off")).isOne();
        eventually().until(() -> node.nodeId().filter(id -> !id.equals(before)).isPresent());
        UUID after = idOf(node);
        eventually().until(() -> lastDrain(after).isPresent());
        assertThat(lastDrain(after)).contains(new ToManager.NodeDrain(ToManager.DrainState.DRAINED, 1));
        eventually().during(Duration.ofSeconds(1)).until(() -> broker.readyJobs() == 1);
        assertThat(recorder.starts(queued.jobId())).as("a new incarnation of a drained node takes nothing").isEmpty();

        manager.send(after, new ToNode.Drain(false, 2));

        eventually().until(() -> recorder.isRunning(queued.jobId()));
        assertThat(node.isDraining()).isFalse();
    }

    @Test
    void aCloseDuringADrainHandsBackWhatIsLeftAllAtOnceAndCompletesTheDrain() {
        manager.grantAll();
        OrchestratedServer node = start(node("drain-c").maxWorkers(20).cancelGrace(Duration.ofSeconds(1))
                .handler(recorder.ignoringCancel()));
        broker.publishJobs("closing", 20);
        eventually().until(() -> recorder.runningCount() == 20);
        CompletableFuture<Void> drained = node.drain();

        node.close();

        assertThat(drained).succeedsWithin(Duration.ofSeconds(5));
        assertThat(recorder.runningCount()).isZero();
        assertThat(ends()).as("at most the first batch was released").hasSizeLessThanOrEqualTo(10)
                .allSatisfy(end -> assertThat(end.outcome()).isEqualTo(ToManager.Outcome.RELEASED));
        assertThat(listener.ids("jobHandedBack")).as("the others, handed back by the close")
                .hasSizeGreaterThanOrEqualTo(10);
        assertThat(manager.received(ToManager.NodeLeft.class)).hasSize(1);
        eventually().until(() -> broker.readyJobs() + ends().size() >= 20);
    }

    private List<ToManager.JobEnded> ends() {
        return manager.received(ToManager.JobEnded.class);
    }

    /** The drain the newest snapshot of {@code nodeId} reports. */
    private Optional<ToManager.NodeDrain> lastDrain(UUID nodeId) {
        return manager.received(ToManager.Snapshot.class).stream().filter(s -> s.nodeId().equals(nodeId))
                .reduce((first, second) -> second).map(ToManager.Snapshot::drain);
    }
}
