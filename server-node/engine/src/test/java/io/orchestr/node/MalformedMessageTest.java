package io.orchestr.node;

import io.orchestr.node.testing.NodeTestBase;
import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.JobMessage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class MalformedMessageTest extends NodeTestBase {

    @Test
    void anUnreadableJobMessageIsDeadLetteredAndTheNodeKeepsWorking() {
        manager.grantAll();
        start(node("malformed-a").handler(recorder.untilCancelled()));
        String queue = broker.topology().jobQueue("default");

        broker.publishRaw(queue, "not json".getBytes(StandardCharsets.UTF_8));

        eventually().until(() -> broker.ready(broker.topology().deadLetterQueue()) == 1);
        assertThat(new String(broker.take(broker.topology().deadLetterQueue()), StandardCharsets.UTF_8))
                .isEqualTo("not json");
        assertThat(listener.events("malformedMessage")).singleElement()
                .satisfies(event -> assertThat(event.detail()).startsWith(queue + ": not a valid JobMessage"));
        JobMessage job = broker.publishJob("after-garbage");
        eventually().until(() -> recorder.isRunning(job.jobId()));
    }

    @Test
    void anUnreadableControlMessageIsDeadLetteredToo() {
        manager.grantAll();
        OrchestratedServer node = start(node("malformed-b").handler(recorder.untilCancelled()));

        broker.publishControlRaw(Topology.nodeRoutingKey(idOf(node)),
                "{\"kind\":\"bogus\"}".getBytes(StandardCharsets.UTF_8));

        eventually().until(() -> broker.ready(broker.topology().deadLetterQueue()) == 1);
        assertThat(listener.events("malformedMessage")).singleElement()
                .satisfies(event -> assertThat(event.detail()).startsWith(broker.topology().nodeQueue(idOf(node))));
        JobMessage job = broker.publishJob("after-bogus-control");
        eventually().until(() -> recorder.isRunning(job.jobId()));
    }
}
