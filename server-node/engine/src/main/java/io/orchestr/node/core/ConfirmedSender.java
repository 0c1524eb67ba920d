package io.orchestr.node.core;

import io.orchestr.node.NodeListener;
import io.orchestr.shared.wire.ToManager;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * What one incarnation tells the managers, published with confirms. The confirms double as the {@link Lease}'s
 * proof that the broker is still reachable. Engine-confined, except {@link #confirmed}.
 */
final class ConfirmedSender {
    private static final Runnable NOTHING = () -> {
    };

    private final Session session;
    private final Lease lease;
    private final Confirms confirms;

    /** {@code engine} runs what a confirm calls for on the engine thread; {@code listener} hears the latencies. */
    ConfirmedSender(Session session, Lease lease, Executor engine, NodeListener listener) {
        this.session = session;
        this.lease = lease;
        this.confirms = new Confirms(lease, engine, listener);
    }

    /** Publishes {@code message}; {@code what} names it in logs. */
    void send(ToManager message, Session.Delivery delivery, String what) {
        send(message, delivery, what, NOTHING);
    }

    /** Publishes {@code message} and runs {@code onConfirmed} on the engine thread once the broker confirmed it. */
    void send(ToManager message, Session.Delivery delivery, String what, Runnable onConfirmed) {
        long seqNo = session.nextPublishSeqNo();
        confirms.published(seqNo, lease.now(), what, onConfirmed);
        if (!session.publish(message, delivery)) {
            confirms.forget(seqNo);
        }
    }

    /** Thread-safe: called on the broker client's thread. */
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
}
