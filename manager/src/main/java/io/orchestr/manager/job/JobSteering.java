package io.orchestr.manager.job;

import io.orchestr.manager.ConflictException;
import io.orchestr.manager.UnknownIdException;
import io.orchestr.manager.broker.ControlMessage;
import io.orchestr.manager.broker.ControlPublisher;
import io.orchestr.manager.config.OrchestrConfig;
import io.orchestr.manager.history.JobEvent;
import io.orchestr.manager.history.JobHistory;
import io.orchestr.manager.store.JobEntity;
import io.orchestr.manager.store.Steer;
import io.orchestr.manager.store.Store;
import io.orchestr.shared.Causes;
import io.orchestr.shared.JobEventKind;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.Names;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.wire.ToNode;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Pauses, resumes, restarts and moves jobs (docs/architecture.md, "Steering jobs"). A job no node runs changes at
 * once. A running job's owner is asked to release it ({@link ToNode.Release}): it stops the handler, reports the
 * release, and acks the message; only that report, or the owner being gone, lets the job go on ({@code Paused}, or
 * queued again), so that its next run never overlaps the last one. Each call is idempotent where its status says it
 * is done or under way already, and refused (409) where it cannot apply.
 */
@ApplicationScoped
public class JobSteering {
    private static final Logger LOG = Logger.getLogger(JobSteering.class);

    private final Store store;
    private final JobViews views;
    private final ControlPublisher controls;
    private final Publication publication;
    private final JobHistory history;
    private final Duration heardWithin;
    private final Clock clock;

    JobSteering(Store store, JobViews views, ControlPublisher controls, Publication publication, JobHistory history,
                OrchestrConfig config, Clock clock) {
        this.history = history;
        this.store = store;
        this.views = views;
        this.controls = controls;
        this.publication = publication;
        this.heardWithin = config.nodeLostAfter();
        this.clock = clock;
    }

    /**
     * A queued job is {@code Paused} at once; a running one {@code Pausing} until its owner released it. A repeat,
     * or a pause of a paused job, changes nothing.
     *
     * @throws ConflictException when the job ended or is being cancelled
     */
    public JobView pause(UUID jobId, String actor) {
        return steer(jobId, (job, now) -> switch (job.status) {
            case Queued -> {
                // its message, wherever it waits, is dropped when a node claims it
                job.changeStatus(JobStatus.Paused, now);
                job.placedOn = null;
                history.record(asked(JobEventKind.PAUSED, job, now, actor, "no node ran it: Paused at once"));
                LOG.infof("Paused job %s while no node ran it", jobId);
                yield Change.NONE;
            }
            case Processing -> {
                job.steer = null; // a pause overrides a restart or move under way: the release now pauses
                job.changeStatus(JobStatus.Pausing, now);
                history.record(asked(JobEventKind.PAUSED, job, now, actor, "Pausing until its node stops the run")
                        .withRun(job.ownerId, job.epoch));
                LOG.infof("Pausing job %s: node %s is asked to stop its run", jobId, job.ownerId);
                yield Change.release(job, "the user paused it");
            }
            case Pausing, Paused -> Change.NONE;
            case Deleting, Deleted, Completed, Failed -> throw refused(job, "pause");
        });
    }

    /**
     * A paused job is queued again. A queued or running job is left alone.
     *
     * @throws ConflictException when the job ended, is being cancelled, or is still pausing
     */
    public JobView resume(UUID jobId, String actor) {
        return steer(jobId, (job, now) -> switch (job.status) {
            case Paused -> {
                job.requeue(now);
                job.waitForPlaceAgain(now);
                String detail = job.quarantined ? "Queued; no longer quarantined" : "Queued";
                job.forgetNodeDeaths(); // a quarantine ends here: the operator decided the job may run again
                history.record(asked(JobEventKind.RESUMED, job, now, actor, detail));
                LOG.infof("Resumed job %s: it is Queued", jobId);
                yield Change.publish(job);
            }
            case Queued, Processing -> Change.NONE;
            case Pausing -> throw new ConflictException("job " + jobId + " is Pausing: node " + job.ownerId
                    + " has not confirmed that its run stopped yet; resume it once it is Paused");
            case Deleting, Deleted, Completed, Failed -> throw refused(job, "resume");
        });
    }

    /**
     * A running job's run stops and a new one starts, on any node of its pool. A queued job starts anyway, and a
     * repeat while the restart is under way changes nothing.
     *
     * @throws ConflictException when the job is paused, pausing, being cancelled or ended
     */
    public JobView restart(UUID jobId, String actor) {
        return steer(jobId, (job, now) -> switch (job.status) {
            case Queued -> Change.NONE;
            case Processing -> {
                if (job.steer == Steer.RESTART) {
                    yield Change.NONE;
                }
                job.steer = Steer.RESTART;
                job.placedOn = null;
                job.modifiedAt = now;
                history.record(asked(JobEventKind.RESTARTED, job, now, actor, "a new run starts once its node"
                        + " stopped this one").withRun(job.ownerId, job.epoch));
                LOG.infof("Restarting job %s: node %s is asked to stop its run", jobId, job.ownerId);
                yield Change.release(job, "the user restarted it");
            }
            case Paused -> throw new ConflictException("job " + jobId + " is Paused: resume it to run it again");
            case Pausing, Deleting, Deleted, Completed, Failed -> throw refused(job, "restart");
        });
    }

    /**
     * A running job's run stops and the next one starts on {@code serverId}, or, when null, on the node of its pool
     * with the most free slots other than its owner. A queued job is placed on {@code serverId} (one must be
     * named). The node must be {@code Active}, serve the job's pool and have a free slot by its last snapshot.
     *
     * @throws ConflictException when no such node exists, or the job is not queued or running
     */
    public JobView move(UUID jobId, UUID serverId, String actor) {
        return steer(jobId, (job, now) -> {
            if (job.roleOf != null) {
                throw new ConflictException("job " + jobId + " plays role " + job.role + " of job " + job.roleOf
                        + ": the managers place the runs of a job's roles, each on a node of its own; restart it to"
                        + " have it placed again");
            }
            return switch (job.status) {
                case Queued -> {
                    if (serverId == null) {
                        throw new ConflictException("job " + jobId + " is Queued and runs on no node yet: name a"
                                + " serverId to place it on that node");
                    }
                    job.placedOn = target(job, serverId);
                    job.requeue(now);
                    history.record(asked(JobEventKind.MOVED, job, now, actor, "placed on node " + job.placedOn));
                    LOG.infof("Placed job %s on node %s", jobId, job.placedOn);
                    yield Change.publish(job);
                }
                case Processing -> moveRunning(job, target(job, serverId), now, actor, "the user moved it");
                case Paused, Pausing, Deleting, Deleted, Completed, Failed -> throw refused(job, "move");
            };
        });
    }

    /**
     * Moves a running job to {@code serverId} as the rebalancer decided (docs/architecture.md, "Rebalancing"): as
     * {@link #move} does, but only while the job still runs on {@code from} with nothing asked of it and is not
     * sticky, and the target can still take it; a job that changed since the decision is left alone.
     *
     * @return true when the move was asked for; false when the job or the target changed meanwhile
     */
    public boolean rebalance(UUID jobId, UUID from, UUID serverId) {
        AtomicBoolean asked = new AtomicBoolean();
        try {
            steer(jobId, (job, now) -> {
                asked.set(false); // a deadlock runs the transaction again
                if (job.status != JobStatus.Processing || job.steer != null || !from.equals(job.ownerId)
                        || job.sticky || job.roleOf != null) {
                    return Change.NONE;
                }
                Change change = moveRunning(job, target(job, serverId), now, null, "the managers rebalance its pool");
                asked.set(true);
                return change;
            });
        } catch (ConflictException | UnknownIdException e) {
            LOG.debugf("Not moving job %s to node %s to rebalance: %s", jobId, serverId, e.getMessage());
            return false;
        }
        return asked.get();
    }

    /** Asks the owner of running {@code job} to stop its run, whose next one starts on {@code target}. */
    private Change moveRunning(JobEntity job, UUID target, Instant now, String actor, String why) {
        boolean repeat = job.steer == Steer.MOVE && target.equals(job.placedOn);
        job.steer = Steer.MOVE;
        job.placedOn = target;
        job.modifiedAt = now;
        if (repeat) {
            return Change.NONE;
        }
        history.record(asked(JobEventKind.MOVED, job, now, actor, "to node " + target + " once its node"
                + " stopped the run" + (actor == null ? ": " + why : "")).withRun(job.ownerId, job.epoch));
        LOG.infof("Moving job %s from node %s to node %s (%s): the first is asked to stop its run", job.id,
                job.ownerId, target, why);
        return Change.release(job, why + " to node " + target);
    }

    /** The node a move of {@code job} goes to: {@code serverId} if it can take the job, else the freest other. */
    private UUID target(JobEntity job, UUID serverId) {
        List<Store.Placement> candidates = store.placements(job.pool, Names.EXEC_TYPE.equals(job.type), heardWithin)
                .stream()
                .filter(candidate -> !candidate.serverId().equals(job.ownerId) || !job.isRunning())
                .toList();
        if (serverId == null) {
            return candidates.stream().filter(candidate -> candidate.freeSlots() > 0).findFirst()
                    .map(Store.Placement::serverId)
                    .orElseThrow(() -> new ConflictException("no other node can take job " + job.id + ": no Active"
                            + " node of pool " + job.pool + execNote(job) + " besides its own has a free slot"));
        }
        if (serverId.equals(job.ownerId) && job.isRunning()) {
            throw new ConflictException("job " + job.id + " runs on server " + serverId + " already");
        }
        Optional<Store.Placement> named = candidates.stream()
                .filter(candidate -> candidate.serverId().equals(serverId)).findFirst();
        if (named.isEmpty()) {
            throw new ConflictException("server " + serverId + " cannot take job " + job.id + ": it is not an"
                    + " Active node of pool " + job.pool + execNote(job) + " that reported within "
                    + heardWithin.toSeconds() + " s");
        }
        if (named.get().freeSlots() <= 0) {
            throw new ConflictException("server " + serverId + " (" + named.get().name() + ") has no free slot for"
                    + " job " + job.id);
        }
        return serverId;
    }

    /** What else a node must be to take {@code job}, in words: an {@code exec} job needs one that runs them. */
    private static String execNote(JobEntity job) {
        return Names.EXEC_TYPE.equals(job.type) ? " that runs exec jobs" : "";
    }

    /** A steering event {@code actor} asked for. */
    private static JobEvent asked(JobEventKind kind, JobEntity job, Instant now, String actor, String detail) {
        return JobEvent.of(kind, job.id, now).withActor(actor).withDetail(detail);
    }

    private static ConflictException refused(JobEntity job, String action) {
        return new ConflictException("cannot " + action + " job " + job.id + ": it is " + job.status);
    }

    /** What a steering call changed beyond the row: a release to ask of the owner, or a message to publish. */
    private record Change(ControlMessage release, JobEntity publish) {
        static final Change NONE = new Change(null, null);

        static Change release(JobEntity job, String why) {
            return new Change(ControlMessage.toNode(job.ownerId, new ToNode.Release(job.id, job.epoch, why)), null);
        }

        static Change publish(JobEntity job) {
            return new Change(null, job);
        }
    }

    private interface Action {
        Change apply(JobEntity job, Instant now);
    }

    /** Applies {@code action} to the locked row, commits, then sends what it asks for. */
    private JobView steer(UUID jobId, Action action) {
        record Outcome(JobView job, Change change) {
        }
        // a snapshot updating the same rows can make the database pick this transaction to break a deadlock
        Outcome outcome = Transactions.retryingDeadlocks(() -> {
            JobEntity job = store.lockJob(jobId).orElseThrow(() -> new UnknownIdException("job", jobId.toString()));
            Change change = action.apply(job, clock.instant());
            return new Outcome(views.view(job), change);
        });
        Change change = outcome.change();
        if (change.release() != null) {
            try {
                controls.send(List.of(change.release()));
            } catch (RuntimeException e) {
                LOG.warnf("Could not ask for the release of job %s now (%s); it goes out again with its owner's next"
                        + " snapshot", jobId, Causes.describe(e));
            }
        }
        if (change.publish() != null) {
            try {
                publication.publish(List.of(change.publish()));
            } catch (RuntimeException e) {
                LOG.warnf("Could not publish job %s now (%s); the republisher sends it shortly", jobId,
                        Causes.describe(e));
            }
        }
        publication.admitNextAfter(outcome.job()); // a job paused while queued frees its key's place
        return outcome.job();
    }
}
