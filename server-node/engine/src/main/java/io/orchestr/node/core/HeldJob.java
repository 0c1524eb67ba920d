package io.orchestr.node.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.node.RestartPolicy;
import io.orchestr.node.RestartPolicy.Ending;
import io.orchestr.shared.Limits;
import io.orchestr.shared.Progress;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToManager.Outcome;
import io.orchestr.shared.wire.ToNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

/**
 * One job whose message an incarnation holds, as a state machine: its {@link JobPhase} and every transition
 * between phases (docs/architecture.md, "A held job's phases"). What a transition does outside the job goes
 * through {@link JobEffects}; a run of its handler sees it as its {@link Run.Job}, and its end comes back only
 * through {@link #runEnded}, posted to the engine thread.
 *
 * <p>The managers' messages (grant, drop, wait, cancel, stop) may reach a job in any phase, as repeats or replies
 * slow to arrive, and each method says what its message does in which phase; in the others it is ignored, as the
 * protocol wants. The engine's own steps (a claim, a restart, a run's end, a hand-back) belong to the phases named
 * in their checks: anywhere else they throw {@link IllegalStateException}, since the engine is wrong then.
 * Engine-confined.
 */
final class HeldJob implements Run.Job {
    private static final Logger LOG = LoggerFactory.getLogger(HeldJob.class);
    /** A stopped handler that still runs this long after is worth a warning, however short the cancel grace. */
    private static final Duration MIN_ZOMBIE_CHECK = Duration.ofSeconds(1);

    /** The node's settings that a held job's transitions follow. */
    record Rules(RestartPolicy restartPolicy, Duration cancelGrace) {
    }

    /** Why a job is {@link JobPhase#STOPPING}, which decides what its handler's return means. */
    enum StopCause {
        /** The user cancelled it: end it {@code CANCELLED}. */
        CANCEL,
        /** The managers asked for it back (pause, restart, move, drain): end it {@code RELEASED}. */
        RELEASE,
        /** The manager granted it elsewhere: hand the message back. */
        STOP,
        /** The node closes: hand the message back once the managers know the node left. */
        CLOSE
    }

    /** The job as this node runs it: the message held, or the job as edited since, which its grant carried. */
    private JobMessage message;
    private final long deliveryTag;
    /** This delivery's claim id, unique in the incarnation: the managers' replies name it. */
    private final long claimId;
    private final Instant heldSince;
    private final Rules rules;
    private final JobEffects effects;
    private JobPhase phase = JobPhase.CLAIMING;
    /** Set on entering {@link JobPhase#STOPPING}. */
    private StopCause stopCause;
    private long epoch;
    private int restarts;
    private String lastError;
    private int claimsSent;
    /** How often the managers answered {@code wait}. */
    private int waits;
    /**
     * Cancelled or released while still being claimed: a grant ends it at once, without a run, as this says; null
     * while neither was asked.
     */
    private StopCause endOnGrant;
    /** The node closes: the job is only handed back, never claimed or started again. */
    private boolean nodeClosing;
    /**
     * The timer that ends the current phase: the claim's repeat while claiming or waiting, the restart while
     * restarting. Every change of phase cancels it.
     */
    private ScheduledFuture<?> phaseTimer;
    /**
     * The handler run whose thread has not ended, if any: only while running or stopping (and left on a job handed
     * back or abandoned, whose run's end then means nothing).
     */
    private Run run;
    /**
     * Why the run in progress was stopped for breaking one of its job's limits (no heartbeat within the heartbeat
     * timeout, or longer than the run timeout); null while it was not.
     */
    private String breach;
    /** The last progress a run of the job reported, kept across restarts; null before the first. */
    private Progress progress;
    /**
     * The job's last checkpoint as this node knows it: the one its grant carried, then each one a run stored. A
     * restart under the same grant starts from it; null when the job has none.
     */
    private JsonNode checkpoint;
    /** The entry the last snapshot that listed the job sent; null before the first. */
    private ToManager.SnapshotEntry reported;

    HeldJob(JobMessage message, long deliveryTag, long claimId, Instant heldSince, Rules rules, JobEffects effects) {
        this.message = message;
        this.deliveryTag = deliveryTag;
        this.claimId = claimId;
        this.heldSince = heldSince;
        this.rules = rules;
        this.effects = effects;
    }

    UUID id() {
        return message.jobId();
    }

    @Override
    public JobMessage message() {
        return message;
    }

    long deliveryTag() {
        return deliveryTag;
    }

    long claimId() {
        return claimId;
    }

    JobPhase phase() {
        return phase;
    }

    /** The epoch of the job's grant; 0 before it. */
    @Override
    public long epoch() {
        return epoch;
    }

    /** How often the handler was restarted under the current grant. */
    int restarts() {
        return restarts;
    }

    /** The last progress a run of the job reported; null before the first. */
    Progress progress() {
        return progress;
    }

    /** The job's last checkpoint, for the next run to start from; null when it has none. */
    @Override
    public JsonNode checkpoint() {
        return checkpoint;
    }

    /** The managers stored a checkpoint of a run of this job: it is the job's last one now. */
    void checkpointStored(JsonNode state) {
        checkpoint = state;
    }

    /** True while a thread of the job's handler has not ended. */
    boolean hasRun() {
        return run != null;
    }

    /** True once its claim went out: the managers may have granted it already. */
    boolean claimSent() {
        return claimsSent > 0;
    }

    /** True when the job may be claimed (again): its claim is in play and the node is not closing. */
    boolean isClaimable() {
        return phase.isClaiming() && !nodeClosing;
    }

    /** Claiming or waiting → claiming: the claim window admitted the job, or its repeat is due. */
    void claim() {
        require("be claimed", isClaimable());
        Backoff unanswered = effects.sendClaim(this);
        LOG.debug("Claimed {} (claim {}, sent {} times)", this, claimId, claimsSent + 1);
        moveTo(JobPhase.CLAIMING);
        phaseTimer = effects.schedule(this::claim, unanswered.delay(claimsSent++));
    }

    /** The managers answered {@code wait}: the owner's answer decides, or else a repeat of the claim soon. */
    void waitAnswered(UUID ownerId) {
        if (!phase.isClaiming()) {
            return;
        }
        LOG.debug("Waiting for {}: incarnation {} may still hold it", this, ownerId);
        moveTo(JobPhase.WAITING);
        if (!nodeClosing) {
            phaseTimer = effects.schedule(this::claim, Backoff.CLAIM.delay(waits++));
        }
    }

    /**
     * The managers granted the job under the grant's epoch: claiming or waiting → running, or straight to ended when
     * it was cancelled or released meanwhile or no handler knows its type, or dropped when it is a copy of a job this
     * incarnation ended already. The grant carries the job's last checkpoint, and the job as it was when the grant
     * was decided ({@code spec}, null for a job never edited): a newer revision than the message replaces it for
     * every run under the grant.
     *
     * @param endedEpoch the epoch under which this incarnation ended the job, null when it did not
     */
    void granted(ToNode.Grant grant, Long endedEpoch) {
        long epoch = grant.epoch();
        if (!phase.isClaiming()) {
            LOG.debug("Ignored another grant of {} (epoch {}); it was granted epoch {}", this, epoch, this.epoch);
            return;
        }
        if (nodeClosing) {
            LOG.info("Not starting {} under epoch {}: the node is closing and hands it back", this, epoch);
            return;
        }
        if (endedEpoch != null && epoch <= endedEpoch) {
            moveTo(JobPhase.DROPPED);
            effects.ack(this);
            LOG.info("Acked a copy of {} granted under epoch {}: this node ended the job under epoch {} already, and"
                    + " the managers had not applied that end yet", this, epoch, endedEpoch);
            return;
        }
        this.epoch = epoch;
        this.checkpoint = grant.checkpoint();
        follow(grant.spec());
        effects.listener().granted(id(), epoch);
        if (endOnGrant != null) {
            Outcome outcome = endOnGrant == StopCause.CANCEL ? Outcome.CANCELLED : Outcome.RELEASED;
            LOG.info("Not starting {} under epoch {}: it was {} while this node claimed it", this, epoch,
                    outcome == Outcome.CANCELLED ? "cancelled" : "released");
            end(outcome, null);
            return;
        }
        launch();
    }

    /** The managers dropped the claim: claiming or waiting → dropped, the message acked. */
    void dropped(String reason) {
        if (!phase.isClaiming()) {
            LOG.warn("Ignored a drop of {} ({}): it was already granted epoch {}", this, reason, epoch);
            return;
        }
        moveTo(JobPhase.DROPPED);
        effects.ack(this);
        LOG.info("Dropped {} as the manager said ({}); its message is acked", this, reason);
        effects.listener().dropped(id(), reason);
    }

    /**
     * The user cancelled the job. A job still being claimed is not this node's to end: without a grant the
     * managers would refuse an end under epoch 0 while its message was acked, and the job would stay {@code
     * Deleting} (R4). It is claimed at once instead, ahead of the claim window: a grant then ends it as cancelled
     * without starting the handler, a drop acks the copy. A granted job → stopping: its handler is asked to stop,
     * and interrupted after the cancel grace; without a run it ends at once. A cancel overrides a release.
     */
    void cancelled() {
        stopGracefully(StopCause.CANCEL, "the user cancelled it");
    }

    /**
     * The managers asked for the job back under {@code releaseEpoch} (a pause, restart, move or drain): as a cancel,
     * but it ends {@code RELEASED}, and the managers decide where it runs next. A release for an older epoch is
     * stale; one for a job being cancelled or handed back changes nothing.
     */
    void released(long releaseEpoch, String why) {
        if (releaseEpoch < epoch) {
            LOG.info("Ignored a stale release of {} for epoch {}: it runs under epoch {}", this, releaseEpoch, epoch);
            return;
        }
        stopGracefully(StopCause.RELEASE, why);
    }

    /** A cancel or a release, for {@code why}: ends the job as {@code cause} says once its handler returned. */
    private void stopGracefully(StopCause cause, String why) {
        switch (phase) {
            case CLAIMING, WAITING -> {
                if (endOnGrant != StopCause.CANCEL) {
                    endOnGrant = cause;
                }
                if (!nodeClosing && effects.admitAhead(this)) {
                    claim();
                }
            }
            case RUNNING, RESTARTING, STOPPING -> {
                if (stopCause == StopCause.CANCEL || stopCause == cause) {
                    return; // asked already: the managers repeat their ask until the end reaches them
                }
                if (phase == JobPhase.STOPPING && cause == StopCause.RELEASE) {
                    return; // stopping for a cancel, a newer grant or the close: that end stands
                }
                stopCause = cause;
                moveTo(JobPhase.STOPPING);
                Outcome outcome = cause == StopCause.CANCEL ? Outcome.CANCELLED : Outcome.RELEASED;
                if (run == null) {
                    end(outcome, null);
                    return;
                }
                LOG.info("{} {} under epoch {} ({}): asked its handler to stop",
                        cause == StopCause.CANCEL ? "Cancelling" : "Releasing", this, epoch, why);
                Run stopping = run;
                stopping.cancel();
                effects.schedule(() -> {
                    if (run == stopping && stopping.isAlive()) {
                        LOG.warn("The handler of {} did not return within {} of its cancel: interrupting its thread",
                                this, Durations.brief(rules.cancelGrace()));
                        stopping.interrupt();
                    }
                }, rules.cancelGrace());
            }
            case ENDED, HANDED_BACK, DROPPED, ABANDONED -> {
            }
        }
    }

    /**
     * The managers stopped the job under {@code stopEpoch}: a newer grant exists elsewhere. A run in progress →
     * stopping, interrupted at once; a job without one is handed back at once. A stop for an older epoch is stale.
     */
    void stopped(long stopEpoch, String why) {
        if (stopEpoch < epoch) {
            LOG.info("Ignored a stale stop of {} for epoch {}: it runs under epoch {}", this, stopEpoch, epoch);
            return;
        }
        String reason = "the manager stopped epoch " + stopEpoch + (why == null ? "" : ": " + why);
        switch (phase) {
            case CLAIMING, WAITING, RESTARTING -> handBack(reason);
            case RUNNING -> {
                if (run == null) {
                    handBack(reason); // its handler returned after the lease lapsed
                    return;
                }
                stopCause = StopCause.STOP;
                moveTo(JobPhase.STOPPING);
                LOG.info("Stopping {} under epoch {} at once: {}", this, epoch, reason);
                stopAtOnceAndWatch(reason);
            }
            case STOPPING, ENDED, HANDED_BACK, DROPPED, ABANDONED -> {
            }
        }
    }

    /**
     * The node begins to close: claims repeat no more and grants start nothing; running or restarting → stopping,
     * the handler asked to stop. The close hands every held job back afterwards.
     */
    void nodeClosing() {
        nodeClosing = true;
        cancelPhaseTimer();
        switch (phase) {
            case RUNNING, RESTARTING -> {
                stopCause = StopCause.CLOSE;
                moveTo(JobPhase.STOPPING);
                if (run != null) {
                    LOG.info("Stopping {} under epoch {}: the node is closing", this, epoch);
                    run.cancel();
                }
            }
            case CLAIMING, WAITING, STOPPING, ENDED, HANDED_BACK, DROPPED, ABANDONED -> {
            }
        }
    }

    /** The close's grace is over: a handler that still runs is interrupted; its job is handed back anyway. */
    void closeGraceOver() {
        if (run != null) {
            LOG.warn("The handler of {} did not return within the cancel grace of {}: interrupted it; handing the job"
                    + " back anyway", this, Durations.brief(rules.cancelGrace()));
            run.stopAtOnce();
        }
    }

    /**
     * Any held phase → handed back: the message is nacked to its queue (a stop without a run, a handler that
     * returned after a stop, the node's close).
     */
    void handBack(String reason) {
        require("be handed back", !phase.isGone());
        moveTo(JobPhase.HANDED_BACK);
        effects.handBack(this);
        LOG.info("Handed {} back to its queue: {}", this, reason);
        effects.listener().jobHandedBack(id(), reason);
    }

    /** Any held phase → abandoned: the incarnation's deliveries are dead; the handler is stopped at once. */
    void abandoned(String why) {
        require("be abandoned", !phase.isGone());
        moveTo(JobPhase.ABANDONED);
        if (run != null) {
            LOG.info("Stopped {} under epoch {} at once: {}", this, epoch, why);
            stopAtOnceAndWatch(why);
        }
    }

    /**
     * At every heartbeat tick: a run that lasted longer than its job's run timeout, or a run of a job with a heartbeat
     * timeout that has not called {@code heartbeat()} (or started) within it (hung), breaks its job's limits. It is
     * stopped at once and stays running: its end counts as a failure, which the restart policy answers as it answers
     * a throw. The restart waits for that end, so a handler that ignores its cancellation keeps its slot and never
     * runs twice at once.
     */
    void checkLimits() {
        Run checked = run;
        if (checked == null || phase != JobPhase.RUNNING || breach != null) {
            return;
        }
        Duration timeout = message.timeout();
        Duration heartbeatTimeout = message.heartbeatTimeout();
        if (timeout != null && checked.sinceStart().compareTo(timeout) >= 0) {
            stopForBreach(checked, "timed out after " + Durations.brief(timeout), "ran for its job's timeout of "
                    + Durations.brief(timeout));
        } else if (heartbeatTimeout != null && checked.sinceHeartbeat().compareTo(heartbeatTimeout) >= 0) {
            stopForBreach(checked, "no heartbeat for " + Durations.brief(heartbeatTimeout), "sent no heartbeat for "
                    + Durations.brief(heartbeatTimeout) + ", its job's heartbeat timeout");
        }
    }

    private void stopForBreach(Run checked, String error, String what) {
        breach = error;
        lastError = error;
        LOG.warn("The handler of {} under epoch {} {}: stopping it; its end counts as a failure", this, epoch, what);
        checked.stopAtOnce();
        whenAliveAfterGrace(checked, grace -> LOG.warn("The handler of {} ignores its cancellation: it still runs {}"
                + " after it was stopped ({}). It keeps its slot, and the job restarts only once it returns", this,
                Durations.brief(grace), error));
    }

    /**
     * The thread of {@code ended} returned ({@code failure} is what the handler threw, null when it returned).
     * Running → restarting or ended, as the restart policy says; stopping → ended (cancel) or handed back (stop),
     * or, on a close, still stopping until the close hands it back.
     */
    @Override
    public void runEnded(Run ended, Throwable failure) {
        if (ended != run || phase.isGone()) {
            return; // abandoned with its incarnation, or handed back on close after its grace
        }
        require("end a run", phase == JobPhase.RUNNING || phase == JobPhase.STOPPING);
        run = null;
        keepProgress(ended);
        if (ended.fenced()) {
            // the handler most likely returned because it saw the lapse: the incarnation is fenced, its deliveries
            // are dead, and the job runs elsewhere soon; reporting this end (COMPLETED, say) would end it for good
            LOG.debug("The handler of {} returned after the node's lease lapsed; the fence takes care of the job",
                    this);
            effects.runGone();
            return;
        }
        String broke = breach;
        breach = null;
        if (phase == JobPhase.RUNNING) {
            afterRun(failure, broke, ended.resultLeft().orElse(null));
        } else {
            switch (stopCause) {
                case CANCEL -> end(Outcome.CANCELLED, null);
                case RELEASE -> end(Outcome.RELEASED, null);
                case STOP -> handBack("the manager granted it under a newer epoch");
                case CLOSE -> LOG.info("The handler of {} returned; the job is handed back once the managers know"
                        + " the node left", this);
            }
        }
        effects.runGone();
    }

    /**
     * The job's entry for a snapshot, when this one lists it: every reported job in a full snapshot, otherwise only
     * one with news since its last entry, which it then becomes.
     */
    Optional<ToManager.SnapshotEntry> snapshotEntry(boolean full, Duration heartbeatResolution) {
        if (!phase.isReported()) {
            return Optional.empty();
        }
        Instant lastHeartbeat = run != null ? run.lastHeartbeat() : heldSince;
        if (run != null) {
            keepProgress(run);
        }
        ToManager.SnapshotEntry entry = new ToManager.SnapshotEntry(id(), epoch, phase.heldState(), lastHeartbeat,
                restarts, lastError, progress);
        if (!full && !hasNews(entry, heartbeatResolution)) {
            return Optional.empty();
        }
        reported = entry;
        return Optional.of(entry);
    }

    /**
     * How long its running handler has gone without a heartbeat (or since it started), as {@link #checkLimits} sees
     * it; zero while none runs (a stopping one included: its heartbeats no longer count).
     */
    Duration sinceHeartbeat() {
        Run current = run;
        return current == null || phase != JobPhase.RUNNING ? Duration.ZERO : current.sinceHeartbeat();
    }

    /** How logs name the job. */
    @Override
    public String toString() {
        return "job '" + message.name() + "' (" + message.jobId() + ")";
    }

    /**
     * Runs the job as {@code spec}, the managers' copy in the grant, says from now on: the message held may predate
     * an edit, or be a forgery (another broker client's, with a real job's id). A grant without one (from an older
     * manager) leaves the message as it is.
     */
    private void follow(JobMessage spec) {
        if (spec == null || !spec.jobId().equals(id())) {
            return;
        }
        if (spec.revision() > message.revision()) {
            LOG.info("Running {} as edited (revision {}), not as its message (revision {}) says", this,
                    spec.revision(), message.revision());
        } else if (!Objects.equals(spec.type(), message.type()) || !Objects.equals(spec.argument(), message.argument())
                || !Objects.equals(spec.params(), message.params())) {
            LOG.warn("Running {} as the managers hold it (type '{}'): the message this node received says another"
                    + " type, argument or params (its type: '{}'), so it was not the managers' copy", this,
                    spec.type(), message.type());
        }
        message = spec;
    }

    /** Claiming or waiting, or restarting after a delay → running: starts the handler under the grant. */
    private void launch() {
        switch (effects.startRun(this)) {
            case JobEffects.Start.Started started -> {
                run = started.run();
                moveTo(JobPhase.RUNNING);
                if (restarts == 0) {
                    LOG.info("Started {} under epoch {}", this, epoch);
                } else {
                    LOG.info("Restarted {} under epoch {} (restart {})", this, epoch, restarts);
                }
                effects.listener().jobStarted(id(), message.name(), epoch, restarts);
            }
            case JobEffects.Start.NoHandler noHandler -> end(Outcome.FAILED, noHandler.error());
        }
    }

    /** The progress {@code source}, a run of the job, reported last, if it reported any. */
    private void keepProgress(Run source) {
        Progress reportedByRun = source.lastProgress();
        if (reportedByRun != null) {
            progress = reportedByRun;
        }
    }

    /**
     * A run ended by itself, or after it was stopped for a {@code broke} limit, leaving {@code result}: restarting,
     * or ended for good, with the result the run left (a failed run's too: an exec job's exit code and output tails).
     */
    private void afterRun(Throwable failure, String broke, JsonNode result) {
        String error = broke != null ? broke : failure == null ? null
                : Limits.cut(failure.toString(), Limits.ERROR_TEXT);
        if (error != null) {
            lastError = error;
        }
        Optional<Duration> delay = restartDelay(error == null ? Ending.RETURNED : Ending.THREW);
        switch (AfterRun.decide(delay, message.maxRestarts(), restarts, error)) {
            case AfterRun.End end -> end(end.outcome(), end.error(), result); // a failed run's result too
            case AfterRun.Restart restart -> {
                if (broke != null) {
                    lastError = broke + ": restarted";
                }
                LOG.info("The handler of {} {}; restarting it in {}", this,
                        error == null ? "returned" : "failed: " + error, Durations.brief(restart.delay()));
                moveTo(JobPhase.RESTARTING);
                phaseTimer = effects.schedule(this::restartDue, restart.delay());
            }
        }
    }

    /** Restarting → running, once the restart delay is over. */
    private void restartDue() {
        require("restart", phase == JobPhase.RESTARTING);
        restarts++;
        launch();
    }

    /** → ended: the end is reported for good; the message is acked once the broker confirmed the report. */
    private void end(Outcome outcome, String error) {
        end(outcome, error, null);
    }

    /** {@link #end(Outcome, String)} with the result the job ended with, null for none. */
    private void end(Outcome outcome, String error, JsonNode result) {
        moveTo(JobPhase.ENDED);
        effects.reportEnd(this, outcome, error, result);
        LOG.info("Job '{}' ({}) ended {} under epoch {} after {} restarts{}", message.name(), id(), outcome, epoch,
                restarts, error == null ? "" : ": " + error);
        effects.listener().jobEnded(id(), outcome, error);
    }

    /**
     * Enters {@code next}, calling off the timer of the phase it leaves. A job whose claim is over frees its place
     * in the claim window, unless it is abandoned: the window went with the incarnation.
     */
    private void moveTo(JobPhase next) {
        cancelPhaseTimer();
        boolean claimOver = phase.isClaiming() && !next.isClaiming() && next != JobPhase.ABANDONED;
        phase = next;
        if (claimOver) {
            effects.claimOver(this);
        }
    }

    private void cancelPhaseTimer() {
        if (phaseTimer != null) {
            phaseTimer.cancel(false);
            phaseTimer = null;
        }
    }

    private void require(String step, boolean allowed) {
        if (!allowed) {
            throw new IllegalStateException(this + " cannot " + step + " while " + phase
                    + (nodeClosing ? " on a closing node" : ""));
        }
    }

    /** Stops the run at once, and warns if it still runs a grace later: it may then run twice. */
    private void stopAtOnceAndWatch(String why) {
        Run stopped = run;
        stopped.stopAtOnce();
        whenAliveAfterGrace(stopped, grace -> LOG.warn("The handler of {} still runs {} after it was stopped ({}): it"
                + " ignores interrupts and may now run twice", this, Durations.brief(grace), why));
    }

    /** Calls {@code warning} with the grace if {@code stopped}, just stopped at once, still runs a grace later. */
    private void whenAliveAfterGrace(Run stopped, Consumer<Duration> warning) {
        Duration grace = rules.cancelGrace().compareTo(MIN_ZOMBIE_CHECK) < 0 ? MIN_ZOMBIE_CHECK : rules.cancelGrace();
        effects.schedule(() -> {
            if (stopped.isAlive()) {
                warning.accept(grace);
            }
        }, grace);
    }

    private Optional<Duration> restartDelay(Ending ending) {
        RestartPolicy policy = rules.restartPolicy();
        try {
            return policy.restartDelay(message.restart(), ending, restarts);
        } catch (RuntimeException e) {
            LOG.error("Restart policy {} failed for {}; ending the job", policy, this, e);
            return Optional.empty();
        }
    }

    /**
     * True when {@code entry}, the job's entry now, has news for the managers since the last one reported: a new
     * state or epoch, a restart or error, new progress, or a heartbeat that moved on by {@code heartbeatResolution}
     * or more (the managers store heartbeats at that resolution).
     */
    private boolean hasNews(ToManager.SnapshotEntry entry, Duration heartbeatResolution) {
        return reported == null || reported.state() != entry.state() || reported.epoch() != entry.epoch()
                || reported.restarts() != entry.restarts()
                || !Objects.equals(reported.lastError(), entry.lastError())
                || !Objects.equals(reported.progress(), entry.progress())
                || !entry.lastHeartbeatAt().isBefore(reported.lastHeartbeatAt().plus(heartbeatResolution));
    }
}
