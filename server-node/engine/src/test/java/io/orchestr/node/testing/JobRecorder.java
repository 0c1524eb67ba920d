package io.orchestr.node.testing;

import io.orchestr.node.JobContext;
import io.orchestr.node.JobHandler;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Handlers for tests that record every run: who ran which job, under which epoch, and how it ended. */
public final class JobRecorder {
    public record Start(UUID jobId, String jobName, long epoch, UUID nodeId, String nodeName) {
    }

    private final List<Start> starts = new CopyOnWriteArrayList<>();
    private final Set<UUID> running = ConcurrentHashMap.newKeySet();
    private final Set<UUID> sawCancel = ConcurrentHashMap.newKeySet();
    private final Set<UUID> interrupted = ConcurrentHashMap.newKeySet();
    private final Map<UUID, AtomicInteger> runs = new ConcurrentHashMap<>();

    /** Runs until cancelled, as a long-running job should. */
    public JobHandler untilCancelled() {
        return ctx -> record(ctx, () -> {
            while (!ctx.awaitCancellation(Duration.ofMinutes(1))) {
                ctx.heartbeat();
            }
            if (ctx.isCancelled()) {
                sawCancel.add(ctx.jobId());
            }
        });
    }

    /**
     * Runs until cancelled, looking at {@code isCancelled()} every {@code period}, as a handler working in steps
     * does; it sees a stop even if nothing wakes {@code awaitCancellation}.
     */
    public JobHandler pollingCancellation(Duration period) {
        return ctx -> record(ctx, () -> {
            while (!ctx.isCancelled()) {
                ctx.awaitCancellation(period);
            }
            sawCancel.add(ctx.jobId());
        });
    }

    /** Runs until cancelled without ever calling {@code heartbeat()}: hung, as a heartbeat timeout sees it. */
    public JobHandler silent() {
        return ctx -> record(ctx, () -> {
            if (ctx.awaitCancellation(Duration.ofMinutes(5))) {
                sawCancel.add(ctx.jobId());
            }
        });
    }

    /** Ignores cancellation and blocks until interrupted. */
    public JobHandler ignoringCancel() {
        return ctx -> record(ctx, () -> {
            try {
                new CountDownLatch(1).await(); // nothing counts it down: only an interrupt ends the wait
            } catch (InterruptedException e) {
                interrupted.add(ctx.jobId());
            }
        });
    }

    /** Throws at once, every run. */
    public JobHandler throwing(String message) {
        return ctx -> record(ctx, () -> {
            throw new IllegalStateException(message);
        });
    }

    /** Returns at once. */
    public JobHandler returning() {
        return ctx -> record(ctx, () -> {
        });
    }

    public List<Start> starts() {
        return List.copyOf(starts);
    }

    public List<Start> starts(UUID jobId) {
        return starts.stream().filter(s -> s.jobId().equals(jobId)).toList();
    }

    public boolean isRunning(UUID jobId) {
        return running.contains(jobId);
    }

    public int runningCount() {
        return running.size();
    }

    /** Runs that ended because they saw their cancel, over the test. */
    public int sawCancelCount() {
        return sawCancel.size();
    }

    public boolean sawCancel(UUID jobId) {
        return sawCancel.contains(jobId);
    }

    public boolean wasInterrupted(UUID jobId) {
        return interrupted.contains(jobId);
    }

    /** Runs of {@code jobId} under way at once right now; more than one would be a double run. */
    public int concurrentRuns(UUID jobId) {
        return runs.getOrDefault(jobId, new AtomicInteger()).get();
    }

    private interface Body {
        void run() throws Exception;
    }

    private void record(JobContext ctx, Body body) throws Exception {
        starts.add(new Start(ctx.jobId(), ctx.jobName(), ctx.epoch(), ctx.nodeId(), ctx.nodeName()));
        running.add(ctx.jobId());
        AtomicInteger concurrent = runs.computeIfAbsent(ctx.jobId(), id -> new AtomicInteger());
        if (concurrent.incrementAndGet() > 1) {
            throw new AssertionError("job " + ctx.jobName() + " runs twice at once");
        }
        try {
            body.run();
        } finally {
            concurrent.decrementAndGet();
            running.remove(ctx.jobId());
        }
    }
}
