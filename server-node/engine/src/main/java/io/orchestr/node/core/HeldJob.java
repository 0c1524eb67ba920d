package io.orchestr.node.core;

import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToManager;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;

/** One job whose message an incarnation holds unacked, and where it is. Engine-confined. */
final class HeldJob {

    enum Phase {
        /** Claim sent, no grant yet. */
        CLAIMING,
        /** Granted: a handler runs, or waits out a restart delay. */
        RUNNING,
        /** Asked to stop; its handler has not returned yet, or the node waits to hand it back on close. */
        STOPPING,
        /** Ended for good: the end was reported, the message is acked once the broker confirms the report. */
        ENDING
    }

    /** Why a running job is being stopped, which decides what happens to its message. */
    enum StopCause {
        /** The user cancelled it: ack and report {@code CANCELLED}. */
        CANCEL,
        /** The manager granted it elsewhere: hand the message back. */
        STOP,
        /** The node closes: hand the message back once the managers know the node left. */
        CLOSE
    }

    final JobMessage message;
    final long deliveryTag;
    /** This delivery's claim id, unique in the incarnation: the managers' replies name it. */
    final long claimId;
    final Instant heldSince;
    Phase phase = Phase.CLAIMING;
    StopCause stopCause;
    long epoch;
    int restarts;
    String lastError;
    int claimsSent;
    /** How often the managers answered {@code wait}. */
    int waits;
    /** Cancelled while still being claimed: a grant ends it at once, without a run. */
    boolean cancelRequested;
    /** The next claim, or the pending restart: whichever the phase calls for. */
    ScheduledFuture<?> timer;
    /** The handler run in progress, if any. */
    Run run;
    /** Why the run in progress was stopped as hung (no heartbeat within the job's timeout); null while it is not. */
    String hang;
    /** The entry the last snapshot that listed the job sent; null before the first. */
    ToManager.HeldJob reported;

    HeldJob(JobMessage message, long deliveryTag, long claimId, Instant heldSince) {
        this.message = message;
        this.deliveryTag = deliveryTag;
        this.claimId = claimId;
        this.heldSince = heldSince;
    }

    UUID id() {
        return message.jobId();
    }

    void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Stops the handler at once: asks it to stop and interrupts its thread. */
    void stopRunAtOnce() {
        if (run != null) {
            run.stopAtOnce();
        }
    }

    /** How the snapshot shows this job; only for jobs not {@link Phase#ENDING}. */
    ToManager.HeldJob toWire() {
        ToManager.HeldState state = switch (phase) {
            case CLAIMING -> ToManager.HeldState.CLAIMING;
            case RUNNING -> ToManager.HeldState.RUNNING;
            case STOPPING, ENDING -> ToManager.HeldState.STOPPING;
        };
        Instant lastHeartbeat = run != null ? run.lastHeartbeat() : heldSince;
        return new ToManager.HeldJob(id(), epoch, state, lastHeartbeat, restarts, lastError);
    }

    /**
     * True when {@code entry}, the job's entry now, has news for the managers since the last one reported: a new
     * state or epoch, a restart or error, or a heartbeat that moved on by {@code heartbeatResolution} or more (the
     * managers store heartbeats at that resolution).
     */
    boolean hasNews(ToManager.HeldJob entry, Duration heartbeatResolution) {
        return reported == null || reported.state() != entry.state() || reported.epoch() != entry.epoch()
                || reported.restarts() != entry.restarts()
                || !Objects.equals(reported.lastError(), entry.lastError())
                || !entry.lastHeartbeatAt().isBefore(reported.lastHeartbeatAt().plus(heartbeatResolution));
    }

    /** How logs name the job. */
    @Override
    public String toString() {
        return "job '" + message.name() + "' (" + message.jobId() + ")";
    }
}
