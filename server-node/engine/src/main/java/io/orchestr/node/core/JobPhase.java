package io.orchestr.node.core;

import io.orchestr.shared.wire.ToManager;

/**
 * Where a {@link HeldJob} is, from the delivery of its message to the moment it is no longer the incarnation's.
 * {@link HeldJob} holds the transitions between them; docs/architecture.md, "A held job's phases", has the table.
 */
enum JobPhase {
    /** Held, unacked: its claim is sent, or waits for a place in the claim window; no grant yet. */
    CLAIMING,
    /** The managers answered {@code wait}: another incarnation may still hold the job; the claim repeats later. */
    WAITING,
    /**
     * Granted: a run of its handler is in progress; or it returned after the incarnation's lease lapsed, and the
     * fence abandons the job next.
     */
    RUNNING,
    /** Granted: its last run ended, and the restart policy runs the handler again after a delay. */
    RESTARTING,
    /**
     * Asked to stop (cancel, a newer grant elsewhere, or the node's close); its handler has not returned yet, or,
     * on a close, the node waits to hand the message back until the managers know it left.
     */
    STOPPING,
    /** Ended for good: the end is reported, and the message is acked once the broker confirmed the report. */
    ENDED,
    /** Its message was nacked back to its queue, for another node (or this one) to claim. No longer held. */
    HANDED_BACK,
    /** Its message was acked without a run: the managers dropped the claim, or this node ended the job already. */
    DROPPED,
    /** Its delivery died with the incarnation (fence, lost connection): nothing to ack. No longer held. */
    ABANDONED;

    /** True while a claim is in play: the managers' grant, drop or wait answers it. */
    boolean isClaiming() {
        return this == CLAIMING || this == WAITING;
    }

    /** True while the job shows in snapshots: from its delivery until it ended or left the incarnation. */
    boolean isReported() {
        return ordinal() <= STOPPING.ordinal();
    }

    /** True once the message is no longer the incarnation's, so nothing that happens to the job matters any more. */
    boolean isGone() {
        return this == HANDED_BACK || this == DROPPED || this == ABANDONED;
    }

    /** How a snapshot shows a job in this phase; only for {@linkplain #isReported reported} phases. */
    ToManager.HeldState heldState() {
        return switch (this) {
            case CLAIMING, WAITING -> ToManager.HeldState.CLAIMING;
            case RUNNING, RESTARTING -> ToManager.HeldState.RUNNING;
            case STOPPING -> ToManager.HeldState.STOPPING;
            case ENDED, HANDED_BACK, DROPPED, ABANDONED ->
                    throw new IllegalStateException("a job " + this + " is in no snapshot");
        };
    }
}
