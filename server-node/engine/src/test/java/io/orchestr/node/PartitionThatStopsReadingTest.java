package io.orchestr.node;

import io.orchestr.node.testing.NodeTestBase;
import io.orchestr.testing.TcpProxy;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Review finding R1: a partition in which the far side stops reading, rather than dropping what it reads. The
 * node's socket send buffer fills, and the next publish (a snapshot of every held job, about 150 bytes each)
 * blocks in the socket write. The node must still fence itself within the fence timeout, before the broker's
 * heartbeat timeout hands its jobs to other nodes: else every job of the node runs twice.
 */
class PartitionThatStopsReadingTest extends NodeTestBase {
    /**
     * A snapshot every 500 ms of {@link #JOBS} jobs is about 1.5 MB/s: it fills the node's send buffer (autotuned up
     * to 4 MB, Linux's default tcp_wmem maximum) within about 3 s of the stall, long before the fence is due. The
     * test nodes' 200 ms would fill it sooner, but loads a shared 2-core box so much while the jobs start that
     * confirms fall behind and the node fences itself before the stall.
     */
    private static final Duration SNAPSHOT_INTERVAL = Duration.ofMillis(500);
    /** Each held job adds about 150 bytes to every snapshot. */
    private static final int JOBS = 5_000;
    /**
     * How often each handler looks at {@code isCancelled()}: short against the fence deadline's slack, and long
     * enough that thousands of handlers waking leave the two cores of a CI box to the node and the broker.
     */
    private static final Duration HANDLER_POLL = Duration.ofSeconds(1);
    /**
     * The proxy's receive buffers (Linux doubles the value): small against the node's send buffer, so that the
     * stall fills the way quickly. Not much smaller: a window of a few KB throttles the forwarding so much that the
     * snapshots fall behind while the jobs start.
     */
    private static final int PROXY_RECEIVE_BUFFER = 64 * 1024;
    /**
     * The connection heartbeat asked of the broker: it gives a silent node up after 2 to 3 heartbeats (20 to
     * 30 s), and the client notices the missing heartbeats after about two; both well after the fence.
     */
    private static final Duration BROKER_HEARTBEAT = Duration.ofSeconds(10);
    private static final Duration FENCE_TIMEOUT = OrchestratedServerBuilder.DEFAULT_FENCE_TIMEOUT;
    /**
     * The fence is due at most a fence timeout after the stall (the newest confirmed publish was sent before it);
     * the rest is slack for the check's own period and a busy box.
     */
    private static final Duration FENCE_DEADLINE = FENCE_TIMEOUT.plusSeconds(4);

    @Test
    void nodeFencesItselfWhileItsSocketIsBlocked() throws Exception {
        RabbitMqOptions direct = broker.options();
        try (TcpProxy proxy = new TcpProxy(new InetSocketAddress(direct.host(), direct.port()), 4,
                PROXY_RECEIVE_BUFFER)) {
            manager.grantAll();
            OrchestratedServer node = start(node("stalled")
                    .rabbitMq(RabbitMqOptions.of(InetAddress.getLoopbackAddress().getHostAddress(), proxy.port(),
                            direct.user(), direct.password()).withHeartbeat(BROKER_HEARTBEAT))
                    .heartbeatInterval(SNAPSHOT_INTERVAL)
                    // every snapshot full, as a node's were before partial ones, and as a busy node's still are
                    .fullReportPeriod(SNAPSHOT_INTERVAL)
                    .fenceTimeout(FENCE_TIMEOUT)
                    .maxWorkers(JOBS)
                    .handler(recorder.pollingCancellation(HANDLER_POLL)));
            broker.publishJobs("held", JOBS);
            await("all " + JOBS + " jobs running").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(recorder::runningCount, count -> count == JOBS);
            UUID incarnation = idOf(node);

            proxy.stall();

            // the handlers first: their stopping is what keeps the jobs from running twice
            await("the node fenced while its socket is blocked").atMost(FENCE_DEADLINE)
                    .pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                        assertThat(recorder.runningCount()).as("handlers still running").isZero();
                        assertThat(listener.ids("fenced")).as("fenced incarnations").contains(incarnation);
                    });
            assertThat(recorder.sawCancelCount()).as("handlers that saw their cancel").isEqualTo(JOBS);
        }
    }
}
