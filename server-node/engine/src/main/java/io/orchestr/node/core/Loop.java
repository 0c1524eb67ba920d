package io.orchestr.node.core;

import io.orchestr.node.NodeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The engine thread: every task of the node's bookkeeping runs here, one at a time, so the state it touches
 * needs no locks. A task that throws is logged and does not stop later tasks. Safe to call from any thread.
 */
final class Loop {
    private static final Logger LOG = LoggerFactory.getLogger(Loop.class);

    private final ScheduledThreadPoolExecutor executor;

    Loop(String nodeName) {
        executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "orchestr-node-" + nodeName);
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        // timers left at shutdown (claim resends, restarts, grace checks) belong to a node that is gone
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Runs {@code task} soon. Dropped quietly once the loop has shut down: the node is gone by then. */
    void post(Runnable task) {
        try {
            executor.execute(guarded(task));
        } catch (RejectedExecutionException e) {
            LOG.debug("Node loop is shut down; dropped a late event");
        }
    }

    /** Runs {@code task} after {@code delay}; cancel the returned future to call it off. */
    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return executor.schedule(guarded(task), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Runs {@code task} every {@code period}, the first time after one period. */
    ScheduledFuture<?> every(Runnable task, Duration period) {
        return executor.scheduleAtFixedRate(guarded(task), period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Runs {@code task} on the loop and waits for its result; what it throws is thrown here. Not from the loop. */
    <T> T call(Callable<T> task) throws Exception {
        Future<T> result = executor.submit(task);
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeException("interrupted while waiting for the node's engine thread", e);
        }
    }

    /** Lets queued tasks finish (for at most {@code timeout}) and stops the thread. */
    void shutdown(Duration timeout) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.error("Node engine task failed; the node carries on", e);
            }
        };
    }
}
