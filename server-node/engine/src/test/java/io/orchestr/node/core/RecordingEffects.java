package io.orchestr.node.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.node.JobHandler;
import io.orchestr.node.NodeListener;
import io.orchestr.node.RestartPolicy;
import io.orchestr.shared.RestartMode;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToManager.Outcome;
import io.orchestr.shared.wire.ToNode;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link JobEffects} for tests of the state machine alone: they record what the jobs asked for, in order, start
 * real runs of a handler that waits for its cancel, and run timers only when a test fires them.
 */
final class RecordingEffects implements JobEffects {
    /** Every effect and listener event, in order, in words ("claim", "end CANCELLED", "granted 3"). */
    final List<String> calls = new ArrayList<>();
    /** The monotonic time the runs' lease reads; the lease lapses after a minute of it. */
    final AtomicLong nanoTime = new AtomicLong();
    private final Lease lease = new Lease(Duration.ofMinutes(1), nanoTime::get);
    /** The runs' host; their ends are dropped: the tests end each run by hand, with the failure they choose. */
    private final Run.Host host = new Run.Host("node", UUID.randomUUID(), Clock.systemUTC(), lease, null, ended -> {
    }, ConcurrentHashMap.newKeySet());
    private final List<Timer> timers = new ArrayList<>();
    private final List<Run> runs = new ArrayList<>();
    boolean handlerKnown = true;
    boolean admitsAhead = true;

    /** A job of a fresh message, held under {@code claimId}, with {@code policy} and a cancel grace of 10 s. */
    HeldJob job(int claimId, RestartMode mode, RestartPolicy policy) {
        JobMessage message = new JobMessage(UUID.randomUUID(), "job-" + claimId, "", "default", "default", mode, null,
                null);
        return new HeldJob(message, claimId, claimId, Instant.EPOCH,
                new HeldJob.Rules(policy, Duration.ofSeconds(10)), this);
    }

    HeldJob job(int claimId) {
        return job(claimId, RestartMode.ON_FAILURE, RestartPolicy.defaults());
    }

    /** A grant of {@code job}'s claim under {@code epoch}, without a checkpoint. */
    static ToNode.Grant grant(HeldJob job, long epoch) {
        return new ToNode.Grant(job.id(), epoch, job.claimId());
    }

    /** The run started last. */
    Run lastRun() {
        return runs.getLast();
    }

    /** The delays of the timers not yet fired or cancelled, in the order they were set. */
    List<Duration> pendingTimers() {
        return timers.stream().filter(Timer::pending).map(timer -> timer.delay).toList();
    }

    /** Fires every timer pending now, as if their delays were over. */
    void fireTimers() {
        for (Timer timer : List.copyOf(timers)) {
            if (timer.pending()) {
                timer.fire();
            }
        }
    }

    /** Makes the runs' lease lapse. */
    void lapseLease() {
        nanoTime.addAndGet(Duration.ofMinutes(2).toNanos());
    }

    @Override
    public Backoff sendClaim(HeldJob job) {
        calls.add("claim");
        return Backoff.CLAIM;
    }

    @Override
    public boolean admitAhead(HeldJob job) {
        calls.add("admitAhead");
        return admitsAhead;
    }

    @Override
    public void claimOver(HeldJob job) {
        calls.add("claimOver");
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        Timer timer = new Timer(task, delay);
        timers.add(timer);
        return timer;
    }

    /** Where the runs of these tests would write: none of them does. */
    private static final OutputFiles OUTPUTS = new OutputFiles(
            Path.of(System.getProperty("java.io.tmpdir"), "orchestr-output-effects"), new OutputRetention(10, 1024));

    @Override
    public Start startRun(HeldJob job) {
        calls.add("start");
        if (!handlerKnown) {
            return new Start.NoHandler("no handler for job type 'default'");
        }
        JobHandler handler = context -> context.awaitCancellation(Duration.ofMinutes(1));
        Run run = Run.start(handler, job, host, state -> {
        }, OUTPUTS.open(job.id(), job.epoch(), job.toString()));
        runs.add(run);
        return new Start.Started(run);
    }

    @Override
    public void ack(HeldJob job) {
        calls.add("ack");
    }

    @Override
    public void handBack(HeldJob job) {
        calls.add("handBack");
    }

    @Override
    public void reportEnd(HeldJob job, Outcome outcome, String error, JsonNode result) {
        calls.add("end " + outcome + Optional.ofNullable(error).map(e -> ": " + e).orElse(""));
    }

    @Override
    public void runGone() {
        calls.add("runGone");
    }

    @Override
    public NodeListener listener() {
        return new NodeListener() {
            @Override
            public void granted(UUID jobId, long epoch) {
                calls.add("granted " + epoch);
            }

            @Override
            public void dropped(UUID jobId, String reason) {
                calls.add("dropped");
            }

            @Override
            public void jobStarted(UUID jobId, String jobName, long epoch, int restarts) {
                calls.add("started " + restarts);
            }

            @Override
            public void jobEnded(UUID jobId, Outcome outcome, String error) {
                calls.add("ended");
            }

            @Override
            public void jobHandedBack(UUID jobId, String reason) {
                calls.add("handed back");
            }
        };
    }

    /** A timer that runs only when a test fires it. */
    private static final class Timer implements ScheduledFuture<Void> {
        private final Runnable task;
        private final Duration delay;
        private boolean cancelled;
        private boolean fired;

        Timer(Runnable task, Duration delay) {
            this.task = task;
            this.delay = delay;
        }

        boolean pending() {
            return !cancelled && !fired;
        }

        void fire() {
            fired = true;
            task.run();
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean wasPending = pending();
            cancelled = true;
            return wasPending;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return !pending();
        }

        @Override
        public Void get() {
            return null;
        }

        @Override
        public Void get(long timeout, TimeUnit unit) {
            return null;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(delay);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }
}
