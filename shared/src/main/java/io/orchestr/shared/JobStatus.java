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
    /** Cancelled for good. Its name is free again. */
    Deleted,
    /** The handler returned. */
    Completed,
    /** The handler failed and the job's restart policy gave up. */
    Failed;

    /** The statuses of a job that is not over: the broker holds a message for it (Queued, Processing, Deleting). */
    public static final Set<JobStatus> ACTIVE = Collections.unmodifiableSet(EnumSet.of(Queued, Processing, Deleting));
    /** The statuses of a job that a node holds: it runs there, or is asked to stop (Processing, Deleting). */
    public static final Set<JobStatus> HELD = Collections.unmodifiableSet(EnumSet.of(Processing, Deleting));

    /** True for the statuses a job never leaves. */
    public boolean isFinal() {
        return !ACTIVE.contains(this);
    }
}
