package io.orchestr.node.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * An incarnation's right to run jobs, proved by the broker's confirms. A publish the broker confirmed proves the
 * node still reached the broker when it sent it; once the newest such proof is older than the fence timeout, the
 * node may be cut off, the broker will soon requeue its jobs for other nodes, and every run must stop first. Once
 * lapsed, a lease stays lapsed: the incarnation is over.
 *
 * <p>While the broker blocks the connection (a memory or disk alarm) the lease does not run out: the broker stops
 * reading from a blocked connection and pauses its heartbeat monitor for it, so it requeues nothing while the
 * alarm lasts, and the node's confirms are merely late. The client still receives the broker's heartbeats then, and
 * closes the connection itself when they stop, which ends the incarnation. When the broker unblocks the connection
 * its monitor starts again, and so does the lease, from that moment.
 *
 * <p>Measured on the monotonic clock ({@code System.nanoTime()}), so that a step of the wall clock neither delays
 * nor hastens the fence. Thread-safe: confirms renew it on the broker client's thread, handlers read it on their
 * own threads and the {@link FenceWatchdog} on its own, so that none of them waits for the engine thread.
 */
final class Lease {
    /** How often the watchdog looks at the lease: the fence fires at most this late. */
    static final Duration CHECK_PERIOD = Duration.ofMillis(100);
    /**
     * Kept free between the latest fence and the broker's earliest requeue (two negotiated heartbeats after the
     * last byte it received from the node), for the time the fence takes to interrupt the runs.
     */
    static final Duration MARGIN = Duration.ofMillis(500);
    /**
     * The shortest fence timeout a node takes: five proof periods ({@link LeaseProofs#PERIOD}). A shorter one would
     * fire whenever the machine or the broker is slow for a moment.
     */
    static final Duration SHORTEST = LeaseProofs.PERIOD.multipliedBy(5);

    private final long timeoutNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong lastProof;
    private volatile boolean lapsed;
    private volatile boolean blocked;

    /** A lease proved now, on the system's monotonic clock. */
    Lease(Duration timeout) {
        this(timeout, System::nanoTime);
    }

    Lease(Duration timeout, LongSupplier nanoTime) {
        this.timeoutNanos = timeout.toNanos();
        this.nanoTime = nanoTime;
        this.lastProof = new AtomicLong(nanoTime.getAsLong());
    }

    /** The longest fence timeout that still fences before a broker with this heartbeat requeues the node's jobs. */
    static Duration latestSafeFence(Duration brokerHeartbeat) {
        return brokerHeartbeat.multipliedBy(2).minus(CHECK_PERIOD).minus(MARGIN);
    }

    /**
     * The configured fence timeout, or a shorter one when the broker negotiated a heartbeat lower than the node
     * asked for: the broker gives a silent connection up two to three heartbeats after the last byte it received,
     * and the node must have stopped its jobs by then. Heartbeats are whole seconds, so the shortest this gives, 1.4
     * s for a 1 s heartbeat, is still above {@link #SHORTEST}.
     *
     * @param heartbeat the negotiated connection heartbeat, zero for none
     */
    static Duration timeoutFor(Duration configured, Duration heartbeat) {
        if (heartbeat.isZero() || configured.compareTo(latestSafeFence(heartbeat)) <= 0) {
            return configured;
        }
        return latestSafeFence(heartbeat);
    }

    /** The monotonic time now, as the lease reads it; publishes record it as their sending time. */
    long now() {
        return nanoTime.getAsLong();
    }

    /** A publish sent at {@code sentNanos} was confirmed (a late confirm proves no more than its sending time). */
    void proved(long sentNanos) {
        lastProof.accumulateAndGet(sentNanos, (last, sent) -> sent - last > 0 ? sent : last);
    }

    /** The broker blocked the connection: the lease holds until it unblocks it. */
    void blocked() {
        blocked = true;
    }

    /** The broker unblocked the connection: its heartbeat monitor, and the lease, start again from now. */
    void unblocked() {
        proved(now());
        blocked = false;
    }

    /** True while the broker blocks the connection. */
    boolean isBlocked() {
        return blocked;
    }

    /** True once the lease ran out; from then on for good. */
    boolean lapsed() {
        if (!lapsed && !blocked && now() - lastProof.get() > timeoutNanos) {
            lapsed = true;
        }
        return lapsed;
    }

    /** How long until the lease runs out unless renewed; zero or less when it has. */
    long remainingNanos() {
        if (blocked && !lapsed) {
            return timeoutNanos;
        }
        return lapsed ? 0 : lastProof.get() + timeoutNanos - now();
    }

    /** How long ago the newest confirmed publish was sent. */
    Duration silence() {
        return Duration.ofNanos(now() - lastProof.get());
    }
}
