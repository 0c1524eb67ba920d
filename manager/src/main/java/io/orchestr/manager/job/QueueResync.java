package io.orchestr.manager.job;

import io.orchestr.manager.OutageLog;
import io.orchestr.manager.broker.JobPublisher;
import io.orchestr.manager.broker.QueueProbe;
import io.orchestr.manager.config.OrchestrConfig;
import io.orchestr.manager.store.JobEntity;
import io.orchestr.manager.store.Store;
import io.orchestr.shared.topology.Topology;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

/**
 * Republishes the jobs whose message the broker lost: a job queue deleted by an operator, or a broker that came
 * back without its data. Nodes cannot tell the manager (a node whose consumer was cancelled only knows its own
 * deliveries), so the manager counts: every active job either runs on a live node (one that sent a
 * snapshot lately: a node that loses a delivery ends its incarnation), or has a message in its queue (the pool's
 * exec queue for an {@code exec} job, its job queue for any other), ready or held by a node that claims it
 * (snapshots count those). Each queue is counted on its own. A job just delivered is briefly in none of these,
 * so only jobs found unheld at two checks in a row are suspects; fewer messages than suspects means messages are
 * gone, and the suspects are published again. Copies of jobs that were not lost are duplicates, which the claim
 * rule drops.
 *
 * <p>The counts hold only while the managers keep up: with claims and snapshots waiting in the manager queue
 * (a bulk creation, a database outage), what the nodes hold is not known yet, and the check waits for a
 * quieter moment rather than republish thousands of jobs that were never lost.
 *
 * <p>Runs in every manager; two managers republishing the same jobs make harmless duplicates.
 */
@ApplicationScoped
class QueueResync {
    private static final Logger LOG = Logger.getLogger(QueueResync.class);
    /** More messages than this waiting for the managers means the snapshots are behind. */
    private static final int BACKLOG = 100;

    private final Store store;
    private final QueueProbe probe;
    private final JobPublisher publisher;
    private final Publication publication;
    private final Topology topology;
    private final Duration checkEvery;
    private final Duration ownerHeardWithin;
    private final Clock clock;
    private final OutageLog outageLog = new OutageLog(LOG, "compare the job queues with the jobs");
    /** Per queue, the jobs no node held at the previous check; touched by the scheduler's one run at a time. */
    private final Map<Store.PoolQueue, Set<UUID>> unheldLastTime = new HashMap<>();
    private Instant nextCheck = Instant.MIN;

    QueueResync(Store store, QueueProbe probe, JobPublisher publisher, Publication publication, Topology topology,
                OrchestrConfig config, Clock clock) {
        this.store = store;
        this.probe = probe;
        this.publisher = publisher;
        this.publication = publication;
        this.topology = topology;
        this.checkEvery = config.resyncInterval().dividedBy(2);
        this.ownerHeardWithin = config.nodeLostAfter();
        this.clock = clock;
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkWhenDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextCheck)) {
            return;
        }
        nextCheck = now.plus(checkEvery);
        outageLog.run(this::checkAll);
    }

    private void checkAll() {
        int backlog = probe.readyManagerMessages().orElse(0);
        if (backlog > BACKLOG) {
            LOG.debugf("Not comparing the job queues with the jobs: %d messages wait for the managers", backlog);
            unheldLastTime.clear();
            return;
        }
        for (Store.PoolQueue queue : QuarkusTransaction.requiringNew().call(store::activeQueues)) {
            check(queue);
        }
    }

    /**
     * Compares one queue with its jobs. The nodes' claiming counts are per node, not per queue: a node serving both
     * queues of a pool counts in each, which can only delay a republish, never cause one.
     */
    private void check(Store.PoolQueue queue) {
        String pool = queue.pool();
        String name = queue.exec() ? topology.execQueue(pool) : topology.jobQueue(pool);
        Set<UUID> unheld = QuarkusTransaction.requiringNew()
                .call(() -> store.unheldJobIds(queue, ownerHeardWithin));
        Set<UUID> before = unheld.isEmpty() ? unheldLastTime.remove(queue) : unheldLastTime.put(queue, unheld);
        Set<UUID> suspects = new HashSet<>(unheld);
        suspects.retainAll(before == null ? Set.of() : before);
        if (suspects.isEmpty()) {
            return;
        }
        OptionalInt ready = probe.readyJobMessages(name);
        long claiming = QuarkusTransaction.requiringNew()
                .call(() -> store.claimingCopies(pool, ownerHeardWithin));
        if (ready.isEmpty()) {
            publisher.queueMissing(name);
        } else if (ready.getAsInt() + claiming >= suspects.size()) {
            return;
        }
        unheldLastTime.remove(queue);
        LOG.warnf("Queue %s: %d active jobs that no node runs, but %s and nodes claim %d: the broker lost their"
                        + " messages (queue deleted, or broker data lost); publishing them again", name,
                suspects.size(), ready.isEmpty() ? "its queue is missing" : "only " + ready.getAsInt()
                        + " messages wait in its queue", claiming);
        for (JobEntity job : QuarkusTransaction.requiringNew().call(() -> store.jobs(suspects))) {
            publication.publish(List.of(job));
        }
    }
}
