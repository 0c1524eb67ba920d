package io.orchestr.manager.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.manager.NameTakenException;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.Limits;
import io.orchestr.shared.Names;
import io.orchestr.shared.NodeStatus;
import io.orchestr.shared.Progress;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToManager;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.jpa.HibernateHints;
import org.hibernate.query.NativeQuery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Row locks and hand-written SQL: everything that must hold under concurrent managers. Plain reads live in the
 * repositories. Every method joins the caller's transaction.
 *
 * <p>Updates that come from nodes are fenced, like a compare-and-set: they name the owner and epoch they
 * expect, and change nothing (0 rows) when a newer grant exists.
 *
 * <p>A server's {@code last_heartbeat_at} is written and compared by the database's clock
 * ({@code UTC_TIMESTAMP(3)}), never by a manager's: one manager applies a node's snapshot and another judges
 * whether the node went silent, and their clocks may disagree by more than the silence that counts.
 */
@ApplicationScoped
public class Store {
    /** Rows per statement when a snapshot touches many jobs; keeps statements well under the packet limits. */
    private static final int CHUNK = 200;
    /**
     * A job's heartbeat is written when it moved on by this much: writing every held job's row each second capped
     * the fleet's size (bench/README.md has the figures).
     */
    private static final Duration HEARTBEAT_RESOLUTION = Duration.ofSeconds(10);
    /** The parameters of one reported run in {@link #recordRuns}. */
    private static final int RUN_COLUMNS = 9;

    /**
     * The statuses of a node incarnation that is connected as far as the managers know, as an SQL list: a draining
     * or drained node keeps its connection, its heartbeats and the jobs it has not released yet.
     */
    private static final String CONNECTED_SQL = "('Active', 'Draining', 'Drained')";

    /** {@link JobStatus#ACTIVE} as an SQL list, for native queries. */
    private static final String ACTIVE_SQL = sqlList(JobStatus.ACTIVE);

    /** {@link JobStatus#ENDED} as an SQL list, for native queries. */
    private static final String ENDED_SQL = sqlList(JobStatus.ENDED);
    /** {@link JobStatus#HELD} as an SQL list, for native queries. */
    private static final String HELD_SQL = sqlList(JobStatus.HELD);

    private static final JsonText JSON_TEXT = new JsonText();
    private static final UtcDatetime UTC_DATETIME = new UtcDatetime();

    private final EntityManager em;

    Store(EntityManager em) {
        this.em = em;
    }

    /**
     * The job, its row locked until the transaction ends; empty if unknown. Plain {@code FOR UPDATE}: Hibernate's
     * MySQL 8 form ({@code FOR UPDATE OF alias}) is not valid on MariaDB.
     */
    public Optional<JobEntity> lockJob(UUID jobId) {
        return em.createNativeQuery("SELECT * FROM job WHERE id = ?1 FOR UPDATE", JobEntity.class)
                .setParameter(1, jobId.toString())
                .getResultStream().findFirst();
    }

    /**
     * Owner, epoch and status of each of these jobs that exists, by id, their rows locked until the transaction
     * ends. Locked in id order, chunk after chunk, so that two transactions locking overlapping sets wait for each
     * other instead of deadlocking.
     */
    public Map<UUID, JobState> lockJobStates(Collection<UUID> jobIds) {
        List<String> ids = jobIds.stream().map(UUID::toString).sorted().distinct().toList();
        Map<UUID, JobState> states = new HashMap<>(ids.size() * 2);
        for (List<String> chunk : chunks(ids)) {
            List<?> rows = sql("SELECT id, owner_id, epoch, status, steer, placed_on, concurrency_key IS NOT NULL"
                    + " AND NOT concurrency_admitted AND status = 'Queued' FROM job WHERE id IN (?1)"
                    + " ORDER BY id FOR UPDATE").setParameterList(1, chunk).getResultList();
            for (Object row : rows) {
                Object[] columns = (Object[]) row;
                UUID id = UUID.fromString(columns[0].toString());
                states.put(id, new JobState(id, uuidOrNull(columns[1]), ((Number) columns[2]).longValue(),
                        JobStatus.valueOf(columns[3].toString()),
                        columns[4] == null ? null : Steer.valueOf(columns[4].toString()), uuidOrNull(columns[5]),
                        columns[6] instanceof Boolean waits ? waits : ((Number) columns[6]).intValue() != 0));
            }
        }
        return states;
    }

    /**
     * Grants these jobs, locked by the caller and owned by another incarnation (or none), to {@code nodeId}
     * under their next epoch: one statement per chunk.
     */
    public void grantToNewOwner(Collection<UUID> jobIds, UUID nodeId, Instant now) {
        for (List<String> chunk : idChunks(jobIds)) {
            // a job placed on the new owner keeps its placement while it runs there: its message is in that node's
            // own queue, which goes with the node, and the managers must then publish it again (unplaceFrom)
            sql("UPDATE job SET owner_id = ?1, run_node_id = ?1, epoch = epoch + 1, status = 'Processing',"
                    + " started_at = ?2,"
                    + " modified_at = ?2, steer = NULL, placed_by_type = FALSE,"
                    + " placed_on = CASE WHEN placed_on = ?1 THEN placed_on ELSE NULL END WHERE id IN (?3)")
                    .setParameter(1, nodeId.toString())
                    .setParameter(2, UtcDatetime.toSql(now))
                    .setParameterList(3, chunk)
                    .executeUpdate();
        }
    }

    /** Shows these jobs, locked by the caller and granted again to their owner, {@code Processing}. */
    public void markProcessing(Collection<UUID> jobIds, Instant now) {
        setStatus(jobIds, JobStatus.Processing, now);
    }

    /** Marks these jobs, locked by the caller, {@code Deleted}, which frees their names. */
    public void markDeleted(Collection<UUID> jobIds, Instant now) {
        setStatus(jobIds, JobStatus.Deleted, now);
    }

    /** Marks these jobs, locked by the caller and run nowhere, {@code Paused}. */
    public void markPaused(Collection<UUID> jobIds, Instant now) {
        setStatus(jobIds, JobStatus.Paused, now);
    }

    private void setStatus(Collection<UUID> jobIds, JobStatus status, Instant now) {
        for (List<String> chunk : idChunks(jobIds)) {
            sql("UPDATE job SET status = ?1, modified_at = ?2,"
                    + " active_name = CASE WHEN ?1 = 'Deleted' THEN NULL ELSE active_name END WHERE id IN (?3)")
                    .setParameter(1, status.name())
                    .setParameter(2, UtcDatetime.toSql(now))
                    .setParameterList(3, chunk)
                    .executeUpdate();
        }
    }

    /**
     * Inserts new jobs now, in one JDBC batch, so that a name taken by a concurrent insert shows here.
     *
     * @throws NameTakenException when jobs that are not {@code Deleted} have some of the names (listed, after one
     *                            query for them all), or, listing none, when a concurrent insert took one since
     */
    public void insertJobs(List<JobEntity> jobs) {
        // the common case answered without a failed insert; the unique index settles races
        List<String> taken = takenNames(jobs.stream().map(job -> job.name).toList());
        if (!taken.isEmpty()) {
            throw new NameTakenException(taken);
        }
        try {
            jobs.forEach(em::persist);
            em.flush();
        } catch (ConstraintViolationException e) {
            throw new NameTakenException(List.of());
        }
    }

    /** Those of {@code names} that jobs that are not {@code Deleted} have, in the order given. */
    public List<String> takenNames(List<String> names) {
        Set<String> taken = Set.copyOf(em.createQuery("select activeName from JobEntity where activeName in :names",
                String.class).setParameter("names", names).getResultList());
        return names.stream().filter(taken::contains).toList();
    }

    public void markPublished(Collection<UUID> jobIds) {
        sql("UPDATE job SET published = TRUE WHERE id IN (?1)")
                .setParameter(1, jobIds.stream().map(UUID::toString).toList())
                .executeUpdate();
    }

    /**
     * Queued jobs whose message was never confirmed since they were last changed before {@code changedBefore}
     * (created, or queued again by a rerun), oldest first; not those that wait for a place of their concurrency key,
     * which have no message until it admits them, nor role runs, which go out when their job's roles are placed
     * ({@link #roleJobsToPlace}), nor jobs placed by type, which go out when a node that runs their type has a slot
     * ({@link #typesToPlace}).
     */
    public List<JobEntity> unpublishedJobs(Instant changedBefore, int limit) {
        return em.createQuery("from JobEntity where published = false and status = :queued"
                        + " and (concurrencyKey is null or concurrencyAdmitted = true) and roleOf is null"
                        + " and placedByType = false and modifiedAt < :before order by modifiedAt", JobEntity.class)
                .setParameter("queued", JobStatus.Queued)
                .setParameter("before", changedBefore)
                .setMaxResults(limit)
                .getResultList();
    }

    /**
     * A pool's queue of jobs: its exec queue (the jobs of type {@code exec}) or its job queue (every other type).
     */
    public record PoolQueue(String pool, boolean exec) {
    }

    /** The active jobs (not ended) of each pool that has any. */
    public Map<String, Long> activeJobsByPool() {
        List<?> rows = sql("SELECT pool, COUNT(*) FROM job WHERE status IN " + ACTIVE_SQL + " GROUP BY pool")
                .getResultList();
        Map<String, Long> counts = new HashMap<>();
        for (Object row : rows) {
            Object[] columns = (Object[]) row;
            counts.put(columns[0].toString(), ((Number) columns[1]).longValue());
        }
        return counts;
    }

    /** The pool queues that should hold messages of jobs (Queued, Processing or Deleting). */
    public List<PoolQueue> activeQueues() {
        return em.createQuery("select distinct new io.orchestr.manager.store.Store$PoolQueue(j.pool,"
                        + " case when j.type = :exec then true else false end) from JobEntity j"
                        + " where j.status in :active", PoolQueue.class)
                .setParameter("exec", Names.EXEC_TYPE)
                .setParameter("active", JobStatus.ACTIVE)
                .getResultList();
    }

    /**
     * The active jobs of {@code queue} that no live node runs: queued ones, and those whose owner sent no snapshot
     * within {@code heardWithin} (a node that loses a delivery ends its incarnation, so a live owner still holds
     * its jobs). The broker must hold a message for each of them, or they are lost.
     */
    public Set<UUID> unheldJobIds(PoolQueue queue, Duration heardWithin) {
        List<?> ids = em.createNativeQuery("SELECT j.id FROM job j LEFT JOIN server s ON s.id = j.owner_id"
                        + " AND s.status IN " + CONNECTED_SQL + " AND s.last_heartbeat_at >= " + dbClockMinus(2)
                        + " WHERE j.pool = ?1 AND j.type " + (queue.exec() ? "=" : "<>") + " ?3 AND j.status IN "
                        // role runs have no message in a pool's queue: they are placed on nodes
                        + ACTIVE_SQL + " AND (j.status = 'Queued' OR s.id IS NULL) AND j.role_of IS NULL"
                        // nor do jobs placed by type, until a grant
                        + " AND NOT (j.status = 'Queued' AND j.placed_by_type)")
                .setParameter(1, queue.pool())
                .setParameter(2, micros(heardWithin))
                .setParameter(3, Names.EXEC_TYPE)
                .getResultList();
        return ids.stream().map(id -> UUID.fromString(id.toString())).collect(Collectors.toSet());
    }

    /** These jobs, those that exist. */
    public List<JobEntity> jobs(Collection<UUID> jobIds) {
        List<JobEntity> jobs = new ArrayList<>(jobIds.size());
        for (List<UUID> chunk : chunks(List.copyOf(jobIds))) {
            jobs.addAll(em.createQuery("from JobEntity where id in :ids", JobEntity.class)
                    .setParameter("ids", chunk).getResultList());
        }
        return jobs;
    }

    /**
     * How many job messages the live nodes serving {@code pool} held while claiming them, at their last snapshot
     * if it came within {@code heardWithin}. A node serving several pools counts in each.
     */
    public long claimingCopies(String pool, Duration heardWithin) {
        return ((Number) sql("SELECT COALESCE(SUM(claiming), 0) FROM server WHERE status IN " + CONNECTED_SQL
                        + " AND last_heartbeat_at >= " + dbClockMinus(1)
                        + " AND FIND_IN_SET(?2, pools) > 0")
                .setParameter(1, micros(heardWithin))
                .setParameter(2, pool)
                .getSingleResult()).longValue();
    }

    /** Owner, epoch and status of each of these jobs that exists. */
    public List<JobState> jobStates(Collection<UUID> jobIds) {
        List<JobState> states = new ArrayList<>(jobIds.size());
        for (List<UUID> chunk : chunks(List.copyOf(jobIds))) {
            states.addAll(em.createQuery("select new io.orchestr.manager.store.JobState(j.id, j.ownerId, j.epoch,"
                            + " j.status, j.steer, j.placedOn) from JobEntity j where j.id in :ids", JobState.class)
                    .setParameter("ids", chunk)
                    .getResultList());
        }
        return states;
    }

    /**
     * Records what a node reports of the jobs it runs: heartbeat, restarts, last error, progress. Fenced by owner
     * and epoch; one statement per chunk, joining the job table with the reported rows.
     */
    public void recordRuns(UUID nodeId, List<ToManager.SnapshotEntry> runs) {
        for (List<ToManager.SnapshotEntry> chunk : chunks(runs)) {
            StringBuilder rows = new StringBuilder();
            int position = 1;
            for (int i = 0; i < chunk.size(); i++, position += RUN_COLUMNS) {
                rows.append(i == 0 ? "SELECT " : " UNION ALL SELECT ")
                        .append("CAST(?").append(position).append(" AS CHAR(36)) AS id,")
                        .append(" CAST(?").append(position + 1).append(" AS SIGNED) AS epoch,")
                        .append(" CAST(?").append(position + 2).append(" AS DATETIME(3)) AS hb,")
                        .append(" CAST(?").append(position + 3).append(" AS SIGNED) AS restarts,")
                        .append(" CAST(?").append(position + 4).append(" AS CHAR) AS error,")
                        .append(" CAST(?").append(position + 5).append(" AS SIGNED) AS pdone,")
                        .append(" CAST(?").append(position + 6).append(" AS SIGNED) AS ptotal,")
                        .append(" CAST(?").append(position + 7).append(" AS CHAR) AS pmessage,")
                        .append(" CAST(?").append(position + 8).append(" AS DATETIME(3)) AS pat");
            }
            NativeQuery<?> update = sql("UPDATE job j JOIN (" + rows + ") r"
                    + " ON j.id = r.id AND j.epoch = r.epoch"
                    + " SET j.last_heartbeat_at = COALESCE(r.hb, j.last_heartbeat_at), j.restarts = r.restarts,"
                    + " j.last_error = COALESCE(r.error, j.last_error),"
                    + " j.progress_done = CASE WHEN r.pat IS NULL THEN j.progress_done ELSE r.pdone END,"
                    + " j.progress_total = CASE WHEN r.pat IS NULL THEN j.progress_total ELSE r.ptotal END,"
                    + " j.progress_message = CASE WHEN r.pat IS NULL THEN j.progress_message ELSE r.pmessage END,"
                    + " j.progress_at = COALESCE(r.pat, j.progress_at)"
                    // only while the run goes on: a snapshot the node sent before the run's end, applied after it
                    // on another lane, must not turn the end's last progress back
                    + " WHERE j.owner_id = ?" + position + " AND j.status IN " + HELD_SQL
                    // rows change only when there is news: a restart (a new error comes with one), a first
                    // heartbeat, a heartbeat that moved on, or new progress (a node sends an entry's progress in
                    // every full report, but it is new only when its time differs from the stored one)
                    + " AND (j.restarts <> r.restarts OR j.last_heartbeat_at IS NULL AND r.hb IS NOT NULL"
                    + " OR r.hb >= j.last_heartbeat_at + INTERVAL " + HEARTBEAT_RESOLUTION.toSeconds() + " SECOND"
                    + " OR r.pat IS NOT NULL AND (j.progress_at IS NULL OR r.pat <> j.progress_at))");
            position = 1;
            for (ToManager.SnapshotEntry run : chunk) {
                Progress progress = run.progress();
                update.setParameter(position++, run.jobId().toString())
                        .setParameter(position++, run.epoch())
                        .setParameter(position++, UtcDatetime.toSql(run.lastHeartbeatAt()), String.class)
                        .setParameter(position++, run.restarts())
                        .setParameter(position++, Limits.cut(run.lastError(), Limits.ERROR_TEXT), String.class)
                        .setParameter(position++, progress == null ? null : progress.done(), Long.class)
                        .setParameter(position++, progress == null ? null : progress.total(), Long.class)
                        .setParameter(position++, progress == null ? null : progress.message(), String.class)
                        .setParameter(position++, progress == null ? null : UtcDatetime.toSql(progress.at()),
                                String.class);
            }
            update.setParameter(position, nodeId.toString()).executeUpdate();
        }
    }

    /**
     * Ends the run of a job for good, if {@code nodeId} still runs it under {@code epoch}; {@code Deleted} also
     * frees the name. A job shown {@code Queued} with that owner and epoch counts as run by it: the node's
     * departure or the lost-node sweep (see {@link #requeueJobsOf}) may be applied before an end the node sent
     * earlier, since the manager queue's lanes apply messages in parallel, and no other node has claimed the job
     * since.
     *
     * @return false when a newer grant exists or the job had ended already
     */
    public boolean endRun(ToManager.JobEnded ended, JobStatus status, Instant now) {
        Progress progress = ended.progress();
        return sql("UPDATE job SET status = ?1,"
                        + " active_name = CASE WHEN ?1 = 'Deleted' THEN NULL ELSE active_name END,"
                        + " restarts = ?2, last_error = COALESCE(?3, last_error), modified_at = ?4, result = ?8,"
                        // the run is over: a rerun starts on any node
                        + " placed_on = NULL, steer = NULL,"
                        // the run's last progress, which no snapshot may have carried yet
                        + " progress_done = CASE WHEN ?12 IS NULL THEN progress_done ELSE ?9 END,"
                        + " progress_total = CASE WHEN ?12 IS NULL THEN progress_total ELSE ?10 END,"
                        + " progress_message = CASE WHEN ?12 IS NULL THEN progress_message ELSE ?11 END,"
                        + " progress_at = COALESCE(CAST(?12 AS DATETIME(3)), progress_at)"
                        + " WHERE id = ?5 AND owner_id = ?6 AND epoch = ?7"
                        + " AND status IN " + ACTIVE_SQL)
                .setParameter(1, status.name())
                .setParameter(2, ended.restarts())
                .setParameter(3, Limits.cut(ended.error(), Limits.ERROR_TEXT), String.class)
                .setParameter(4, UtcDatetime.toSql(now))
                .setParameter(5, ended.jobId().toString())
                .setParameter(6, ended.nodeId().toString())
                .setParameter(7, ended.epoch())
                .setParameter(8, JsonText.toSql(ended.result()), String.class)
                .setParameter(9, progress == null ? null : progress.done(), Long.class)
                .setParameter(10, progress == null ? null : progress.total(), Long.class)
                .setParameter(11, progress == null ? null : progress.message(), String.class)
                .setParameter(12, progress == null ? null : UtcDatetime.toSql(progress.at()), String.class)
                .executeUpdate() == 1;
    }

    /** A job's last checkpoint and when the manager stored it. */
    public record StoredCheckpoint(JsonNode state, Instant at) {
    }

    /**
     * Stores {@code checkpoint} as its job's last one, at {@code now}, in one statement: only while its node owns
     * the job under its epoch and the job runs, and only when no later checkpoint of that grant is stored (the
     * node's checkpoint ids grow, and one that arrives late must not replace a newer one).
     *
     * @return false when it was refused
     */
    public boolean storeCheckpoint(ToManager.Checkpoint checkpoint, Instant now) {
        return sql("UPDATE job SET checkpoint = ?1, checkpoint_at = ?2, checkpoint_epoch = ?3, checkpoint_seq = ?4"
                        + " WHERE id = ?5 AND owner_id = ?6 AND epoch = ?3 AND status IN " + ACTIVE_SQL
                        + " AND NOT (COALESCE(checkpoint_epoch, 0) = ?3 AND COALESCE(checkpoint_seq, 0) >= ?4)")
                .setParameter(1, JsonText.toSql(checkpoint.state()), String.class)
                .setParameter(2, UtcDatetime.toSql(now))
                .setParameter(3, checkpoint.epoch())
                .setParameter(4, checkpoint.checkpoint())
                .setParameter(5, checkpoint.jobId().toString())
                .setParameter(6, checkpoint.nodeId().toString())
                .executeUpdate() == 1;
    }

    /** The last checkpoint of each of these jobs that has one, by id: what their grants carry to the new run. */
    public Map<UUID, StoredCheckpoint> checkpoints(Collection<UUID> jobIds) {
        Map<UUID, StoredCheckpoint> checkpoints = new HashMap<>();
        for (List<String> chunk : idChunks(jobIds)) {
            List<?> rows = sql("SELECT id, checkpoint, CAST(checkpoint_at AS CHAR) FROM job WHERE id IN (?1)"
                    + " AND checkpoint IS NOT NULL").setParameterList(1, chunk).getResultList();
            for (Object row : rows) {
                Object[] columns = (Object[]) row;
                checkpoints.put(UUID.fromString(columns[0].toString()), new StoredCheckpoint(
                        JSON_TEXT.convertToEntityAttribute(columns[1].toString()),
                        UTC_DATETIME.convertToEntityAttribute(columns[2].toString())));
            }
        }
        return checkpoints;
    }

    /**
     * These jobs as their messages would be now, by id: what their grants carry, since the message a node holds may
     * predate an edit, or not be the managers' at all (a forged copy).
     */
    public Map<UUID, JobMessage> specs(Collection<UUID> jobIds) {
        Map<UUID, JobMessage> edited = new HashMap<>();
        for (List<UUID> chunk : chunks(List.copyOf(jobIds))) {
            em.createQuery("from JobEntity where id in :ids", JobEntity.class)
                    .setParameter("ids", chunk)
                    .setHint(HibernateHints.HINT_READ_ONLY, true) // read only, while the caller's SQL writes rows
                    .getResultList()
                    .forEach(job -> edited.put(job.id, job.toMessage()));
        }
        return edited;
    }

    /**
     * Purges up to {@code limit} ended jobs ({@code Completed}, {@code Failed}, {@code Deleted}) last changed before
     * {@code changedBefore}; their history goes with them (its rows cascade). No {@code ORDER BY}: the index range
     * stops the scan at {@code limit} rows, where sorting would read every old row first. Managers that purge at the
     * same time scan the index in the same order, so they wait for each other's row locks instead of deadlocking,
     * and each deletes what the others left.
     *
     * @return how many it purged
     */
    public int purgeEnded(Instant changedBefore, int limit) {
        return sql("DELETE FROM job WHERE status IN " + ENDED_SQL + " AND modified_at < ?1 LIMIT ?2")
                .setParameter(1, UtcDatetime.toSql(changedBefore))
                .setParameter(2, limit)
                .executeUpdate();
    }

    /**
     * Creates or refreshes a node's server row from its snapshot, its times by the database's clock. A server
     * that left ({@code Stopped}) stays so: a snapshot it sent before leaving may arrive after its goodbye. The drain
     * the node reports replaces the managers' when its ask is as new or newer (the node drained itself, or followed
     * the managers' ask); a new row takes it as it is, so that a node that reconnects drained stays drained. The
     * status follows: {@code Active}, or while the node is asked to drain {@code Draining}, then {@code Drained} once
     * it reports it holds nothing.
     */
    public void recordSnapshot(ToManager.Snapshot snapshot) {
        ToManager.NodeDrain drain = snapshot.drain();
        NodeStatus inserted = drain == null || !drain.drains() ? NodeStatus.Active
                : drain.state() == ToManager.DrainState.DRAINED ? NodeStatus.Drained : NodeStatus.Draining;
        // MySQL applies the assignments left to right, each seeing the ones before: the drain before the status
        sql("INSERT INTO server (id, name, max_workers, pools, status, created_at, modified_at,"
                        + " last_heartbeat_at, deleted, claiming, drain, drain_seq, drain_reported, exec, roles,"
                        + " job_types) VALUES (?1, ?2, ?3, ?4, ?6, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3),"
                        + " UTC_TIMESTAMP(3), FALSE, ?5, ?7, ?8, ?9, ?10, ?11, ?12)"
                        + " ON DUPLICATE KEY UPDATE name = ?2, max_workers = ?3, pools = ?4, exec = ?10, roles = ?11,"
                        + " job_types = ?12,"
                        + " last_heartbeat_at = UTC_TIMESTAMP(3), claiming = ?5,"
                        + " modified_at = CASE WHEN status = 'Lost' THEN UTC_TIMESTAMP(3) ELSE modified_at END,"
                        + " drain = CASE WHEN ?9 IS NOT NULL AND ?8 >= drain_seq THEN ?7 ELSE drain END,"
                        + " drain_seq = GREATEST(drain_seq, ?8), drain_reported = ?9,"
                        + " status = CASE WHEN status = 'Stopped' THEN 'Stopped' WHEN NOT drain THEN 'Active'"
                        + " WHEN ?9 = 'DRAINED' THEN 'Drained' ELSE 'Draining' END")
                .setParameter(1, snapshot.nodeId().toString())
                .setParameter(2, Limits.cut(snapshot.nodeName(), Limits.NODE_NAME))
                .setParameter(3, snapshot.slots())
                .setParameter(4, String.join(",", snapshot.pools()))
                .setParameter(5, snapshot.claiming())
                .setParameter(6, inserted.name())
                .setParameter(7, drain != null && drain.drains())
                .setParameter(8, drain == null ? 0L : drain.seq())
                .setParameter(9, drain == null ? null : drain.state().name(), String.class)
                .setParameter(10, snapshot.exec())
                .setParameter(11, String.join(",", snapshot.roles()))
                .setParameter(12, JobTypeList.toSql(snapshot.types()), String.class)
                .executeUpdate();
    }

    /** What the managers want of a node's drain: whether it drains, under the ask numbered {@code seq}. */
    public record WantedDrain(boolean drain, long seq) {
    }

    /** The drain the managers want of {@code nodeId}, if its row exists. */
    public Optional<WantedDrain> wantedDrain(UUID nodeId) {
        List<?> rows = sql("SELECT drain, drain_seq FROM server WHERE id = ?1")
                .setParameter(1, nodeId.toString())
                .getResultList();
        return rows.stream().findFirst().map(row -> {
            Object[] columns = (Object[]) row;
            return new WantedDrain(columns[0] instanceof Boolean b ? b : ((Number) columns[0]).intValue() != 0,
                    ((Number) columns[1]).longValue());
        });
    }

    /**
     * The broker user bound to node incarnation {@code nodeId} (its messages' {@code user-id}, {@code ""} for none),
     * if a manager bound one.
     */
    public Optional<String> brokerUser(UUID nodeId) {
        List<?> rows = sql("SELECT broker_user FROM server WHERE id = ?1 AND broker_user IS NOT NULL")
                .setParameter(1, nodeId.toString())
                .getResultList();
        return rows.stream().findFirst().map(Object::toString);
    }

    /**
     * Binds node incarnation {@code nodeId} to broker user {@code user} unless it is bound already (or has no row
     * yet: its first snapshot creates it, and the next message binds it).
     *
     * @return the user it is bound to now, if its row exists
     */
    public Optional<String> bindBrokerUser(UUID nodeId, String user) {
        sql("UPDATE server SET broker_user = ?2 WHERE id = ?1 AND broker_user IS NULL")
                .setParameter(1, nodeId.toString())
                .setParameter(2, user)
                .executeUpdate();
        return brokerUser(nodeId);
    }

    /** The server, its row locked until the transaction ends; empty if unknown. */
    public Optional<ServerEntity> lockServer(UUID serverId) {
        return em.createNativeQuery("SELECT * FROM server WHERE id = ?1 FOR UPDATE", ServerEntity.class)
                .setParameter(1, serverId.toString())
                .getResultStream().findFirst();
    }

    /**
     * Sends the jobs placed on {@code nodeId}, which drains and consumes its own queue no more, to any node of their
     * pool: those moved there and not claimed yet become unpublished, and the republisher publishes them again
     * within a few seconds (the copies left in the node's queue are duplicates, dropped should the node claim them
     * after an undrain); those on their way there (a move whose release is under way elsewhere) are queued for any
     * node by their release. Jobs the node runs keep their placement: their message is in its queue.
     *
     * @return how many jobs changed
     */
    public int unplaceFromDrained(UUID nodeId, Instant now) {
        return sql("UPDATE job SET published = CASE WHEN status = 'Queued' THEN FALSE ELSE published END,"
                        + " placed_on = NULL, modified_at = ?2 WHERE placed_on = ?1 AND (status = 'Queued'"
                        + " OR status = 'Processing' AND steer = 'MOVE' AND owner_id <> ?1)")
                .setParameter(1, nodeId.toString())
                .setParameter(2, UtcDatetime.toSql(now))
                .executeUpdate();
    }

    /**
     * Marks a node incarnation as gone for good ({@code Stopped}, deleted). Creates the row if its first
     * snapshot has not arrived yet, so that the claim rule sees the node left.
     */
    public void markStopped(UUID nodeId, Instant now) {
        sql("INSERT INTO server (id, name, max_workers, pools, status, created_at, modified_at,"
                        + " deleted) VALUES (?1, '', 0, '', 'Stopped', ?2, ?2, TRUE)"
                        + " ON DUPLICATE KEY UPDATE status = 'Stopped', deleted = TRUE, modified_at = ?2")
                .setParameter(1, nodeId.toString())
                .setParameter(2, UtcDatetime.toSql(now))
                .executeUpdate();
    }

    /**
     * Shows the jobs a gone node incarnation still owns as {@code Queued}: their messages are back in the queue,
     * waiting for a slot. The owner stays, so the claim rule still sees where each job was. The rows are locked in
     * id order, as the claims lock them.
     *
     * @return the jobs that changed, as they were (their owner and epoch: the runs that are over)
     */
    public List<JobState> requeueJobsOf(UUID nodeId, Instant now) {
        List<JobState> running = jobsOf(nodeId, "status = 'Processing' ORDER BY id FOR UPDATE");
        for (List<String> chunk : idChunks(running.stream().map(JobState::id).toList())) {
            // a job whose message was in the node's own queue (placed there) lost it with that queue: it is
            // published again; a restart or move under way is over, the node handed the job back instead of
            // releasing it
            sql("UPDATE job SET status = 'Queued', modified_at = ?1,"
                    + " published = CASE WHEN placed_on = owner_id THEN FALSE ELSE published END,"
                    + " placed_on = NULL, steer = NULL WHERE id IN (?2)")
                    .setParameter(1, UtcDatetime.toSql(now))
                    .setParameterList(2, chunk)
                    .executeUpdate();
        }
        return running;
    }

    /** The jobs {@code nodeId} owns and runs, or is cancelling ({@code Processing}, {@code Deleting}). */
    public List<JobState> heldJobsOf(UUID nodeId) {
        return jobsOf(nodeId, "status IN ('Processing', 'Deleting')");
    }

    private List<JobState> jobsOf(UUID nodeId, String condition) {
        List<?> rows = sql("SELECT id, epoch, status, steer, placed_on FROM job WHERE owner_id = ?1 AND " + condition)
                .setParameter(1, nodeId.toString())
                .getResultList();
        return rows.stream().map(row -> (Object[]) row).map(columns -> new JobState(
                UUID.fromString(columns[0].toString()), nodeId, ((Number) columns[1]).longValue(),
                JobStatus.valueOf(columns[2].toString()),
                columns[3] == null ? null : Steer.valueOf(columns[3].toString()), uuidOrNull(columns[4]))).toList();
    }

    /** The jobs {@code nodeId} owns that are being cancelled ({@code Deleting}). */
    public List<UUID> cancellingJobsOf(UUID nodeId) {
        List<?> ids = sql("SELECT id FROM job WHERE owner_id = ?1 AND status = 'Deleting'")
                .setParameter(1, nodeId.toString())
                .getResultList();
        return ids.stream().map(id -> UUID.fromString(id.toString())).toList();
    }

    /** The jobs {@code nodeId} owns that it is asked to release, and their epochs ({@link JobState#isReleasing}). */
    public Map<UUID, Long> releasingJobsOf(UUID nodeId) {
        List<?> rows = sql("SELECT id, epoch FROM job WHERE owner_id = ?1"
                + " AND (status = 'Pausing' OR status = 'Processing' AND steer IS NOT NULL)")
                .setParameter(1, nodeId.toString())
                .getResultList();
        Map<UUID, Long> releasing = new HashMap<>();
        for (Object row : rows) {
            Object[] columns = (Object[]) row;
            releasing.put(UUID.fromString(columns[0].toString()), ((Number) columns[1]).longValue());
        }
        return releasing;
    }

    /** A live node that can take a job: its id and name, and its slots free by its last snapshot. */
    public record Placement(UUID serverId, String name, int freeSlots, List<String> roles) {
        /** True when the node serves {@code role} of exec work: it names it, or names none (it serves all). */
        public boolean serves(String role) {
            return roles.isEmpty() || roles.contains(role);
        }
    }

    /**
     * The {@code Active} servers of {@code pool} (that run {@code exec} jobs, if {@code exec}) that sent a snapshot
     * within {@code heardWithin}, with their free slots (slots minus the jobs they hold or that are placed on them),
     * the freest first.
     */
    public List<Placement> placements(String pool, boolean exec, Duration heardWithin) {
        return placementRows(pool, exec, heardWithin).stream().map(PlacementRow::placement).toList();
    }

    /**
     * {@link #placements} of the servers that report {@code type} among their job types: those that predate types
     * are left out, as they may not run it.
     */
    public List<Placement> placementsRunning(String pool, String type, Duration heardWithin) {
        return placementRows(pool, Names.EXEC_TYPE.equals(type), heardWithin).stream()
                .filter(row -> row.types() != null && row.types().contains(type)).map(PlacementRow::placement)
                .toList();
    }

    private record PlacementRow(Placement placement, Set<String> types) {
    }

    private List<PlacementRow> placementRows(String pool, boolean exec, Duration heardWithin) {
        List<?> rows = sql("SELECT s.id, s.name, s.roles, s.max_workers - (SELECT COUNT(*) FROM job j WHERE"
                        + " j.owner_id = s.id AND j.status IN ('Processing', 'Pausing', 'Deleting')"
                        + " OR j.placed_on = s.id AND j.status = 'Queued') AS free, s.job_types"
                        + " FROM server s WHERE s.status = 'Active' AND s.last_heartbeat_at >= " + dbClockMinus(1)
                        + " AND FIND_IN_SET(?2, s.pools) > 0" + (exec ? " AND s.exec" : "")
                        + " ORDER BY free DESC, s.id")
                .setParameter(1, micros(heardWithin))
                .setParameter(2, pool)
                .getResultList();
        List<PlacementRow> placements = new ArrayList<>();
        for (Object row : rows) {
            Object[] columns = (Object[]) row;
            String roles = columns[2] == null ? "" : columns[2].toString();
            placements.add(new PlacementRow(new Placement(UUID.fromString(columns[0].toString()),
                    columns[1].toString(), ((Number) columns[3]).intValue(),
                    roles.isEmpty() ? List.of() : List.of(roles.split(","))), JobTypeList.of(columns[4])));
        }
        return placements;
    }

    /**
     * The job types {@code nodeId} reported in its last snapshot; empty when it reported none (it predates types)
     * or its row does not exist yet: then its types are not known.
     */
    public Optional<Set<String>> jobTypesOf(UUID nodeId) {
        List<?> rows = sql("SELECT job_types FROM server WHERE id = ?1").setParameter(1, nodeId.toString())
                .getResultList();
        return rows.stream().filter(Objects::nonNull).findFirst().map(JobTypeList::of);
    }

    /** The type of each of these jobs that exists. */
    public Map<UUID, String> typesOf(Collection<UUID> jobIds) {
        Map<UUID, String> types = new HashMap<>(jobIds.size() * 2);
        for (List<String> chunk : idChunks(jobIds)) {
            List<?> rows = sql("SELECT id, type FROM job WHERE id IN (?1)").setParameterList(1, chunk)
                    .getResultList();
            for (Object row : rows) {
                Object[] columns = (Object[]) row;
                types.put(UUID.fromString(columns[0].toString()), columns[1].toString());
            }
        }
        return types;
    }

    /**
     * Queues these jobs, locked by the caller, for placement by type: a node that does not run the type claimed
     * each, and its copy is dropped. A running one's run is over (its owner is gone), and the owner stays, as
     * {@link #requeueJobsOf} leaves it; no message is anywhere until the job is placed ({@link #typesToPlace}).
     */
    public void markPlacedByType(Collection<UUID> jobIds, Instant now) {
        for (List<String> chunk : idChunks(jobIds)) {
            sql("UPDATE job SET status = 'Queued', placed_by_type = TRUE, placed_on = NULL, steer = NULL,"
                    + " published = FALSE, modified_at = ?1 WHERE id IN (?2)")
                    .setParameter(1, UtcDatetime.toSql(now))
                    .setParameterList(2, chunk)
                    .executeUpdate();
        }
    }

    /** A pool and a job type. */
    public record PoolType(String pool, String type) {
    }

    /** The pools and types of the jobs placed by type that wait for a node ({@link #typeJobsToPlace}). */
    public List<PoolType> typesToPlace() {
        List<?> rows = sql("SELECT DISTINCT pool, type FROM job WHERE placed_by_type AND status = 'Queued'"
                + " AND (placed_on IS NULL OR published = FALSE)").getResultList();
        return rows.stream().map(row -> (Object[]) row)
                .map(columns -> new PoolType(columns[0].toString(), columns[1].toString())).toList();
    }

    /**
     * The jobs of {@code poolType} placed by type that wait for a node: queued, and placed nowhere or not sent there
     * yet; oldest first.
     */
    public List<UUID> typeJobsToPlace(PoolType poolType, int limit) {
        List<?> ids = sql("SELECT id FROM job WHERE placed_by_type AND status = 'Queued' AND pool = ?1 AND type = ?2"
                        + " AND (placed_on IS NULL OR published = FALSE) ORDER BY modified_at LIMIT ?3")
                .setParameter(1, poolType.pool())
                .setParameter(2, poolType.type())
                .setParameter(3, limit)
                .getResultList();
        return ids.stream().map(id -> UUID.fromString(id.toString())).toList();
    }

    /** These jobs, their rows locked until the transaction ends, in id order as claims lock them. */
    public List<JobEntity> lockJobs(Collection<UUID> jobIds) {
        return em.createNativeQuery("SELECT * FROM job WHERE id IN (?1) ORDER BY id FOR UPDATE", JobEntity.class)
                .setParameter(1, jobIds.stream().map(UUID::toString).toList())
                .getResultList();
    }

    /** The jobs of {@code group}, or else the children of {@code parentId}, that are not {@code Deleted}, by id. */
    public List<UUID> jobIdsOf(String group, UUID parentId) {
        String column = group != null ? "job_group" : "parent_id";
        List<?> ids = sql("SELECT id FROM job WHERE " + column + " = ?1 AND status <> 'Deleted' ORDER BY id")
                .setParameter(1, group != null ? group : parentId.toString())
                .getResultList();
        return ids.stream().map(id -> UUID.fromString(id.toString())).toList();
    }

    /** The children of {@code parentId} that have not ended (are not Completed, Failed or Deleted), by id. */
    public List<UUID> unendedChildIds(UUID parentId) {
        List<?> ids = sql("SELECT id FROM job WHERE parent_id = ?1"
                + " AND status NOT IN ('Completed', 'Failed', 'Deleted') ORDER BY id")
                .setParameter(1, parentId.toString())
                .getResultList();
        return ids.stream().map(id -> UUID.fromString(id.toString())).toList();
    }

    /** The nodes that queued jobs are placed on (moved there, not claimed yet). */
    public List<UUID> placementTargets() {
        List<?> ids = sql("SELECT DISTINCT placed_on FROM job WHERE placed_on IS NOT NULL AND status IN "
                + ACTIVE_SQL).getResultList();
        return ids.stream().map(id -> UUID.fromString(id.toString())).toList();
    }

    /**
     * The jobs whose message was in the own queue of {@code nodeId}, which is gone and its queue with it: those
     * placed there and not claimed yet, and those it ran since (its connection died, so their runs are over). They
     * go on as the node's release would have left them: a pausing job is {@code Paused}, a cancelled one {@code
     * Deleted}, any other queued again on any node of its pool, unpublished for the republisher to publish.
     *
     * @return the jobs queued again, for the caller to publish
     */
    public List<UUID> unplaceFrom(UUID nodeId, Instant now) {
        List<?> queued = sql("SELECT id FROM job WHERE placed_on = ?1 AND status IN ('Queued', 'Processing')"
                + " AND (status = 'Queued' OR owner_id = ?1) FOR UPDATE")
                .setParameter(1, nodeId.toString())
                .getResultList();
        // MySQL applies the assignments left to right, each seeing the ones before: the name and the flag first
        sql("UPDATE job SET active_name = CASE WHEN status = 'Deleting' THEN NULL ELSE active_name END,"
                        + " published = FALSE, modified_at = ?2,"
                        + " status = CASE status WHEN 'Pausing' THEN 'Paused' WHEN 'Deleting' THEN 'Deleted'"
                        + " ELSE 'Queued' END, placed_on = NULL, steer = NULL"
                        + " WHERE placed_on = ?1 AND status IN " + ACTIVE_SQL
                        + " AND (status = 'Queued' OR owner_id = ?1)")
                .setParameter(1, nodeId.toString())
                .setParameter(2, UtcDatetime.toSql(now))
                .executeUpdate();
        return queued.stream().map(id -> UUID.fromString(id.toString())).toList();
    }

    /** The role runs of the job {@code roleOf} (itself and its children that play its other roles), locked. */
    public List<JobEntity> lockRoleRuns(UUID roleOf) {
        return em.createNativeQuery("SELECT * FROM job WHERE role_of = ?1 ORDER BY id FOR UPDATE", JobEntity.class)
                .setParameter(1, roleOf.toString())
                .getResultList();
    }

    /**
     * The jobs that have role runs to place on nodes: queued ones placed nowhere, or whose placement did not go
     * out, changed before {@code changedBefore}; oldest first.
     */
    public List<UUID> roleJobsToPlace(Instant changedBefore, int limit) {
        List<?> ids = sql("SELECT role_of FROM job WHERE role_of IS NOT NULL AND status = 'Queued'"
                        + " AND (placed_on IS NULL OR published = FALSE) AND modified_at < ?1"
                        + " GROUP BY role_of ORDER BY MIN(modified_at) LIMIT ?2")
                .setParameter(1, UtcDatetime.toSql(changedBefore))
                .setParameter(2, limit)
                .getResultList();
        return ids.stream().map(id -> UUID.fromString(id.toString())).toList();
    }

    /** Clears the placement of a job whose node is gone: its next run may start on any node of its pool. */
    public void clearPlacement(UUID jobId) {
        sql("UPDATE job SET placed_on = NULL WHERE id = ?1").setParameter(1, jobId.toString()).executeUpdate();
    }

    /** The status of a server, if its row exists. */
    public Optional<NodeStatus> serverStatus(UUID serverId) {
        return Optional.ofNullable(em.find(ServerEntity.class, serverId)).map(server -> server.status);
    }

    /** Connected servers (draining or not) that sent no snapshot for longer than {@code silentFor}. */
    public List<ServerEntity> silentServers(Duration silentFor) {
        return em.createNativeQuery("SELECT * FROM server WHERE status IN " + CONNECTED_SQL
                        + " AND last_heartbeat_at < " + dbClockMinus(1), ServerEntity.class)
                .setParameter(1, micros(silentFor))
                .getResultList();
    }

    /**
     * Marks a server {@code Lost} if it is still connected (draining or not) and sent no snapshot for longer than
     * {@code silentFor}.
     *
     * @return true for the one manager whose update did it
     */
    public boolean markLost(UUID serverId, Duration silentFor, Instant now) {
        return sql("UPDATE server SET status = 'Lost', modified_at = ?1"
                        + " WHERE id = ?2 AND status IN " + CONNECTED_SQL + " AND last_heartbeat_at < "
                        + dbClockMinus(3))
                .setParameter(1, UtcDatetime.toSql(now))
                .setParameter(2, serverId.toString())
                .setParameter(3, micros(silentFor))
                .executeUpdate() == 1;
    }

    private static UUID uuidOrNull(Object column) {
        return column == null ? null : UUID.fromString(column.toString());
    }

    private static String sqlList(Set<JobStatus> statuses) {
        return statuses.stream().map(status -> "'" + status.name() + "'").collect(Collectors.joining(", ", "(", ")"));
    }

    private NativeQuery<?> sql(String sql) {
        return em.createNativeQuery(sql).unwrap(NativeQuery.class);
    }

    /** SQL for the database's clock minus the duration bound to parameter {@code ?position}, in {@link #micros}. */
    private static String dbClockMinus(int position) {
        return "(UTC_TIMESTAMP(3) - INTERVAL ?" + position + " MICROSECOND)";
    }

    /** A duration as {@link #dbClockMinus} takes it: MySQL has no millisecond interval unit. */
    private static long micros(Duration duration) {
        return duration.toNanos() / 1_000;
    }

    /** The ids as strings, in chunks of {@value #CHUNK}, each chunk one {@code IN (…)} list. */
    private static List<List<String>> idChunks(Collection<UUID> ids) {
        return chunks(ids.stream().map(UUID::toString).toList());
    }

    private static <T> List<List<T>> chunks(List<T> items) {
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < items.size(); from += CHUNK) {
            chunks.add(items.subList(from, Math.min(items.size(), from + CHUNK)));
        }
        return chunks;
    }
}
