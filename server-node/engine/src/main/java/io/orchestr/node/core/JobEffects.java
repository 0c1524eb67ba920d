package io.orchestr.node.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.node.NodeListener;
import io.orchestr.shared.wire.ToManager.Outcome;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

/**
 * What a {@link HeldJob}'s transitions do outside the job: claims, acks and nacks, reports to the managers, handler
 * threads and timers, and the node's listeners. The state machine decides and logs; this carries out, and never
 * calls back into the job it acts for while acting: a run's end reaches the job later, as an event posted to the
 * engine thread. Called on the engine thread only.
 */
interface JobEffects {

    /** What {@link #startRun} did. */
    sealed interface Start {
        /** A run of the job's handler started. */
        record Started(Run run) implements Start {
        }

        /** No handler on this node knows the job's type; {@code error} says so, for the job's end. */
        record NoHandler(String error) implements Start {
        }
    }

    /** Claims the job now, or with the next batch; returns the backoff of its repeat while no answer comes. */
    Backoff sendClaim(HeldJob job);

    /**
     * Puts the job's claim in flight now, ahead of the jobs waiting for a place in the claim window.
     *
     * @return false when it was in flight already
     */
    boolean admitAhead(HeldJob job);

    /** The job's claim is over: its place in the claim window goes to the next held job that waits for one. */
    void claimOver(HeldJob job);

    /** Runs {@code task} on the engine thread after {@code delay}; cancel the future to call it off. */
    ScheduledFuture<?> schedule(Runnable task, Duration delay);

    /**
     * Starts a run of the job's handler on a thread of its own, under the job's epoch. The run's end comes back to
     * {@link HeldJob#runEnded} on the engine thread.
     */
    Start startRun(HeldJob job);

    /** Acks the job's message and forgets the job. */
    void ack(HeldJob job);

    /** Nacks the job's message back to its queue and forgets the job. */
    void handBack(HeldJob job);

    /**
     * Reports the job's end for good to the managers, with the result it completed with (null for none); the
     * message is acked, and the job forgotten, once the broker confirmed the report.
     */
    void reportEnd(HeldJob job, Outcome outcome, String error, JsonNode result);

    /** A run ended: a close that waits for the handlers goes on once none runs any more. */
    void runGone();

    /** The node's listeners, told of every grant, drop, start, end and hand-back. */
    NodeListener listener();
}
