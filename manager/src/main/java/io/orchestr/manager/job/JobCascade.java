package io.orchestr.manager.job;

import io.orchestr.manager.ConflictException;
import io.orchestr.manager.UnknownIdException;
import io.orchestr.manager.store.JobState;
import io.orchestr.manager.store.Store;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.BulkResult;
import io.orchestr.shared.api.JobView;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * Cancels, pauses and resumes a job together with its children (the jobs whose {@code parentId} it is, a
 * controller's), theirs, and so on down: the job first, in its own transaction, then each child that has not ended
 * ({@code Completed}, {@code Failed}, {@code Deleted}), each through the same single call in a transaction of its
 * own, then that child's children. A child the call does not apply to (a pause of a child being cancelled, a resume
 * of one still pausing) is skipped with its own children, as a bulk action skips it. Also runs the jobs of a bulk
 * action one by one ({@link #each}).
 *
 * <p>A child that its controller creates while the cascade goes on may be missed; the controller sees its own stop
 * ({@code JobContext.isCancelled()}) within its next poll, and a repeat of the call reaches that child.
 */
@ApplicationScoped
public class JobCascade {
    private static final Logger LOG = Logger.getLogger(JobCascade.class);

    private final Store store;
    private final JobCanceller canceller;
    private final JobSteering steering;

    JobCascade(Store store, JobCanceller canceller, JobSteering steering) {
        this.store = store;
        this.canceller = canceller;
        this.steering = steering;
    }

    /** {@link JobCanceller#cancel}, then the same for every descendant that has not ended. */
    public JobView cancel(UUID jobId, String actor) {
        return withDescendants("cancel", jobId, actor, canceller::cancel);
    }

    /** {@link JobSteering#pause}, then the same for every descendant that has not ended. */
    public JobView pause(UUID jobId, String actor) {
        return withDescendants("pause", jobId, actor, steering::pause);
    }

    /** {@link JobSteering#resume}, then the same for every descendant that has not ended (its paused ones). */
    public JobView resume(UUID jobId, String actor) {
        return withDescendants("resume", jobId, actor, steering::resume);
    }

    private JobView withDescendants(String what, UUID jobId, String actor, BiFunction<UUID, String, JobView> single) {
        JobView job = single.apply(jobId, actor);
        List<UUID> children = QuarkusTransaction.requiringNew().call(() -> store.unendedChildIds(jobId));
        if (!children.isEmpty()) {
            BulkResult reached = each(what, children, actor,
                    (child, who) -> withDescendants(what, child, who, single));
            LOG.infof("The %s of job %s reached its children: %d matched, %d changed", what, jobId,
                    reached.matched(), reached.changed());
        }
        return job;
    }

    /**
     * Applies {@code action} to each job of {@code ids} in turn, each in a transaction of its own: an id that names
     * no job is not matched, a job the action refuses (409) is matched but skipped, a job whose status the action
     * changed counts as changed.
     *
     * @param what the action's name, for the log
     */
    BulkResult each(String what, List<UUID> ids, String actor, BiFunction<UUID, String, JobView> action) {
        int matched = 0;
        int changed = 0;
        for (UUID id : ids) {
            // a job changed when its status did: a repeat (a pause of a paused job) leaves it as it was
            JobStatus before = QuarkusTransaction.requiringNew().call(() -> store.jobStates(List.of(id))).stream()
                    .findFirst().map(JobState::status).orElse(null);
            if (before == null) {
                continue; // an id that names no job, or one purged meanwhile: not matched
            }
            matched++;
            try {
                if (action.apply(id, actor).status() != before) {
                    changed++;
                }
            } catch (UnknownIdException e) {
                matched--; // purged between the look and the action
            } catch (ConflictException e) {
                LOG.debugf("%s skipped job %s: %s", what, id, e.getMessage());
            }
        }
        return new BulkResult(matched, changed);
    }
}
