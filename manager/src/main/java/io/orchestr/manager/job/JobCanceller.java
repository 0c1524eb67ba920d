package io.orchestr.manager.job;

import io.orchestr.manager.UnknownIdException;
import io.orchestr.manager.broker.ControlMessage;
import io.orchestr.manager.broker.ControlPublisher;
import io.orchestr.manager.history.JobEvent;
import io.orchestr.manager.history.JobHistory;
import io.orchestr.manager.store.JobEntity;
import io.orchestr.manager.store.Store;
import io.orchestr.shared.Causes;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.wire.ToNode;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Cancels jobs. A job no node runs ({@code Queued}: never granted, or handed back by a node that left or died;
 * {@code Paused}) becomes {@code Deleted} at once (its message, if any, is dropped whenever a node claims it); a
 * running or pausing job becomes {@code Deleting} and every node is told to cancel it, the owner confirms with
 * {@code job-ended(CANCELLED)}.
 * A job that ended by itself ({@code Completed}, {@code Failed}) is forgotten: {@code Deleted}, its name free again.
 * Cancelling twice, or a {@code Deleted} job, changes nothing.
 */
@ApplicationScoped
public class JobCanceller {
    private static final Logger LOG = Logger.getLogger(JobCanceller.class);

    private final Store store;
    private final JobHistory history;
    private final JobViews views;
    private final ControlPublisher publisher;
    private final Publication publication;
    private final Clock clock;

    JobCanceller(Store store, JobHistory history, JobViews views, ControlPublisher publisher, Publication publication,
                 Clock clock) {
        this.publication = publication;
        this.store = store;
        this.history = history;
        this.views = views;
        this.publisher = publisher;
        this.clock = clock;
    }

    /**
     * @param actor who asks, as the job's history names it
     * @return the job after the cancel
     * @throws UnknownIdException when no job has this id
     */
    public JobView cancel(UUID jobId, String actor) {
        record Cancelled(JobView job, List<ControlMessage> messages) {
        }
        // a snapshot updating the same rows can make the database pick this transaction to break a deadlock
        Cancelled outcome = Transactions.retryingDeadlocks(() -> {
            JobEntity job = store.lockJob(jobId).orElseThrow(() -> new UnknownIdException("job", jobId.toString()));
            List<ControlMessage> messages = List.of();
            Instant now = clock.instant();
            switch (job.status) {
                case Queued, Paused -> {
                    // it runs nowhere, owner or not: a node that left or died handed it back, or it was paused; a
                    // claim of its message, if it has one, is dropped from now on
                    job.delete(now);
                    history.record(JobEvent.deleted(jobId, now, actor, "cancelled while no node ran it"));
                    LOG.infof("Cancelled job %s while no node ran it: it is Deleted", jobId);
                }
                case Completed, Failed -> {
                    // its runs are over and its message acked: only its name and its row are left to let go of
                    LOG.infof("Deleted job %s, which had ended %s: its name is free again", jobId, job.status);
                    job.delete(now);
                    history.record(JobEvent.deleted(jobId, now, actor, "deleted after it ended"));
                }
                case Processing, Pausing -> {
                    // a cancel overrides a pause, restart or move under way: the node ends the run CANCELLED, or,
                    // had it released the run already, that release makes the job Deleted
                    job.changeStatus(JobStatus.Deleting, now);
                    history.record(JobEvent.cancelled(jobId, now, job.ownerId, job.epoch, actor));
                    messages = List.of(ControlMessage.toAll(new ToNode.Cancel(jobId)));
                    LOG.infof("Cancelling job %s, which runs on node %s: it is Deleting until the node confirms",
                            jobId, job.ownerId);
                }
                case Deleting, Deleted -> {
                }
            }
            return new Cancelled(views.view(job), messages);
        });
        try {
            publisher.send(outcome.messages());
        } catch (RuntimeException e) {
            // the owner's next snapshot shows it still runs the job, and that sends the cancel again
            LOG.warnf("Could not send the cancel of job %s now (%s); it goes out again with the owner's next"
                    + " snapshot", jobId, Causes.describe(e));
        }
        publication.admitNextAfter(outcome.job()); // a job cancelled while queued frees its key's place
        return outcome.job();
    }
}
