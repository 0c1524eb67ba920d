package io.orchestr.node.core;

import io.orchestr.node.JobHandler;
import io.orchestr.node.NodeListener;
import io.orchestr.node.NodeSettings;
import io.orchestr.node.RestartPolicy;
import io.orchestr.node.RestartPolicy.Ending;
import io.orchestr.shared.wire.ToManager.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Starts, restarts and stops the handler runs of one incarnation's granted jobs, stops runs that went silent past
 * their job's heartbeat timeout, and decides what the end of a run means: a restart under the same grant, an end
 * for good, or the hand-back or cancel it was asked for. Engine-confined, except {@link #stopAllAtOnce}.
 */
final class Runs {
    private static final Logger LOG = LoggerFactory.getLogger(Runs.class);
    private static final int MAX_ERROR_LENGTH = 1_000;
    private static final Duration MIN_ZOMBIE_CHECK = Duration.ofSeconds(1);

    private final Incarnation owner;
    private final NodeSettings settings;
    private final Loop loop;
    private final NodeListener listener;
    /** The runs whose thread has not ended; shared with the fence watchdog. */
    private final Set<Run> alive = ConcurrentHashMap.newKeySet();

    Runs(Incarnation owner, NodeSettings settings, Loop loop, NodeListener listener) {
        this.owner = owner;
        this.settings = settings;
        this.loop = loop;
        this.listener = listener;
    }

    /** Runs a freshly granted job, or fails it when no handler knows its type. */
    void start(HeldJob job) {
        JobHandler handler = settings.handlers().get(job.message.type());
        if (handler == null) {
            owner.end(job, Outcome.FAILED, "no handler for job type '" + job.message.type() + "' on node '"
                    + settings.name() + "', which knows " + new TreeSet<>(settings.handlers().keySet()));
            return;
        }
        job.phase = HeldJob.Phase.RUNNING;
        launch(job, handler);
    }

    /**
     * The user cancelled the granted job: ask its handler to stop, interrupt it after the grace, then ack. A job
     * still being claimed is the incarnation's to settle with its claim.
     */
    void cancel(HeldJob job) {
        if (job.stopCause == HeldJob.StopCause.CANCEL) {
            return; // cancelling already: the managers send the cancel again until the end reaches them
        }
        switch (job.phase) {
            case RUNNING, STOPPING -> {
                job.stopCause = HeldJob.StopCause.CANCEL;
                job.phase = HeldJob.Phase.STOPPING;
                job.cancelTimer();
                if (job.run == null) {
                    owner.end(job, Outcome.CANCELLED, null);
                    return;
                }
                LOG.info("Cancelling {} under epoch {}: asked its handler to stop", job, job.epoch);
                Run run = job.run;
                run.cancel();
                loop.schedule(() -> {
                    if (job.run == run && run.isAlive()) {
                        LOG.warn("The handler of {} did not return within {} of its cancel: interrupting its thread",
                                job, Durations.brief(settings.cancelGrace()));
                        run.interrupt();
                    }
                }, settings.cancelGrace());
            }
            case CLAIMING, ENDING -> {
            }
        }
    }

    /** A newer grant exists elsewhere: stop at once and hand the message back. */
    void stop(HeldJob job, String reason) {
        switch (job.phase) {
            case CLAIMING -> owner.handBack(job, reason);
            case RUNNING -> {
                job.stopCause = HeldJob.StopCause.STOP;
                job.phase = HeldJob.Phase.STOPPING;
                job.cancelTimer();
                if (job.run == null) {
                    owner.handBack(job, reason);
                } else {
                    LOG.info("Stopping {} under epoch {} at once: {}", job, job.epoch, reason);
                    watchAfterStop(job, job.run, reason);
                }
            }
            case STOPPING, ENDING -> {
            }
        }
    }

    /** The node closes: ask the handler to stop; the incarnation hands the message back afterwards. */
    void stopForClose(HeldJob job) {
        if (job.phase == HeldJob.Phase.RUNNING) {
            job.stopCause = HeldJob.StopCause.CLOSE;
            job.phase = HeldJob.Phase.STOPPING;
            if (job.run != null) {
                LOG.info("Stopping {} under epoch {}: the node is closing", job, job.epoch);
                job.run.cancel();
            }
        }
    }

    /**
     * The lease lapsed: asks every run to stop and interrupts it, from the fence watchdog's thread, without waiting
     * for the engine thread. Thread-safe.
     */
    void stopAllAtOnce() {
        alive.forEach(Run::stopAtOnce);
    }

    /** The job's delivery is dead (fence, lost connection): stop the handler at once, nothing to ack. */
    void abandon(HeldJob job, String why) {
        if (job.run != null) {
            LOG.info("Stopped {} under epoch {} at once: {}", job, job.epoch, why);
            watchAfterStop(job, job.run, why);
        }
    }

    /**
     * Called at every heartbeat tick: a run of a job with a heartbeat timeout that has not called
     * {@code heartbeat()} (or started) within it is hung. It is stopped at once, and its end counts as a failure,
     * which the restart policy answers as it answers a throw. The restart waits for that end, so a handler that
     * ignores its cancellation keeps its slot and never runs twice at once.
     */
    void checkHeartbeat(HeldJob job) {
        Duration timeout = job.message.heartbeatTimeout();
        Run run = job.run;
        if (timeout == null || run == null || job.phase != HeldJob.Phase.RUNNING || job.hang != null
                || run.sinceHeartbeat().compareTo(timeout) < 0) {
            return;
        }
        job.hang = "no heartbeat for " + Durations.brief(timeout);
        job.lastError = job.hang;
        LOG.warn("The handler of {} under epoch {} sent no heartbeat for {}, its job's heartbeat timeout: stopping it"
                + " as hung; its end counts as a failure", job, job.epoch, Durations.brief(timeout));
        job.stopRunAtOnce();
        whenAliveAfterGrace(run, grace -> LOG.warn("The handler of {} ignores its cancellation: it still runs {} after"
                + " it was stopped as hung. It keeps its slot, and the job restarts only once it returns", job,
                Durations.brief(grace)));
    }

    /** Stops the run at once, and warns if it still runs a grace later: it may then run twice. */
    private void watchAfterStop(HeldJob job, Run run, String why) {
        job.stopRunAtOnce();
        whenAliveAfterGrace(run, grace -> LOG.warn("The handler of {} still runs {} after it was stopped ({}): it"
                + " ignores interrupts and may now run twice", job, Durations.brief(grace), why));
    }

    /** Calls {@code warning} with the grace if {@code run}, just stopped at once, still runs a grace later. */
    private void whenAliveAfterGrace(Run run, Consumer<Duration> warning) {
        Duration grace = settings.cancelGrace().compareTo(MIN_ZOMBIE_CHECK) < 0
                ? MIN_ZOMBIE_CHECK : settings.cancelGrace();
        loop.schedule(() -> {
            if (run.isAlive()) {
                warning.accept(grace);
            }
        }, grace);
    }

    private void launch(HeldJob job, JobHandler handler) {
        RunContext context = new RunContext(job.message, job.epoch, settings.name(), owner.nodeId, settings.clock(),
                owner.lease());
        job.run = Run.start(handler, context, alive::add, (run, failure) -> {
            alive.remove(run);
            loop.post(() -> ended(job, run, failure));
        });
        if (job.restarts == 0) {
            LOG.info("Started {} under epoch {}", job, job.epoch);
        } else {
            LOG.info("Restarted {} under epoch {} (restart {})", job, job.epoch, job.restarts);
        }
        listener.jobStarted(job.id(), job.message.name(), job.epoch, job.restarts);
    }

    private void ended(HeldJob job, Run run, Throwable failure) {
        if (!owner.isHeld(job) || job.run != run) {
            return; // abandoned with its incarnation, or handed back on close after its grace
        }
        job.run = null;
        if (owner.lease().lapsed()) {
            // the handler most likely returned because it saw the lapse: the incarnation is fenced, its deliveries
            // are dead, and the job runs elsewhere soon; reporting this end (COMPLETED, say) would end it for good
            LOG.debug("The handler of {} returned after the node's lease lapsed; the fence takes care of the job", job);
            owner.runGone();
            return;
        }
        String hang = job.hang;
        job.hang = null;
        if (job.stopCause == null) {
            afterRun(job, failure, hang);
        } else {
            switch (job.stopCause) {
                case CANCEL -> owner.end(job, Outcome.CANCELLED, null);
                case STOP -> owner.handBack(job, "the manager granted it under a newer epoch");
                case CLOSE -> LOG.info("The handler of {} returned; the job is handed back once the managers know"
                        + " the node left", job);
            }
        }
        owner.runGone();
    }

    /** A run ended by itself, or after it was stopped as {@code hang}: restart it or end the job for good. */
    private void afterRun(HeldJob job, Throwable failure, String hang) {
        String error = hang != null ? hang : failure == null ? null : truncate(failure.toString());
        if (error != null) {
            job.lastError = error;
        }
        Optional<Duration> delay = restartDelay(job, error == null ? Ending.RETURNED : Ending.THREW);
        switch (AfterRun.decide(delay, job.message.maxRestarts(), job.restarts, error)) {
            case AfterRun.End end -> owner.end(job, end.outcome(), end.error());
            case AfterRun.Restart restart -> {
                if (hang != null) {
                    job.lastError = hang + ": restarted";
                }
                LOG.info("The handler of {} {}; restarting it in {}", job,
                        error == null ? "returned" : "failed: " + error, Durations.brief(restart.delay()));
                job.timer = loop.schedule(() -> {
                    if (owner.isHeld(job) && job.phase == HeldJob.Phase.RUNNING && job.run == null) {
                        job.timer = null;
                        job.restarts++;
                        launch(job, settings.handlers().get(job.message.type()));
                    }
                }, restart.delay());
            }
        }
    }

    private Optional<Duration> restartDelay(HeldJob job, Ending ending) {
        RestartPolicy policy = settings.restartPolicy();
        try {
            return policy.restartDelay(job.message.restart(), ending, job.restarts);
        } catch (RuntimeException e) {
            LOG.error("Restart policy {} failed for {}; ending the job", policy, job, e);
            return Optional.empty();
        }
    }

    private static String truncate(String error) {
        return error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
    }
}
