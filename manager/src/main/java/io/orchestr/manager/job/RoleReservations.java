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
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Places the role runs of {@code exec} jobs with roles on nodes (docs/architecture.md, "Roles"): each role run on
 * an {@code Active} exec node of the job's pool that serves its role and has a free slot by its last snapshot, no
 * node for two roles of one job, and all of a job's waiting role runs at once or none of them, so that no job holds
 * slots for some roles while it waits for others that other such jobs hold. A role run that lost its node (it died,
 * or the run was restarted) is placed again the same way, away from the nodes its job's other roles run on. A job
 * some of whose role runs are paused or being paused or cancelled waits until they all are queued again (a
 * cascade resumes them one by one). Placing only sets {@code placed_on}; the caller publishes the placed runs to
 * their nodes' own queues, as a move does.
 */
@ApplicationScoped
class RoleReservations {
    private static final Logger LOG = Logger.getLogger(RoleReservations.class);
    private static final Set<JobStatus> ON_HOLD = EnumSet.of(JobStatus.Paused, JobStatus.Pausing, JobStatus.Deleting,
            JobStatus.Deleted);

    private final Store store;
    private final Duration heardWithin;
    private final Clock clock;

    RoleReservations(Store store, OrchestrConfig config, Clock clock) {
        this.store = store;
        this.heardWithin = config.nodeLostAfter();
        this.clock = clock;
    }

    /** True when {@code job}, a role run, needs a node: queued, and placed nowhere or not sent to its node yet. */
    static boolean needsNode(JobEntity job) {
        return job.status == JobStatus.Queued && (job.placedOn == null || !job.published);
    }

    /**
     * Places the waiting role runs of these jobs where all of a job's can be placed, in one transaction.
     *
     * @param roleJobs the jobs whose roles to place ({@link JobEntity#roleOf})
     * @param gone     nodes found gone since their last snapshot, which take nothing
     * @return the role runs placed, unpublished, for the caller to publish to their nodes
     */
    List<JobEntity> place(Collection<UUID> roleJobs, Set<UUID> gone) {
        return Transactions.retryingDeadlocks(() -> {
            Instant now = clock.instant();
            Map<String, Map<UUID, Store.Placement>> nodesByPool = new HashMap<>();
            List<JobEntity> placed = new ArrayList<>();
            for (UUID roleJob : roleJobs) {
                List<JobEntity> runs = store.lockRoleRuns(roleJob);
                if (runs.isEmpty() || runs.stream().anyMatch(run -> ON_HOLD.contains(run.status))) {
                    continue;
                }
                Map<UUID, Store.Placement> nodes = nodesByPool.computeIfAbsent(runs.getFirst().pool, pool ->
                        store.placements(pool, true, heardWithin).stream()
                                .filter(node -> !gone.contains(node.serverId())).collect(Collectors.toMap(
                                Store.Placement::serverId, node -> node, (a, b) -> a, LinkedHashMap::new)));
                placed.addAll(place(roleJob, runs, nodes, now));
            }
            return placed;
        });
    }

    /** Places the waiting {@code runs} of one job, all or none, taking a slot of each node given. */
    private List<JobEntity> place(UUID roleJob, List<JobEntity> runs, Map<UUID, Store.Placement> nodes,
                                  Instant now) {
        List<JobEntity> waiting = runs.stream().filter(RoleReservations::needsNode).toList();
        if (waiting.isEmpty()) {
            return List.of();
        }
        Set<UUID> taken = runs.stream().filter(run -> !needsNode(run)).map(RoleReservations::nodeOf)
                .filter(node -> node != null).collect(Collectors.toSet());
        Map<JobEntity, List<UUID>> candidates = new LinkedHashMap<>();
        for (JobEntity run : waiting) {
            candidates.put(run, nodes.values().stream()
                    .filter(node -> node.freeSlots() > 0 && node.serves(run.role) && !taken.contains(node.serverId()))
                    .map(Store.Placement::serverId).toList());
        }
        Optional<Map<JobEntity, UUID>> chosen = RoleMatching.match(candidates);
        if (chosen.isEmpty()) {
            LOG.debugf("Job %s waits: its roles %s cannot all be given nodes of their own now", roleJob,
                    waiting.stream().map(run -> run.role).toList());
            return List.of();
        }
        chosen.get().forEach((run, node) -> {
            run.placedOn = node;
            run.published = false;
            run.modifiedAt = now;
            Store.Placement before = nodes.get(node);
            nodes.put(node, new Store.Placement(node, before.name(), before.freeSlots() - 1, before.roles()));
        });
        LOG.infof("Job %s: placed role run(s) %s", roleJob, chosen.get().entrySet().stream()
                .map(entry -> entry.getKey().role + " (job " + entry.getKey().id + ") on node "
                        + nodes.get(entry.getValue()).name())
                .collect(Collectors.joining(", ")));
        return waiting;
    }

    /** The node a role run that needs none holds or is placed on; null for one that ended. */
    private static UUID nodeOf(JobEntity run) {
        return run.isRunning() ? run.ownerId : run.status == JobStatus.Queued ? run.placedOn : null;
    }
}
