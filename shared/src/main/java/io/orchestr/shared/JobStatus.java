package io.orchestr.shared;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Where a job is in its life. The constant names are the wire names used by the REST API.
 */
public enum JobStatus {
    /** Stored and published, waiting for a node with a free slot. */
    Queued,
    /** Granted to a node and running there. */
    Processing,
    /** Cancel asked; the node that runs the job has not confirmed yet. */
    Deleting,
    /** Pause asked; the node that runs the job has not confirmed the stop yet. */
    Pausing,
    /** Stopped on a user's request and runs nowhere until resumed; the broker holds no message for it. */
    Paused,
    /** Cancelled for good. Its name is free again. */
    Deleted,
    /** The handler returned. */
    Completed,
    /** The handler failed and the job's restart policy gave up. */
    Failed;

    /**
     * The statuses of a job whose message the broker holds, queued or on a node (Queued, Processing, Pausing,
     * Deleting). {@code Paused} is not one: its message is gone until it is resumed.
     */
    public static final Set<JobStatus> ACTIVE = Collections.unmodifiableSet(EnumSet.of(Queued, Processing, Pausing,
            Deleting));
    /** The statuses of a job that a node holds: it runs there, or is asked to stop (Processing, Pausing, Deleting). */
    public static final Set<JobStatus> HELD = Collections.unmodifiableSet(EnumSet.of(Processing, Pausing, Deleting));
    /** The statuses a job never leaves by itself (Deleted, Completed, Failed): its runs are over. */
    public static final Set<JobStatus> ENDED = Collections.unmodifiableSet(EnumSet.of(Deleted, Completed, Failed));

    /** True for the statuses a job never leaves by itself: {@link #ENDED}. */
    public boolean isFinal() {
        return ENDED.contains(this);
    }
}
