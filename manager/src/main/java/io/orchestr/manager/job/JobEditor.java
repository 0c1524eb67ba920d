package io.orchestr.manager.job;

import io.orchestr.manager.ConflictException;
import io.orchestr.manager.InvalidRequestException;
import io.orchestr.manager.JobStatusConflictException;
import io.orchestr.manager.UnknownIdException;
import io.orchestr.manager.store.JobEntity;
import io.orchestr.manager.store.Store;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobUpdate;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Edits jobs that wait ({@code Queued} or {@code Paused}): their argument, params, restart mode, limits and whether
 * rebalancing may move them ({@code sticky}). An edit
 * bumps the job's revision. Nothing is published: a {@code Queued} job's message may predate the edit, so every
 * grant of an edited job carries the job as it is then ({@code ClaimDecider}), and the node runs that instead of its
 * message; a {@code Paused} job is published afresh when it is resumed.
 */
@ApplicationScoped
public class JobEditor {
    /** The statuses in which a job runs nowhere and no node is about to run it without a claim. */
    static final Set<JobStatus> EDITABLE = EnumSet.of(JobStatus.Queued, JobStatus.Paused);

    private static final Logger LOG = Logger.getLogger(JobEditor.class);

    private final Store store;
    private final JobViews views;
    private final Clock clock;

    JobEditor(Store store, JobViews views, Clock clock) {
        this.store = store;
        this.views = views;
        this.clock = clock;
    }

    /**
     * Applies {@code update} to the job, under its row lock, checking the result as a new job is checked: by
     * {@code check} (what the API checks of a body beyond its fields, such as a pipeline's params), then by the
     * rules of {@link JobCreator#check}. A patch that changes nothing leaves the job as it is (and its revision too).
     *
     * @return the job as edited
     * @throws UnknownIdException          when no job has this id
     * @throws JobStatusConflictException  when the job is neither {@code Queued} nor {@code Paused}
     * @throws InvalidRequestException     naming the field whose new value is invalid (the work of an {@code exec}
     *                                     job is checked as at its creation)
     */
    public JobView edit(UUID jobId, JobUpdate update, UnaryOperator<NewJob> check) {
        // a snapshot updating the same row can make the database pick this transaction to break a deadlock
        return Transactions.retryingDeadlocks(() -> {
            JobEntity job = store.lockJob(jobId).orElseThrow(() -> new UnknownIdException("job", jobId.toString()));
            if (!EDITABLE.contains(job.status)) {
                throw new JobStatusConflictException(jobId, job.status, "edited", EDITABLE);
            }
            if (job.roleOf != null) {
                throw new ConflictException("job " + jobId + " plays role " + job.role + " of job " + job.roleOf
                        + ": the runs of a job's roles share its work, which an edit cannot change; cancel the job"
                        + " and create it anew");
            }
            JobSpec spec = JobSpec.of(check.apply(update.applyTo(asCreated(job))));
            spec.execRoles().values().stream().findFirst().ifPresent(field -> {
                throw new InvalidRequestException(field, "an edit cannot give a job roles: their runs are created"
                        + " with the job; create a new job with them");
            });
            if (changes(job, spec)) {
                job.argument = spec.argument();
                job.params = spec.params();
                job.restart = spec.restart();
                job.maxRestarts = spec.maxRestarts();
                job.heartbeatTimeout = spec.heartbeatTimeout();
                job.timeout = spec.timeout();
                job.sticky = spec.sticky();
                job.revision++;
                job.modifiedAt = clock.instant();
                LOG.infof("Edited job %s ('%s') while %s: revision %d; its next run follows the edit", jobId,
                        job.name, job.status, job.revision);
            }
            return views.view(job);
        });
    }

    /** The job as a request to create it would be now, for the patch to apply to. */
    private static NewJob asCreated(JobEntity job) {
        return new NewJob(job.name, job.argument, job.type, job.pool, job.restart.wireName(), job.maxRestarts,
                job.heartbeatTimeout, job.params, job.timeout, null, null, null, null, null, job.sticky);
    }

    private static boolean changes(JobEntity job, JobSpec spec) {
        return !job.argument.equals(spec.argument()) || !Objects.equals(job.params, spec.params())
                || job.restart != spec.restart() || !Objects.equals(job.maxRestarts, spec.maxRestarts())
                || !Objects.equals(job.heartbeatTimeout, spec.heartbeatTimeout())
                || !Objects.equals(job.timeout, spec.timeout()) || job.sticky != spec.sticky();
    }
}
