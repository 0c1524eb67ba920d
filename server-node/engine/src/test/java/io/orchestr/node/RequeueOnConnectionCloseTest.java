package io.orchestr.node;

import io.orchestr.node.testing.NodeTestBase;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.testing.BrokerConnections;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class RequeueOnConnectionCloseTest extends NodeTestBase {

    @Test
    void aConnectionClosedByTheBrokerStopsItsJobsAtOnceAndTheNodeComesBackAsANewIncarnation() {
        manager.grantAll();
        String name = "requeue-" + UUID.randomUUID().toString().substring(0, 8);
        OrchestratedServer node = start(node(name).handler(recorder.untilCancelled()));
        List<JobMessage> jobs = List.of(broker.publishJob("kept-1"), broker.publishJob("kept-2"));
        eventually().until(() -> recorder.runningCount() == 2);
        UUID before = idOf(node);

        assertThat(BrokerConnections.close("orchestr-node-" + name + "-" + before, "test closes the node")).isOne();

        eventually().until(() -> listener.ids("deliveriesLost").contains(before));
        assertThat(listener.events("deliveriesLost")).singleElement()
                .satisfies(event -> assertThat(event.detail()).startsWith("2 jobs: ").contains("test closes the node"));
        assertThat(jobs).allSatisfy(job -> assertThat(recorder.sawCancel(job.jobId())).isTrue());
        eventually().until(() -> node.nodeId().filter(id -> !id.equals(before)).isPresent());
        UUID after = idOf(node);
        assertThat(listener.ids("connected")).containsExactly(before, after);
        eventually().until(() -> recorder.runningCount() == 2);
        assertThat(jobs).allSatisfy(job -> assertThat(recorder.starts(job.jobId())).hasSize(2).last()
                .satisfies(start -> {
                    assertThat(start.nodeId()).isEqualTo(after);
                    assertThat(start.epoch()).isEqualTo(2);
                }));
    }
}
