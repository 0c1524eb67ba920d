package io.orchestr.bench;

import io.orchestr.shared.wire.ToManager;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A job message a {@link SimulatedNode} holds unacked: claiming it, or "running" it once granted, which here means
 * only that the entry says so (no handler). Confined to its node's connection thread.
 */
final class SimulatedJob {
    /** A claim in a batch that got no answer is sent again after 10 s, doubling to 60 s, as a real node does. */
    private static final Duration UNANSWERED_FIRST = Duration.ofSeconds(10);
    private static final Duration UNANSWERED_MAX = Duration.ofSeconds(60);
    /** A claim answered "wait" is sent again after 200 ms, doubling to 5 s. */
    private static final Duration WAIT_FIRST = Duration.ofMillis(200);
    private static final Duration WAIT_MAX = Duration.ofSeconds(5);

    final UUID id;
    final long deliveryTag;
    /** The node's id for this delivery, which every reply names. */
    final long claimId;
    /** When the node received it, and once granted when it "started": what a real node reports as its heartbeat. */
    Instant since;
    long epoch;
    boolean running;
    /** The entry changed since the node last reported it, so the next partial report lists it. */
    boolean news = true;
    /** Waiting in the node's next claims batch. */
    boolean unsent;
    /** Counts the claims sent, so that a repeat timer armed for an earlier one does nothing. */
    int claimsSent;
    private int waits;

    SimulatedJob(UUID id, long deliveryTag, long claimId, Instant since) {
        this.id = id;
        this.deliveryTag = deliveryTag;
        this.claimId = claimId;
        this.since = since;
    }

    /** Whether a reply naming {@code claim} is about this delivery (0: from a peer without claim ids, any copy). */
    boolean answers(Long claim) {
        return claim == null || claim == 0 || claim == claimId;
    }

    Duration unansweredRepeat() {
        return backoff(UNANSWERED_FIRST, UNANSWERED_MAX, claimsSent - 1);
    }

    Duration waitRepeat() {
        return backoff(WAIT_FIRST, WAIT_MAX, waits++);
    }

    ToManager.SnapshotEntry toWire() {
        ToManager.HeldState state = running ? ToManager.HeldState.RUNNING : ToManager.HeldState.CLAIMING;
        return new ToManager.SnapshotEntry(id, epoch, state, since, 0, null);
    }

    private static Duration backoff(Duration first, Duration max, int attempt) {
        Duration delay = first;
        for (int i = 0; i < attempt && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) < 0 ? delay : max;
    }
}
