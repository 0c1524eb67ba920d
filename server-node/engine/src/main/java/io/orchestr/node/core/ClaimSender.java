package io.orchestr.node.core;

import io.orchestr.shared.wire.ToManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Sends an incarnation's claims: one message per claim to managers that predate batches, and one {@link
 * ToManager.Claims} batch for every job received since the last one once a manager's reply named a claim id (which
 * only managers that decide batches do). Batches are self-clocked: at most {@value #BATCHES_IN_FLIGHT} are
 * unanswered at a time, and each answer sends the next, so a burst of deliveries (a failover onto this node) goes
 * out in a few large batches rather than a flood of small ones. Engine-confined.
 */
final class ClaimSender {
    private static final Logger LOG = LoggerFactory.getLogger(ClaimSender.class);
    /** As many as a manager decides at once (its claim lanes). */
    static final int BATCHES_IN_FLIGHT = 4;
    /**
     * A batch unanswered this long no longer holds back the next; its claims repeat on their own timers. As long
     * as their first repeat: under a backlog, freeing the place sooner only sent more small batches.
     */
    private static final Duration ANSWER_TIMEOUT = Backoff.UNANSWERED_BATCH.first();
    /**
     * How long a batch sent while none is unanswered waits for more deliveries: the broker hands a dead node's
     * hundreds of messages over within about 10 ms, one by one, and without the wait the first batch of the burst
     * held one job.
     */
    private static final Duration LINGER = Duration.ofMillis(2);

    private final UUID nodeId;
    private final ConfirmedSender sender;
    private final Loop loop;
    private final Predicate<HeldJob> stillClaiming;
    private final Deque<HeldJob> unsent = new ArrayDeque<>();
    private final Set<Long> inFlight = new HashSet<>();
    private boolean batches;
    private boolean flushPosted;
    private long lastBatch;

    ClaimSender(UUID nodeId, ConfirmedSender sender, Loop loop, Predicate<HeldJob> stillClaiming) {
        this.nodeId = nodeId;
        this.sender = sender;
        this.loop = loop;
        this.stillClaiming = stillClaiming;
    }

    /** True once a manager showed it decides batches. */
    boolean batches() {
        return batches;
    }

    /** A manager's reply named a claim id: from now on claims go in batches. */
    void batchesUnderstood() {
        if (!batches) {
            batches = true;
            LOG.debug("The managers decide claims in batches: node {} sends its claims in batches from now on", nodeId);
        }
    }

    /** Claims {@code job}: now, or with the next batch. */
    void send(HeldJob job) {
        if (!batches) {
            sender.send(new ToManager.Claim(job.id(), nodeId, job.claimId()), Session.Delivery.DURABLE,
                    "claim of " + job);
            return;
        }
        unsent.add(job);
        flushSoon();
    }

    /** The managers answered batch {@code batch}. */
    void answered(long batch) {
        if (inFlight.remove(batch)) {
            flushSoon();
        }
    }

    private void flushSoon() {
        // never run now: the deliveries already waiting on the engine thread, or arriving within the linger, join
        if (!flushPosted && !unsent.isEmpty() && inFlight.size() < BATCHES_IN_FLIGHT) {
            flushPosted = true;
            if (inFlight.isEmpty()) {
                loop.schedule(this::flush, LINGER);
            } else {
                loop.post(this::flush);
            }
        }
    }

    private void flush() {
        flushPosted = false;
        List<ToManager.Claimed> claims = new ArrayList<>();
        while (claims.size() < ToManager.Claims.MAX && !unsent.isEmpty()) {
            HeldJob job = unsent.poll();
            if (stillClaiming.test(job)) {
                claims.add(new ToManager.Claimed(job.id(), job.claimId()));
            }
        }
        if (claims.isEmpty()) {
            return;
        }
        long batch = ++lastBatch;
        inFlight.add(batch);
        sender.send(new ToManager.Claims(nodeId, batch, claims), Session.Delivery.CLAIM,
                "batch " + batch + " of " + claims.size() + " claims");
        LOG.debug("Claimed {} jobs in batch {}", claims.size(), batch);
        loop.schedule(() -> answered(batch), ANSWER_TIMEOUT);
        flushSoon();
    }
}
