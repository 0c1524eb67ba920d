package io.orchestr.node.core;

import io.orchestr.shared.wire.ToManager;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What one incarnation tells the managers, published with confirms. The confirms double as the fence's proof
 * that the broker is still reachable. Engine-confined.
 */
final class Outbox {
    private static final Runnable NOTHING = () -> {
    };

    private final Session session;
    private final Clock clock;
    private final FenceWatch fence;
    private final Confirms confirms;

    Outbox(Session session, Clock clock, Duration fenceTimeout) {
        this.session = session;
        this.clock = clock;
        this.fence = new FenceWatch(fenceTimeout, clock.instant());
        this.confirms = new Confirms(fence);
    }

    /** Publishes {@code message}; {@code what} names it in logs. */
    void send(ToManager message, boolean persistent, String what) {
        send(message, persistent, what, NOTHING);
    }

    /** Publishes {@code message} and runs {@code onConfirmed} once the broker confirmed it. */
    void send(ToManager message, boolean persistent, String what, Runnable onConfirmed) {
        Instant sentAt = clock.instant();
        session.publish(message, persistent).ifPresent(seqNo -> confirms.published(seqNo, sentAt, what, onConfirmed));
    }

    void confirmed(long seqNo, boolean multiple, boolean positive) {
        confirms.confirmed(seqNo, multiple, positive);
    }

    /** Waits until the broker confirmed everything sent so far, and settles it; false when it did not in time. */
    boolean awaitAll(Duration timeout) {
        if (!session.awaitConfirms(timeout)) {
            return false;
        }
        confirms.confirmedAll();
        return true;
    }

    boolean mustFence(Instant now) {
        return fence.mustFence(now);
    }

    Duration silence(Instant now) {
        return fence.silence(now);
    }
}
