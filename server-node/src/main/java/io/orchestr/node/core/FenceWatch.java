package io.orchestr.node.core;

import java.time.Duration;
import java.time.Instant;

/**
 * Decides when a node must fence itself. A publish the broker confirmed proves the node still reached the broker
 * when it sent it; when the newest such proof is older than the fence timeout, the node may be cut off, the
 * broker will soon requeue its jobs for other nodes, and the node must stop them first. Engine-confined.
 */
final class FenceWatch {
    private final Duration timeout;
    private Instant lastProof;

    /** {@code start}: when the incarnation last proved it reaches the broker (its first confirmed snapshot). */
    FenceWatch(Duration timeout, Instant start) {
        this.timeout = timeout;
        this.lastProof = start;
    }

    /** A publish sent at {@code sentAt} was confirmed. */
    void proved(Instant sentAt) {
        if (sentAt.isAfter(lastProof)) {
            lastProof = sentAt;
        }
    }

    /** How long ago the newest confirmed publish was sent. */
    Duration silence(Instant now) {
        return Duration.between(lastProof, now);
    }

    boolean mustFence(Instant now) {
        return silence(now).compareTo(timeout) > 0;
    }
}
