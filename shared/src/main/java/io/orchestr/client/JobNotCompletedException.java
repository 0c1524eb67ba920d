package io.orchestr.client;

import io.orchestr.shared.api.JobView;

/**
 * A job whose result was awaited ended without completing: {@code Failed} (its {@code lastError} says why) or
 * {@code Deleted} (cancelled). The message names the job, its status and its last error.
 */
public class JobNotCompletedException extends OrchestratorException {
    private final transient JobView job;

    public JobNotCompletedException(JobView job) {
        super("job '" + job.name() + "' (" + job.id() + ") ended " + job.status()
                + (job.lastError() == null ? "" : ": " + job.lastError()), 0);
        this.job = job;
    }

    /** The job as it ended. */
    public JobView job() {
        return job;
    }
}
