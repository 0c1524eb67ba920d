package io.orchestr.manager.job;

import io.orchestr.manager.broker.JobPublisher;
import io.orchestr.manager.broker.UnroutableException;
import io.orchestr.manager.store.JobEntity;
import io.orchestr.manager.store.Store;
import io.orchestr.shared.Causes;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobView;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The last two steps of the outbox, shared by creation, steering and the republisher: publish, then mark published.
 * A job placed on a node (a move) goes to that node's own queue; should that node be gone, its placement is
 * cleared and it goes to its pool's queue like any other. A job waiting for a place of its concurrency key is not
 * published: its key admits the jobs it has places for, and those are published instead, so that every path that
 * queues a job (creation, resume, rerun, resync) goes through its key's admission. A role run of a job with roles is
 * not published to its pool's queue either: {@link RoleReservations} places all of its job's waiting role runs on
 * nodes, or none, and those placed go to their nodes' own queues.
 */
@ApplicationScoped
public class Publication {
    private static final Logger LOG = Logger.getLogger(Publication.class);
    /** How often a role run whose node turned out gone is placed again at once, before the republisher's turn. */
    private static final int PLACEMENT_ROUNDS = 3;

    private final JobPublisher publisher;
    private final Store store;
    private final ConcurrencyKeys keys;
    private final RoleReservations roles;
    private final TypePlacement types;

    Publication(JobPublisher publisher, Store store, ConcurrencyKeys keys, RoleReservations roles,
                TypePlacement types) {
        this.publisher = publisher;
        this.store = store;
        this.keys = keys;
        this.roles = roles;
        this.types = types;
    }

    /**
     * Publishes the jobs' messages with one wait for the broker's confirms (placed jobs one by one: they are few)
     * and, once it confirmed them all, marks their rows published in one update.
     *
     * @throws RuntimeException when either step failed; the rows then stay unpublished
     */
    public void publish(List<JobEntity> jobs) {
        List<JobEntity> admitted = new ArrayList<>(jobs.size());
        Set<String> waitingKeys = new LinkedHashSet<>();
        Set<UUID> roleJobs = new LinkedHashSet<>();
        List<UUID> byType = new ArrayList<>();
        for (JobEntity job : jobs) {
            if (job.roleOf != null) {
                roleJobs.add(job.roleOf);
            } else if (TypePlacement.needsNode(job)) {
                byType.add(job.id);
            } else if (job.waitsForConcurrencyKey()) {
                waitingKeys.add(job.concurrencyKey);
            } else {
                admitted.add(job);
            }
        }
        if (!admitted.isEmpty()) {
            publishAdmitted(admitted);
        }
        if (!roleJobs.isEmpty()) {
            placeRoles(roleJobs);
        }
        if (!byType.isEmpty()) {
            placeByType(byType);
        }
        if (!waitingKeys.isEmpty()) {
            Map<UUID, JobEntity> given = new HashMap<>();
            jobs.forEach(job -> given.put(job.id, job));
            admitNext(waitingKeys, given);
        }
    }

    /**
     * Admits, and publishes, the jobs that the places free under these keys now let run: after a job of a key
     * stopped holding its place (it ended, was paused or cancelled). Failures are logged: the republisher's sweep
     * admits what is left within a second or so.
     */
    public void admitNext(Collection<String> concurrencyKeys) {
        try {
            admitNext(concurrencyKeys, Map.of());
        } catch (RuntimeException e) {
            LOG.warnf("Could not admit the next jobs of concurrency key(s) %s now (%s); the republisher does shortly",
                    concurrencyKeys, Causes.describe(e));
        }
    }

    /**
     * After a call that may have stopped {@code job} (a cancel or pause): when the job has a concurrency key and is
     * no longer active, admits the key's next jobs.
     */
    public void admitNextAfter(JobView job) {
        if (job.concurrencyKey() != null && !JobStatus.ACTIVE.contains(job.status())) {
            admitNext(List.of(job.concurrencyKey()));
        }
    }

    /**
     * Places the waiting role runs of these jobs on nodes, each job's all or none ({@link RoleReservations}), and
     * publishes those placed to their nodes' queues.
     */
    public void placeRoles(Collection<UUID> roleJobs) {
        Set<UUID> gone = new HashSet<>();
        Collection<UUID> pending = roleJobs;
        // a node that died a moment ago still looks Active: the runs placed on it are placed again, elsewhere
        for (int round = 0; round < PLACEMENT_ROUNDS && !pending.isEmpty(); round++) {
            List<JobEntity> unplaced = publishAdmitted(roles.place(pending, gone));
            unplaced.forEach(run -> gone.add(run.placedOn));
            pending = unplaced.stream().map(run -> run.roleOf).collect(Collectors.toSet());
        }
    }

    /**
     * Places these jobs that wait for a node of their type ({@link TypePlacement}) and publishes those placed to
     * their nodes' queues; those no node can take yet wait for the republisher's next sweep.
     */
    public void placeByType(Collection<UUID> jobIds) {
        Set<UUID> gone = new HashSet<>();
        Collection<UUID> pending = jobIds;
        // as for roles: a node that died a moment ago still looks Active
        for (int round = 0; round < PLACEMENT_ROUNDS && !pending.isEmpty(); round++) {
            List<JobEntity> unplaced = publishAdmitted(types.place(pending, gone));
            unplaced.forEach(job -> gone.add(job.placedOn));
            pending = unplaced.stream().map(job -> job.id).toList();
        }
    }

    /** {@code given}: jobs the caller holds, marked admitted when they are, so that its views say so. */
    private void admitNext(Collection<String> concurrencyKeys, Map<UUID, JobEntity> given) {
        for (String key : concurrencyKeys) {
            List<JobEntity> admitted = keys.admit(key);
            admitted.forEach(job -> Optional.ofNullable(given.get(job.id)).ifPresent(mine ->
                    mine.concurrencyAdmitted = true));
            if (!admitted.isEmpty()) {
                publishAdmitted(admitted);
            }
        }
    }

    /**
     * Publishes the jobs and marks them published; returns the role runs and the jobs placed by type whose node was
     * gone, placed nowhere now.
     */
    private List<JobEntity> publishAdmitted(List<JobEntity> jobs) {
        List<JobEntity> pooled = new ArrayList<>(jobs.size());
        List<JobEntity> unplaced = new ArrayList<>();
        List<UUID> published = new ArrayList<>(jobs.size());
        for (JobEntity job : jobs) {
            if (job.placedOn != null && placed(job)) {
                published.add(job.id);
            } else if (job.roleOf == null && !job.placedByType) {
                pooled.add(job);
                published.add(job.id);
            } else {
                // a role run, or a job that nodes of its pool which do not run its type claimed, goes to no
                // pool's queue: it is placed again
                unplaced.add(job);
            }
        }
        if (!pooled.isEmpty()) {
            publisher.publish(pooled.stream().map(JobEntity::toMessage).toList());
        }
        if (!published.isEmpty()) {
            QuarkusTransaction.requiringNew().run(() -> store.markPublished(published));
        }
        return unplaced;
    }

    /** Puts a placed job on its node's queue; false when that node is gone, and the job's placement cleared. */
    private boolean placed(JobEntity job) {
        try {
            publisher.place(job.toMessage(), job.placedOn);
            return true;
        } catch (UnroutableException e) {
            LOG.infof("Job %s was to run next on node %s, which is gone: it goes to %s", job.id, job.placedOn,
                    job.roleOf != null ? "another node of its role " + job.role : job.placedByType
                            ? "another node that runs type " + job.type : "any node of pool " + job.pool);
            QuarkusTransaction.requiringNew().run(() -> store.clearPlacement(job.id));
            return false;
        }
    }
}
