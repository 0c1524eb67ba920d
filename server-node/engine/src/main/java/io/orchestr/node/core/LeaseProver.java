package io.orchestr.node.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends the current incarnation's {@link LeaseProofs} on a platform thread of its own: neither the engine thread,
 * which may be busy or blocked in a publish, nor the {@link FenceWatchdog}'s, which a publish blocked in a partition
 * must never hold up. Thread-safe.
 */
final class LeaseProver {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseProver.class);
    /** How often the prover looks whether a proof is due: half the proof period, so none is late by more. */
    private static final long CHECK_NANOS = LeaseProofs.PERIOD.toNanos() / 2;

    private final ScheduledExecutorService timer;
    private final AtomicReference<Incarnation> watched = new AtomicReference<>();

    LeaseProver(String nodeName) {
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "orchestr-lease-" + nodeName);
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::prove, CHECK_NANOS, CHECK_NANOS, TimeUnit.NANOSECONDS);
    }

    /** From now on proves {@code incarnation}'s lease; null proves nothing. */
    void watch(Incarnation incarnation) {
        watched.set(incarnation);
    }

    void shutdown() {
        timer.shutdownNow();
    }

    private void prove() {
        Incarnation incarnation = watched.get();
        try {
            if (incarnation != null) {
                incarnation.proveLease();
            }
        } catch (RuntimeException e) {
            // a failed task would end the schedule, and with it every later proof: the node would fence for nothing
            LOG.warn("Could not prove the node's lease to the broker this time; trying again shortly", e);
        }
    }
}
