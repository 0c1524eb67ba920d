package io.orchestr.node;

import io.orchestr.node.testing.NodeTestBase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link OrchestratedServer#isResponsive()}, what the Quarkus node's liveness check reports: it turns false when
 * the engine thread stops ticking, at the latest ten heartbeat intervals and at least 10 s after its last tick.
 */
class LivenessTest extends NodeTestBase {
    private static final Duration DEADLINE = Duration.ofSeconds(40);

    @Test
    void aNodeWhoseEngineThreadIsBlockedIsNotResponsiveUntilTheThreadRunsAgain() {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        // listeners run on the engine thread (and must not block): this one wedges it, as a bug would
        NodeListener wedging = new NodeListener() {
            @Override
            public void granted(UUID jobId, long epoch) {
                blocked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        manager.grantAll();
        OrchestratedServer node = start(node("wedged").listener(wedging).handler(recorder.untilCancelled()));
        assertThat(node.isResponsive()).as("a started node").isTrue();

        broker.publishJob("wedges-the-engine");

        await("the engine thread blocked").atMost(DEADLINE).until(() -> blocked.getCount() == 0);
        await("the node unresponsive").atMost(DEADLINE).until(() -> !node.isResponsive());
        release.countDown();
        await("the node responsive again").atMost(DEADLINE).until(node::isResponsive);
    }

    @Test
    void aNodeIsNotResponsiveBeforeItStartsNorAfterItCloses() {
        OrchestratedServer node = node("short-lived").handler(recorder.untilCancelled()).build();
        assertThat(node.isResponsive()).as("before start").isFalse();

        node.start();
        assertThat(node.isResponsive()).as("started").isTrue();
        node.close();

        assertThat(node.isResponsive()).as("closed").isFalse();
    }
}
