package io.orchestr.manager;

import io.orchestr.shared.JobStatus;

import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** A job action its job's status does not allow (answered 409): editing a running job, rerunning a queued one. */
public class JobStatusConflictException extends ConflictException {
    private final JobStatus status;

    /**
     * @param action  what was asked, in words ("edited", "rerun")
     * @param allowed the statuses in which it is allowed
     */
    public JobStatusConflictException(UUID jobId, JobStatus status, String action, Set<JobStatus> allowed) {
        super("job " + jobId + " is " + status + ": it can be " + action + " only while it is "
                + allowed.stream().map(Enum::name).sorted().collect(Collectors.joining(" or ")));
        this.status = status;
    }

    /** The job's status when it was refused. */
    public JobStatus status() {
        return status;
    }
}
