package io.orchestr.manager.job;

import io.orchestr.manager.Failures;
import io.orchestr.manager.JobStatusConflictException;
import io.orchestr.manager.UnknownIdException;
import io.orchestr.manager.history.JobEvent;
import io.orchestr.manager.history.JobHistory;
import io.orchestr.manager.store.JobEntity;
import io.orchestr.manager.store.Store;
import io.orchestr.shared.Causes;
import io.orchestr.shared.JobEventKind;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobView;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Queues ended jobs again ({@code rerun}): a {@code Completed} or {@code Failed} job becomes {@code Queued} under the
 * same id, keeping its name (which it still holds) and its history, and its message is published again through the
 * outbox, as a creation's is. What belonged to its last runs is reset. The runs of an {@code exec} job's roles run
 * again together: a rerun of one reruns them all.
 */
@ApplicationScoped
public class JobRerunner {
    /** The statuses a job is rerun from: it ended by itself and still holds its name. */
    static final Set<JobStatus> RERUNNABLE = EnumSet.of(JobStatus.Completed, JobStatus.Failed);

    private static final Logger LOG = Logger.getLogger(JobRerunner.class);

    private final Store store;
    private final JobHistory history;
    private final Publication publication;
    private final JobViews views;
    private final Clock clock;

    JobRerunner(Store store, JobHistory history, Publication publication, JobViews views, Clock clock) {
        this.history = history;
        this.store = store;
        this.publication = publication;
        this.views = views;
        this.clock = clock;
    }

    /**
     * Queues the job again and publishes it once that is committed (the republisher publishes it a few seconds later
     * when that fails). Its result, last error, restarts, progress and run times are reset, and so is its checkpoint
     * unless {@code keepCheckpoint}. Its owner is cleared, so that the first claim is granted at once under the next
     * epoch, on any node, including the one that ended it: a node refuses only grants under the epoch it ended the
     * job under or an older one.
     *
     * @param actor who asks, as the job's history names it
     * @return the job, {@code Queued}
     * @throws UnknownIdException         when no job has this id
     * @throws JobStatusConflictException when the job is neither {@code Completed} nor {@code Failed}
     */
    public JobView rerun(UUID jobId, boolean keepCheckpoint, String actor) {
        JobEntity job = Transactions.retryingDeadlocks(() -> {
            JobEntity locked = store.lockJob(jobId)
                    .orElseThrow(() -> new UnknownIdException("job", jobId.toString()));
            if (!RERUNNABLE.contains(locked.status)) {
                throw new JobStatusConflictException(jobId, locked.status, "rerun", RERUNNABLE);
            }
            Instant now = clock.instant();
            // the runs of a job's roles walk its work together: they run again together, or none does
            List<JobEntity> runs = locked.roleOf == null ? List.of(locked) : store.lockRoleRuns(locked.roleOf);
            for (JobEntity run : runs) {
                if (!RERUNNABLE.contains(run.status)) {
                    throw new JobStatusConflictException(run.id, run.status, "rerun (with the other role runs of"
                            + " job " + locked.roleOf + ")", RERUNNABLE);
                }
            }
            for (JobEntity run : runs) {
                run.rerun(keepCheckpoint, now);
                history.record(JobEvent.of(JobEventKind.RERUN, run.id, now).withActor(actor)
                        .withDetail(keepCheckpoint ? "from its last checkpoint" : "without its checkpoint"));
            }
            return locked;
        });
        LOG.infof("Rerunning job %s ('%s')%s", jobId, job.name, keepCheckpoint ? " from its last checkpoint" : "");
        try {
            publication.publish(List.of(job));
        } catch (RuntimeException e) {
            LOG.warnf(Failures.isOutage(e) ? null : e, "Job %s is queued again but publishing did not complete (%s);"
                    + " the republisher will publish it in a few seconds", jobId, Causes.describe(e));
        }
        return views.view(job);
    }
}
