package io.orchestr.node.core;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.orchestr.node.CheckpointException;
import io.orchestr.node.NodeListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A checkpoint that cannot be stored fails at once instead of at its timeout: the run is fenced, or its
 * incarnation is gone. No sender is needed: nothing may be sent in either case.
 */
class CheckpointsTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(1);
    private final Loop loop = new Loop("checkpoints-test");
    private final Checkpoints checkpoints = new Checkpoints(UUID.randomUUID(), null, loop, TIMEOUT,
            new NodeListener() {
            });
    private final HeldJob job = new RecordingEffects().job(1);

    @AfterEach
    void stopLoop() {
        loop.shutdown(Duration.ofSeconds(1));
    }

    @Test
    void aFencedRunsCheckpointIsRefusedAtOnceWithoutBeingSent() {
        AtomicLong nanos = new AtomicLong();
        Lease lease = new Lease(Duration.ofSeconds(6), nanos::get);
        nanos.addAndGet(Duration.ofSeconds(7).toNanos());
        long started = System.nanoTime();

        assertThatThrownBy(() -> checkpoints.store(job, 1, lease, JsonNodeFactory.instance.numberNode(1)))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("lapsed")
                .hasMessageContaining("the run is fenced");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT.dividedBy(2));
    }

    @Test
    void aCheckpointOfAGoneIncarnationFailsAtOnceSayingWhy() throws Exception {
        loop.call(() -> {
            checkpoints.abandon("the broker closed the connection");
            return null;
        });
        long started = System.nanoTime();

        assertThatThrownBy(() -> checkpoints.store(job, 1, new Lease(Duration.ofSeconds(6)),
                JsonNodeFactory.instance.numberNode(1)))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("not stored: the node's connection is gone (the broker closed the connection)");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT.dividedBy(2));
    }
}
