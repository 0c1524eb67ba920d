package io.orchestr.shared;

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

    /** True for the statuses a job never leaves. */
    public boolean isFinal() {
        return this == Deleted || this == Completed || this == Failed;
    }
}
