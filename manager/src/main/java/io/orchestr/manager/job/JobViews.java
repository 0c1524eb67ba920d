package io.orchestr.manager.job;

import io.orchestr.manager.config.OrchestrConfig;
import io.orchestr.manager.quarantine.Quarantine;
import io.orchestr.manager.store.ConcurrencyKeyRows;
import io.orchestr.manager.store.ConcurrencyKeyRows.Load;
import io.orchestr.manager.store.JobEntity;
import io.orchestr.manager.store.ServerRepository;
import io.orchestr.manager.store.Store;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.Names;
import io.orchestr.shared.api.JobView;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Turns job rows into the API's {@link JobView}s, with the name of the server that runs each, and, for a job that
 * waits for a place of its concurrency key, how many of the key's jobs hold one.
 */
@ApplicationScoped
class JobViews {
    private final ServerRepository servers;
    private final ExecNodes execNodes;
    private final ConcurrencyKeyRows keys;
    private final Store store;
    private final Duration quarantineWindow;
    private final Duration heardWithin;

    JobViews(ServerRepository servers, ExecNodes execNodes, ConcurrencyKeyRows keys, Store store,
             OrchestrConfig config) {
        this.servers = servers;
        this.execNodes = execNodes;
        this.keys = keys;
        this.store = store;
        this.quarantineWindow = config.quarantine().window();
        this.heardWithin = config.nodeLostAfter();
    }

    JobView view(JobEntity job) {
        return views(List.of(job)).getFirst();
    }

    /** Views of {@code jobs}, in order; reads the names of their servers in one query. */
    List<JobView> views(List<JobEntity> jobs) {
        Set<UUID> owners = jobs.stream().filter(JobEntity::isRunning).map(job -> job.ownerId)
                .collect(Collectors.toCollection(HashSet::new));
        jobs.stream().map(job -> job.placedOn).filter(Objects::nonNull).forEach(owners::add);
        Map<UUID, String> names = servers.byIds(owners).stream()
                .collect(Collectors.toMap(server -> server.id, server -> server.name));
        Set<String> execPools = jobs.stream().anyMatch(JobViews::waitsForAnExecNode) ? execNodes.pools() : Set.of();
        Set<String> waitingKeys = jobs.stream().filter(JobEntity::waitsForConcurrencyKey)
                .map(job -> job.concurrencyKey).collect(Collectors.toSet());
        Map<String, Load> loads = waitingKeys.isEmpty() ? Map.of()
                : QuarkusTransaction.joiningExisting().call(() -> keys.loads(waitingKeys));
        Set<Store.PoolType> typeNodes = jobs.stream().filter(JobViews::waitsForANodeOfItsType)
                .map(job -> new Store.PoolType(job.pool, job.type)).distinct()
                .filter(poolType -> QuarkusTransaction.joiningExisting().call(() ->
                        !store.placementsRunning(poolType.pool(), poolType.type(), heardWithin).isEmpty()))
                .collect(Collectors.toSet());
        return jobs.stream().map(job -> view(job, names, execPools, loads, typeNodes)).toList();
    }

    /** A job that nodes which do not run its type claimed, placed on no node yet ({@link TypePlacement}). */
    private static boolean waitsForANodeOfItsType(JobEntity job) {
        return job.status == JobStatus.Queued && job.placedByType && job.placedOn == null;
    }

    /** A queued {@code exec} job no node is asked to take yet: it needs a node of its pool that runs them. */
    private static boolean waitsForAnExecNode(JobEntity job) {
        return job.status == JobStatus.Queued && job.placedOn == null && Names.EXEC_TYPE.equals(job.type);
    }

    private JobView view(JobEntity job, Map<UUID, String> serverNames, Set<String> execPools,
                         Map<String, Load> loads, Set<Store.PoolType> typeNodes) {
        // the owner stays on the row after the job ends; it is shown only while it runs the job
        UUID serverId = job.isRunning() ? job.ownerId : null;
        return new JobView(job.id, job.name, job.argument, job.type, job.pool, job.status, serverId,
                serverId == null ? null : serverNames.get(serverId), job.createdAt, job.modifiedAt, job.startedAt,
                job.lastHeartbeatAt, job.restarts, job.lastError, job.maxRestarts, job.heartbeatTimeout, job.timeout,
                job.params, job.result, job.progress(), job.checkpoint, job.checkpointAt,
                job.waitsForConcurrencyKey() ? waiting(job, loads.get(job.concurrencyKey))
                        : reason(job, serverNames, execPools, typeNodes),
                job.group, job.groupIndex, job.parentId, job.concurrencyKey, job.concurrencyLimit, job.sticky);
    }

    /** Why a job waits for a place of its key: {@code "waiting for concurrency key main (1 running, limit 1)"}. */
    private static String waiting(JobEntity job, Load load) {
        // no row yet: the first admission of the key makes it, with this job's limit if it is the oldest
        int holders = load == null ? 0 : load.holders();
        int limit = load == null || load.limit() == null ? job.concurrencyLimit : load.limit();
        return "waiting for concurrency key " + job.concurrencyKey + " (" + holders + " running, limit " + limit + ")";
    }

    /**
     * Why the job waits or what its node is asked to do, in words; null when there is nothing to say.
     *
     * @param execPools the pools that have a connected node running {@code exec} jobs
     * @param typeNodes the pools and types of the jobs that wait for a node of their type that have a live {@code
     *                  Active} node which runs the type
     */
    private String reason(JobEntity job, Map<UUID, String> serverNames, Set<String> execPools,
                          Set<Store.PoolType> typeNodes) {
        String owner = job.ownerId == null ? null : node(job.ownerId, serverNames);
        String target = job.placedOn == null ? null : node(job.placedOn, serverNames);
        return switch (job.status) {
            case Pausing -> "pausing: waiting for " + owner + " to confirm that its run stopped";
            case Paused -> job.quarantined ? Quarantine.reason(job.nodeDeathCount(), quarantineWindow)
                    : "paused: resume it to run it again";
            case Deleting -> "cancelling: waiting for " + owner + " to confirm that its run stopped";
            case Processing -> job.steer == null ? null : switch (job.steer) {
                case RESTART -> "restarting: waiting for " + owner + " to stop its run";
                case MOVE -> "moving to " + target + ": waiting for " + owner + " to stop its run";
            };
            case Queued -> job.roleOf != null && RoleReservations.needsNode(job) ? "waiting for a node of its own"
                    + " for role " + job.role + ": the role runs of job " + job.roleOf + " are placed together, each"
                    + " on an Active exec node of pool " + job.pool + " that serves its role and has a free slot"
                    : waitsForANodeOfItsType(job)
                    ? TypePlacement.reason(job, typeNodes.contains(new Store.PoolType(job.pool, job.type)))
                    : target != null ? "placed on " + target + ": waiting for that node to take it"
                    : waitsForAnExecNode(job) && !execPools.contains(job.pool)
                    ? "no node of pool " + job.pool + " runs type " + Names.EXEC_TYPE : null;
            case Deleted, Completed, Failed -> null;
        };
    }

    private static String node(UUID id, Map<UUID, String> serverNames) {
        String name = serverNames.get(id);
        return name == null ? "node " + id : "node " + name + " (" + id + ")";
    }
}
