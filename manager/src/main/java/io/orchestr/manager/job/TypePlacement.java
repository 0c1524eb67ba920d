package io.orchestr.manager.job;

import io.orchestr.manager.config.OrchestrConfig;
import io.orchestr.manager.store.JobEntity;
import io.orchestr.manager.store.Store;
import io.orchestr.shared.JobStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Places jobs by type (docs/architecture.md, "Version-aware placement"): a job that a node which does not run its
 * type claimed goes to an {@code Active} node of its pool that reports the type and has a free slot by its last
 * snapshot, the freest first, through that node's own queue as a move does. A job for which no such node exists
 * stays {@code Queued}, placed nowhere, until the republisher's next sweep finds one. Placing only sets {@code
 * placed_on}; the caller publishes the placed jobs to their nodes' queues.
 */
@ApplicationScoped
class TypePlacement {
    private static final Logger LOG = Logger.getLogger(TypePlacement.class);

    private final Store store;
    private final Duration heardWithin;
    private final Clock clock;

    TypePlacement(Store store, OrchestrConfig config, Clock clock) {
        this.store = store;
        this.heardWithin = config.nodeLostAfter();
        this.clock = clock;
    }

    /** True when {@code job} waits for a node of its type: queued by type, placed nowhere or not sent there yet. */
    static boolean needsNode(JobEntity job) {
        return job.placedByType && job.status == JobStatus.Queued && (job.placedOn == null || !job.published);
    }

    /** Why a job placed by type waits, for its view: {@code "no live node of pool P runs type T"}, or the slots. */
    static String reason(JobEntity job, boolean anyNodeRunsType) {
        return anyNodeRunsType ? "waiting for a free slot on a node of pool " + job.pool + " that runs type "
                + job.type : "no live node of pool " + job.pool + " runs type " + job.type;
    }

    /**
     * The waiting jobs that a node can take now, oldest first per pool and type, at most {@code limit}: only those
     * of types some live node of their pool runs, as many as such nodes have free slots, so that jobs no node can
     * take cost one query per pool and type, and never crowd out those that can be placed.
     */
    List<UUID> due(int limit) {
        List<UUID> due = new ArrayList<>();
        for (Store.PoolType poolType : store.typesToPlace()) {
            int free = store.placementsRunning(poolType.pool(), poolType.type(), heardWithin).stream()
                    .mapToInt(node -> Math.max(0, node.freeSlots())).sum();
            if (free > 0 && due.size() < limit) {
                due.addAll(store.typeJobsToPlace(poolType, Math.min(free, limit - due.size())));
            }
        }
        return due;
    }

    /**
     * Places those of these jobs that wait for a node of their type where one has a free slot, in one transaction.
     *
     * @param jobIds the jobs to place
     * @param gone   nodes found gone since their last snapshot, which take nothing
     * @return the jobs placed, unpublished, for the caller to publish to their nodes
     */
    List<JobEntity> place(Collection<UUID> jobIds, Set<UUID> gone) {
        if (jobIds.isEmpty()) {
            return List.of();
        }
        return Transactions.retryingDeadlocks(() -> {
            Instant now = clock.instant();
            Map<Store.PoolType, List<Store.Placement>> nodes = new HashMap<>();
            List<JobEntity> placed = new ArrayList<>();
            for (JobEntity job : store.lockJobs(jobIds)) {
                if (!needsNode(job)) {
                    continue;
                }
                List<Store.Placement> candidates = nodes.computeIfAbsent(new Store.PoolType(job.pool, job.type), key ->
                        new ArrayList<>(store.placementsRunning(job.pool, job.type, heardWithin).stream()
                                .filter(node -> !gone.contains(node.serverId())).toList()));
                Optional<Store.Placement> freest = candidates.stream().filter(node -> node.freeSlots() > 0)
                        .max((a, b) -> Integer.compare(a.freeSlots(), b.freeSlots()));
                if (freest.isEmpty()) {
                    LOG.debugf("Job %s waits: %s", job.id, reason(job, !candidates.isEmpty()));
                    continue;
                }
                Store.Placement node = freest.get();
                job.placedOn = node.serverId();
                job.published = false;
                job.modifiedAt = now;
                candidates.set(candidates.indexOf(node), new Store.Placement(node.serverId(), node.name(),
                        node.freeSlots() - 1, node.roles()));
                LOG.infof("Job %s of type %s is placed on node %s (%s), which runs its type", job.id, job.type,
                        node.name(), node.serverId());
                placed.add(job);
            }
            return placed;
        });
    }
}
