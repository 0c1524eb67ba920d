package io.orchestr.manager.report;

import io.orchestr.manager.history.JobEvent;
import io.orchestr.manager.history.JobHistory;
import io.orchestr.manager.job.Publication;
import io.orchestr.manager.store.JobEntity;
import io.orchestr.manager.store.Steer;
import io.orchestr.manager.store.Store;
import io.orchestr.shared.Causes;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.Limits;
import io.orchestr.shared.Progress;
import io.orchestr.shared.wire.ToManager;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Records that a node released a job's run as asked (a pause, restart, move or drain), if it still owns the job
 * under the grant it names: the run is over, so the job goes on from here and only from here. A pausing job is
 * {@code Paused}; one cancelled meanwhile is {@code Deleted}; any other is queued again, on the node it is moved
 * to or on any node of its pool, and published at once.
 */
@ApplicationScoped
class ReleaseRecorder {
    private static final Logger LOG = Logger.getLogger(ReleaseRecorder.class);

    private final Store store;
    private final Publication publication;
    private final JobHistory history;
    private final Clock clock;

    ReleaseRecorder(Store store, Publication publication, JobHistory history, Clock clock) {
        this.store = store;
        this.history = history;
        this.publication = publication;
        this.clock = clock;
    }

    void record(ToManager.JobEnded released) {
        Optional<JobEntity> changed = QuarkusTransaction.requiringNew().call(() -> apply(released));
        changed.filter(job -> job.status != JobStatus.Queued && job.concurrencyKey != null)
                .ifPresent(job -> publication.admitNext(List.of(job.concurrencyKey))); // its place is free
        changed.filter(job -> job.status == JobStatus.Queued).ifPresent(job -> {
            try {
                publication.publish(List.of(job));
            } catch (RuntimeException e) {
                LOG.warnf("Could not publish job %s again now (%s); the republisher sends it shortly", job.id,
                        Causes.describe(e));
            }
        });
    }

    /**
     * Applies the release to the locked row; returns the job when the release changed it: queued again, to publish,
     * or paused or deleted, which frees its concurrency key's place.
     */
    private Optional<JobEntity> apply(ToManager.JobEnded released) {
        JobEntity job = store.lockJob(released.jobId()).orElse(null);
        if (job == null || !released.nodeId().equals(job.ownerId) || job.epoch != released.epoch()
                || !JobStatus.ACTIVE.contains(job.status)) {
            LOG.debugf("Ignoring the release of job %s by node %s under epoch %d: the job has a newer grant or"
                    + " went on already", released.jobId(), released.nodeId(), released.epoch());
            return Optional.empty();
        }
        Instant now = clock.instant();
        keepRunReport(job, released);
        String node = released.nodeId().toString();
        history.record(JobEvent.stopped(job.id, now, released.nodeId(), released.epoch(), "released: " + why(job))
                .withActor(JobEvent.nodeActor(released.nodeId())));
        if (job.steer != Steer.MOVE) {
            job.placedOn = null; // only a move says where the next run starts
        }
        job.released(now);
        switch (job.status) {
            case Pausing -> {
                job.changeStatus(JobStatus.Paused, now);
                LOG.infof("Job %s is Paused: node %s stopped its run under epoch %d", job.id, node, released.epoch());
                return Optional.of(job);
            }
            case Deleting -> {
                job.delete(now);
                history.record(JobEvent.deleted(job.id, now, null, "its node stopped the run before the cancel"));
                LOG.infof("Job %s is Deleted: node %s stopped its run under epoch %d", job.id, node, released.epoch());
                return Optional.of(job);
            }
            default -> {
                job.requeue(now);
                LOG.infof("Job %s is Queued again: node %s stopped its run under epoch %d%s", job.id, node,
                        released.epoch(), job.placedOn == null ? "" : "; it runs next on node " + job.placedOn);
                return Optional.of(job);
            }
        }
    }

    /** What the release was for, in words, before the row changes. */
    private static String why(JobEntity job) {
        if (job.status == JobStatus.Pausing) {
            return "paused";
        }
        if (job.status == JobStatus.Deleting) {
            return "cancelled";
        }
        if (job.steer == null) {
            return "its node drains";
        }
        return switch (job.steer) {
            case RESTART -> "to restart";
            case MOVE -> "to move to node " + job.placedOn;
        };
    }

    /** What the run reported last: restarts, error, progress, which no snapshot may have carried yet. */
    private static void keepRunReport(JobEntity job, ToManager.JobEnded released) {
        job.restarts = released.restarts();
        if (released.error() != null) {
            job.lastError = Limits.cut(released.error(), Limits.ERROR_TEXT);
        }
        Progress progress = released.progress();
        if (progress != null) {
            job.progressDone = progress.done();
            job.progressTotal = progress.total();
            job.progressMessage = progress.message();
            job.progressAt = progress.at();
        }
    }
}
