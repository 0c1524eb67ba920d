package io.orchestr.manager.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Lets concurrent callers share one unit of work: each submits its item and waits; one of them at a time leads,
 * takes what is waiting (at most {@code maxGroup}) and runs the group through one call, and goes on with the next
 * group until its own item is done. Under load a group is whatever arrived while the previous one was being done,
 * so the cost of a commit and a confirm wait is shared by all of them, while a lone caller runs at once, alone. A
 * waiter whose item no leader has taken yet tries to lead every {@link #LEAD_CHECK_MILLIS} ms, so that a leader
 * that is done with its own item never serves the others for long. Thread-safe.
 *
 * @param <T> what a caller submits
 * @param <R> what it gets back
 */
final class GroupCommit<T, R> {
    /** What one item of a group came to: a result, or the exception its caller gets. */
    record Outcome<R>(R result, RuntimeException failure) {
        static <R> Outcome<R> of(R result) {
            return new Outcome<>(result, null);
        }

        static <R> Outcome<R> failed(RuntimeException failure) {
            return new Outcome<>(null, failure);
        }
    }

    private record Pending<T, R>(T item, CompletableFuture<Outcome<R>> outcome) {
    }

    private static final long LEAD_CHECK_MILLIS = 2;

    private final int maxGroup;
    private final Function<List<T>, List<Outcome<R>>> work;
    private final Queue<Pending<T, R>> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean leading = new AtomicBoolean();

    /** {@code work} gets a group and returns one outcome per item, in order. */
    GroupCommit(int maxGroup, Function<List<T>, List<Outcome<R>>> work) {
        this.maxGroup = maxGroup;
        this.work = work;
    }

    /** Runs {@code item} with the group it falls into and returns its result, or throws its failure. */
    R submit(T item) {
        Pending<T, R> pending = new Pending<>(item, new CompletableFuture<>());
        waiting.add(pending);
        Outcome<R> outcome;
        try {
            while (true) {
                if (leading.compareAndSet(false, true)) {
                    try {
                        drainUntilDone(pending);
                    } finally {
                        leading.set(false);
                    }
                }
                try {
                    outcome = pending.outcome().get(LEAD_CHECK_MILLIS, TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException e) {
                    // no leader took it yet: try to lead
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a group commit", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        }
        if (outcome.failure() != null) {
            throw outcome.failure();
        }
        return outcome.result();
    }

    /** How many items wait for a leader to take them. */
    int waitingCount() {
        return waiting.size();
    }

    private void drainUntilDone(Pending<T, R> own) {
        for (List<Pending<T, R>> group = take(); !group.isEmpty(); group = own.outcome().isDone() ? List.of() : take()) {
            try {
                List<Outcome<R>> outcomes = work.apply(group.stream().map(Pending::item).toList());
                for (int i = 0; i < group.size(); i++) {
                    group.get(i).outcome().complete(outcomes.get(i));
                }
            } catch (RuntimeException e) {
                group.forEach(pending -> pending.outcome().completeExceptionally(e));
            }
        }
    }

    private List<Pending<T, R>> take() {
        List<Pending<T, R>> group = new ArrayList<>();
        for (Pending<T, R> next; group.size() < maxGroup && (next = waiting.poll()) != null; ) {
            group.add(next);
        }
        return group;
    }
}
