package io.orchestr.manager.job;

import io.orchestr.manager.OutageLog;
import io.orchestr.manager.broker.QueueProbe;
import io.orchestr.manager.config.OrchestrConfig;
import io.orchestr.manager.history.JobEvent;
import io.orchestr.manager.history.JobHistory;
import io.orchestr.manager.store.JobEntity;
import io.orchestr.manager.store.Store;
import io.orchestr.shared.Causes;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Publishes the jobs whose message was never confirmed: their manager died between commit and confirm, or the
 * broker was down. Runs in every manager; two managers publishing the same job make a harmless duplicate.
 */
@ApplicationScoped
class Republisher {
    private static final Logger LOG = Logger.getLogger(Republisher.class);
    /** Jobs per publication (one confirm wait, one update); several batches go out per run while more wait. */
    private static final int BATCH = 1_000;
    private static final int BATCHES_PER_RUN = 10;
    /** Concurrency keys admitted for per run; more are left to the next run. */
    private static final int KEYS_PER_RUN = 100;
    /** Jobs with roles placed per run; more are left to the next run. */
    private static final int ROLE_JOBS_PER_RUN = 100;
    /** Jobs placed by type per run; more are left to the next run. */
    private static final int TYPE_JOBS_PER_RUN = 100;

    private final Store store;
    private final Publication publication;
    private final QueueProbe probe;
    private final ConcurrencyKeys keys;
    private final TypePlacement types;
    private final JobHistory history;
    private final Duration republishAfter;
    private final Clock clock;
    private final OutageLog outageLog = new OutageLog(LOG, "republish unpublished jobs");

    Republisher(Store store, Publication publication, QueueProbe probe, ConcurrencyKeys keys, TypePlacement types,
                JobHistory history, OrchestrConfig config, Clock clock) {
        this.keys = keys;
        this.types = types;
        this.history = history;
        this.store = store;
        this.probe = probe;
        this.publication = publication;
        this.republishAfter = config.republishAfter();
        this.clock = clock;
    }

    @Scheduled(every = "${orchestr.republish-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void republish() {
        outageLog.run(() -> {
            unplaceFromGoneNodes();
            admitWaitingJobs();
            placeWaitingRoles();
            placeWaitingTypes();
            for (int batch = 0; batch < BATCHES_PER_RUN; batch++) {
                List<JobEntity> jobs = QuarkusTransaction.requiringNew()
                        .call(() -> store.unpublishedJobs(clock.instant().minus(republishAfter), BATCH));
                if (!jobs.isEmpty()) {
                    republish(jobs);
                }
                if (jobs.size() < BATCH) {
                    return;
                }
            }
        });
    }

    /**
     * A job moved to a node waits on that node's own queue, and runs from it there; that queue disappears with the
     * node, messages and all: the jobs placed on a node that is gone go on without it, published at once. Only
     * jobs placed on a node are looked at, a few at most, so this costs nothing otherwise.
     */
    private void unplaceFromGoneNodes() {
        for (UUID target : QuarkusTransaction.requiringNew().call(store::placementTargets)) {
            if (!probe.controlQueueExists(target)) {
                List<JobEntity> queued = QuarkusTransaction.requiringNew().call(() -> unplaceFrom(target));
                if (!queued.isEmpty()) {
                    LOG.infof("Node %s is gone with its own queue: %d job(s) placed on it go to another node of"
                            + " their pool", target, queued.size());
                    republish(queued); // at once: their runs are over, a failover must not wait
                }
            }
        }
    }

    /**
     * Admits the jobs of concurrency keys that have a free place: a place freed without an admission after it (its
     * manager died after the commit, or the path that freed it leaves the admission to this sweep: a node found
     * gone while a pause or cancel waited for it, say). Keys without active jobs lose their rows here too.
     */
    private void admitWaitingJobs() {
        List<String> due = keys.keysToAdmit(KEYS_PER_RUN);
        if (!due.isEmpty()) {
            LOG.debugf("Admitting the waiting jobs of %d concurrency key(s)", due.size());
            publication.admitNext(due);
        }
    }

    /**
     * Places the role runs that wait for nodes: those of jobs whose roles could not all be given nodes yet, and those
     * that lost theirs (a node gone, a restart). Jobs waiting that long are tried at every run, until nodes free up.
     */
    private void placeWaitingRoles() {
        List<UUID> due = QuarkusTransaction.requiringNew()
                .call(() -> store.roleJobsToPlace(clock.instant().minus(republishAfter), ROLE_JOBS_PER_RUN));
        if (!due.isEmpty()) {
            publication.placeRoles(due);
        }
    }

    /**
     * Places the jobs that wait for a node of their type: at once, not after {@code republishAfter}, since each was
     * claimed and dropped by a node that does not run its type, and no message of it is anywhere. A job whose type no
     * live node of its pool runs (or whose nodes have no free slot) waits for a run that finds one: the first after
     * such a node's snapshot arrives.
     */
    private void placeWaitingTypes() {
        List<UUID> due = QuarkusTransaction.requiringNew().call(() -> types.due(TYPE_JOBS_PER_RUN));
        if (!due.isEmpty()) {
            publication.placeByType(due);
        }
    }

    /** Queues the jobs placed on gone {@code target} again; those it ran get their run's end in their history. */
    private List<JobEntity> unplaceFrom(UUID target) {
        Instant now = clock.instant();
        List<JobEntity> queued = store.jobs(store.unplaceFrom(target, now));
        history.recordAll(queued.stream().filter(job -> target.equals(job.ownerId))
                .map(job -> JobEvent.stopped(job.id, now, target, job.epoch, "run over: its node is gone with its"
                        + " own queue"))
                .toList());
        return queued;
    }

    private void republish(List<JobEntity> jobs) {
        long republished = jobs.size();
        try {
            publication.publish(jobs);
        } catch (RuntimeException e) {
            if (jobs.size() == 1) {
                throw e;
            }
            // one job's message may be what fails (its pool's queue cannot be declared, say): one by one, the
            // others still go out
            LOG.debugf("Republishing %d jobs together failed (%s); publishing them one by one", jobs.size(),
                    Causes.describe(e));
            republished = republishOneByOne(jobs);
        }
        if (republished > 0) {
            LOG.infof("Republished %d job(s) whose message had not been confirmed", republished);
        }
    }

    /**
     * Publishes each job alone; a job that fails is logged and tried again at the next run. Two failures in a row
     * are taken for an outage: the rest waits for the next run instead of failing one by one.
     */
    private long republishOneByOne(List<JobEntity> jobs) {
        long republished = 0;
        RuntimeException previous = null;
        for (JobEntity job : jobs) {
            try {
                publication.publish(List.of(job));
                republished++;
                previous = null;
            } catch (RuntimeException e) {
                if (previous != null) {
                    throw e;
                }
                LOG.warnf("Could not republish job %s ('%s') to pool %s: %s; trying again at the next run", job.id,
                        job.name, job.pool, Causes.describe(e));
                previous = e;
            }
        }
        return republished;
    }
}
