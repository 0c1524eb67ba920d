package io.orchestr.node.core;

import io.orchestr.shared.wire.ToManager;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Bounds the claims a node has in flight. A node holds up to its slots in messages, and repeats every unanswered
 * claim; with thousands of messages arriving at once (a bulk creation, a failover onto a big node) the repeats
 * came in faster than the managers decided them, and the manager queue grew without end. Messages beyond the
 * window stay held, unclaimed, until a claim in flight is answered. Engine-confined.
 */
final class ClaimWindow {
    /**
     * Several times what a manager decides at once (4 lanes), so that the managers never run dry; small enough
     * that a backlog of claims and their repeats stays short.
     */
    static final int SIZE = 64;
    /** In flight while claims go in batches: as many full batches as the node sends unanswered. */
    static final int BATCHED = ClaimSender.BATCHES_IN_FLIGHT * ToManager.Claims.MAX;

    private int size;
    private final Set<HeldJob> inFlight = new HashSet<>();
    private final Deque<HeldJob> waiting = new ArrayDeque<>();

    ClaimWindow(int size) {
        this.size = size;
    }

    /** True when {@code job} may be claimed now; otherwise it waits for a free place. */
    boolean admit(HeldJob job) {
        if (inFlight.size() < size) {
            inFlight.add(job);
            return true;
        }
        waiting.add(job);
        return false;
    }

    /**
     * Raises the window to {@code newSize} and returns the waiting jobs that {@code stillClaiming} accepts and that
     * now fit, in flight.
     */
    List<HeldJob> widen(int newSize, Predicate<HeldJob> stillClaiming) {
        size = Math.max(size, newSize);
        List<HeldJob> admitted = new ArrayList<>();
        while (inFlight.size() < size && !waiting.isEmpty()) {
            HeldJob next = waiting.poll();
            if (stillClaiming.test(next)) {
                inFlight.add(next);
                admitted.add(next);
            }
        }
        return admitted;
    }

    /**
     * Puts {@code job} in flight now, ahead of the jobs waiting (a cancel must be decided at once).
     *
     * @return false when it was in flight already
     */
    boolean admitNow(HeldJob job) {
        waiting.remove(job);
        return inFlight.add(job);
    }

    /**
     * {@code job}'s claim is over (granted, dropped, handed back). Returns the next waiting job that {@code
     * stillClaiming} accepts, now in flight; waiting jobs it rejects (handed back meanwhile) are forgotten.
     */
    Optional<HeldJob> release(HeldJob job, Predicate<HeldJob> stillClaiming) {
        if (!inFlight.remove(job) || inFlight.size() >= size) { // over-full after an admitNow
            return Optional.empty();
        }
        for (HeldJob next = waiting.poll(); next != null; next = waiting.poll()) {
            if (stillClaiming.test(next)) {
                inFlight.add(next);
                return Optional.of(next);
            }
        }
        return Optional.empty();
    }
}
