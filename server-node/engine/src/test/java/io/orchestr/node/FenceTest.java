package io.orchestr.node;

import io.orchestr.node.testing.NodeTestBase;
import io.orchestr.node.testing.SettableClock;
import io.orchestr.shared.wire.JobMessage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fence goes by the monotonic clock (R7): a step of the wall clock, an NTP correction say, neither fences a node
 * whose broker answers nor delays the fence of one whose broker does not. The fence itself, with a real cut, is in
 * {@code PartitionThatStopsReadingTest}.
 */
class FenceTest extends NodeTestBase {

    @Test
    void aStepOfTheWallClockDoesNotFenceANodeWhoseBrokerAnswers() {
        manager.grantAll();
        SettableClock clock = new SettableClock();
        OrchestratedServer node = start(node("fence-a").clock(clock).handler(recorder.untilCancelled()));
        JobMessage job = broker.publishJob("steady-job");
        eventually().until(() -> recorder.isRunning(job.jobId()));
        UUID before = idOf(node);

        clock.advance(Duration.ofMinutes(10));

        eventually().during(Duration.ofSeconds(1)).until(() -> listener.events("fenced").isEmpty());
        assertThat(recorder.sawCancel(job.jobId())).isFalse();
        assertThat(idOf(node)).isEqualTo(before);
    }

    @Test
    void theLeaseIsProvedBetweenSnapshotsSoAFenceShorterThanTheirIntervalDoesNotFire() {
        manager.grantAll();
        // snapshots (and with them every other publish of an idle node) come only every 3 s, more than twice the
        // 1.4 s fence: only the lease's own proofs keep it alive in between
        OrchestratedServer node = start(node("fence-b").heartbeatInterval(Duration.ofSeconds(3))
                .handler(recorder.untilCancelled()));
        JobMessage job = broker.publishJob("proved-job");
        eventually().until(() -> recorder.isRunning(job.jobId()));
        UUID before = idOf(node);

        eventually().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(10))
                .until(() -> listener.events("fenced").isEmpty());
        assertThat(recorder.sawCancel(job.jobId())).isFalse();
        assertThat(idOf(node)).isEqualTo(before);
    }
}
