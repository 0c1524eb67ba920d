package io.orchestr.node;

import io.orchestr.node.testing.NodeTestBase;
import io.orchestr.node.testing.SettableClock;
import io.orchestr.shared.wire.JobMessage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fence with a clock the test moves: jumping past the fence timeout makes every confirmed publish look too old,
 * as if the broker had stopped answering.
 */
class FenceTest extends NodeTestBase {

    @Test
    void aNodeWithNothingConfirmedForTheFenceTimeoutStopsItsJobsAndReconnectsAsANewIncarnation() {
        manager.grantAll();
        SettableClock clock = new SettableClock();
        OrchestratedServer node = start(node("fence-a").clock(clock).handler(recorder.untilCancelled()));
        JobMessage job = broker.publishJob("fenced-job");
        eventually().until(() -> recorder.isRunning(job.jobId()));
        UUID before = idOf(node);
        eventually().during(Duration.ofMillis(600)).until(() -> listener.events("fenced").isEmpty());

        clock.advance(Duration.ofSeconds(7));

        eventually().until(() -> listener.ids("fenced").contains(before));
        assertThat(recorder.sawCancel(job.jobId())).isTrue();
        assertThat(listener.events("fenced")).singleElement()
                .satisfies(event -> assertThat(Duration.parse(event.detail())).isGreaterThan(Duration.ofSeconds(6)));
        eventually().until(() -> node.nodeId().filter(id -> !id.equals(before)).isPresent());
        eventually().until(() -> recorder.starts(job.jobId()).size() == 2);
        assertThat(recorder.starts(job.jobId()).get(1).nodeId()).isEqualTo(idOf(node));
        assertThat(recorder.starts(job.jobId()).get(1).epoch()).isEqualTo(2);
        assertThat(listener.events("deliveriesLost")).as("a fence is its own event").isEmpty();
    }
}
