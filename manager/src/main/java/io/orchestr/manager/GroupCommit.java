package io.orchestr.manager;

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
import java.util.function.Supplier;

/**
 * Lets concurrent callers share one unit of work: each submits its item and waits; one of them at a time leads,
 * takes what is waiting (at most {@code maxGroup}) and runs the group's first phase (a commit, say), lets go of the
 * lead, and then runs the group's second phase (a confirm wait, say) while the next leader already runs the next
 * group's first phase. Under load a group is whatever arrived while the previous first phase ran, so its cost is
 * shared by all of them, while a lone caller runs at once, alone. A waiter whose item no leader has taken yet
 * tries to lead every {@link #LEAD_CHECK_MILLIS} ms. Thread-safe.
 *
 * @param <T> what a caller submits
 * @param <R> what it gets back
 */
public final class GroupCommit<T, R> {
    /** What one item of a group came to: a result, or the exception its caller gets. */
    public record Result<R>(R result, RuntimeException failure) {
        public static <R> Result<R> of(R result) {
            return new Result<>(result, null);
        }

        public static <R> Result<R> failed(RuntimeException failure) {
            return new Result<>(null, failure);
        }
    }

    private record Pending<T, R>(T item, CompletableFuture<Result<R>> outcome) {
    }

    private static final long LEAD_CHECK_MILLIS = 2;

    private final int maxGroup;
    private final Function<List<T>, Supplier<List<Result<R>>>> work;
    private final Queue<Pending<T, R>> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean leading = new AtomicBoolean();

    /**
     * {@code work} runs a group's first phase and returns its second, which returns one outcome per item, in
     * order.
     */
    public GroupCommit(int maxGroup, Function<List<T>, Supplier<List<Result<R>>>> work) {
        this.maxGroup = maxGroup;
        this.work = work;
    }

    /** Runs {@code item} with the group it falls into and returns its result, or throws its failure. */
    public R submit(T item) {
        Pending<T, R> pending = new Pending<>(item, new CompletableFuture<>());
        waiting.add(pending);
        Result<R> outcome;
        try {
            while (true) {
                if (leading.compareAndSet(false, true)) {
                    leadOneGroup();
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

    private void leadOneGroup() {
        List<Pending<T, R>> group = List.of();
        Supplier<List<Result<R>>> secondPhase = null;
        try {
            group = take();
            if (!group.isEmpty()) {
                secondPhase = work.apply(group.stream().map(Pending::item).toList());
            }
        } catch (RuntimeException e) {
            group.forEach(pending -> pending.outcome().completeExceptionally(e));
        } finally {
            leading.set(false);
        }
        if (secondPhase != null) {
            try {
                List<Result<R>> outcomes = secondPhase.get();
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
