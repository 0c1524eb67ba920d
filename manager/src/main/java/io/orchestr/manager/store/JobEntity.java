package io.orchestr.manager.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.Progress;
import io.orchestr.shared.RestartMode;
import io.orchestr.shared.wire.JobMessage;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * One job, as stored in the {@code job} table. Its status changes go through the methods below, which keep
 * {@code activeName} (the name's uniqueness among jobs that are not {@code Deleted}) and the timestamps right.
 */
@Entity
@Table(name = "job")
public class JobEntity extends PanacheEntityBase {

    @Id
    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(length = 36)
    public UUID id;

    public String name;

    @Column(name = "active_name")
    public String activeName;

    public String argument;

    public String type;

    public String pool;

    @Enumerated(EnumType.STRING)
    @Column(name = "restart_mode")
    public RestartMode restart;

    @Enumerated(EnumType.STRING)
    public JobStatus status;

    /** The node incarnation of the latest grant; kept after the job ends, shown only while it runs. */
    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(name = "owner_id", length = 36)
    public UUID ownerId;

    public long epoch;

    /**
     * The node incarnation of the latest grant, which has the output of the run under {@link #epoch}: never cleared,
     * so it still names that node after a release or a rerun cleared {@link #ownerId}; null before the first grant.
     */
    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(name = "run_node_id", length = 36)
    public UUID runNodeId;

    public boolean published;

    @Convert(converter = UtcDatetime.class)
    @Column(name = "created_at")
    public Instant createdAt;

    @Convert(converter = UtcDatetime.class)
    @Column(name = "modified_at")
    public Instant modifiedAt;

    @Convert(converter = UtcDatetime.class)
    @Column(name = "started_at")
    public Instant startedAt;

    @Convert(converter = UtcDatetime.class)
    @Column(name = "last_heartbeat_at")
    public Instant lastHeartbeatAt;

    public int restarts;

    @Column(name = "last_error")
    public String lastError;

    /** How often the node may restart the handler under one grant; null for no limit of the job's own. */
    @Column(name = "max_restarts")
    public Integer maxRestarts;

    /** How long a run may go without a heartbeat before the node stops it as hung; null for none. */
    @Convert(converter = DurationMillis.class)
    @Column(name = "heartbeat_timeout_ms")
    public Duration heartbeatTimeout;

    /** How long one run may last before the node stops it and counts a failure; null for no limit. */
    @Convert(converter = DurationMillis.class)
    @Column(name = "timeout_ms")
    public Duration timeout;

    /** The job's structured input; null for none. */
    @Convert(converter = JsonText.class)
    public JsonNode params;

    /** What the handler completed the job with; null until then, or when it gave none. */
    @Convert(converter = JsonText.class)
    public JsonNode result;

    /** The last progress a run reported, from the node's snapshots; all four null before the first. */
    @Column(name = "progress_done")
    public Long progressDone;

    @Column(name = "progress_total")
    public Long progressTotal;

    @Column(name = "progress_message")
    public String progressMessage;

    @Convert(converter = UtcDatetime.class)
    @Column(name = "progress_at")
    public Instant progressAt;

    /** The last state a run stored ({@code JobContext.checkpoint}); null before the first. */
    @Convert(converter = JsonText.class)
    public JsonNode checkpoint;

    /** When the manager stored {@link #checkpoint}; null before the first. */
    @Convert(converter = UtcDatetime.class)
    @Column(name = "checkpoint_at")
    public Instant checkpointAt;

    /** What the owner's release of the run leads to (a restart or a move); null for none. */
    @Enumerated(EnumType.STRING)
    public Steer steer;

    /** The node incarnation the job's next run must start on (a move); null for any node of its pool. */
    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(name = "placed_on", length = 36)
    public UUID placedOn;

    /**
     * True once a node that does not run the job's type claimed it (V16): until its next grant the managers place it
     * on a node of its pool that runs its type ({@code placedOn}) rather than publish it to the pool's queue.
     */
    @Column(name = "placed_by_type")
    public boolean placedByType;
    /**
     * How often the job was edited; its messages carry it, and a grant of a job edited at least once carries the
     * job as it is now (its message may predate the edit).
     */
    public long revision;

    /** The label the runs of one fan-out share; null for none. */
    @Column(name = "job_group")
    public String group;

    /** The job's place in its group; null outside one. */
    @Column(name = "group_index")
    public Integer groupIndex;

    /** The job that created this one (a controller); null for none. */
    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(name = "parent_id", length = 36)
    public UUID parentId;

    /** The key whose limit the job's runs count against; null for none. */
    @Column(name = "concurrency_key")
    public String concurrencyKey;

    /** The limit the job asked for its key (the key keeps that of its first active job); null without a key. */
    @Column(name = "concurrency_limit")
    public Integer concurrencyLimit;

    /** The job's place in its key's line ({@link #linePlace}); null without a key. */
    @Column(name = "concurrency_order")
    public Long concurrencyOrder;

    /** True once the job was given a place of its key, which it holds while it is active. */
    @Column(name = "concurrency_admitted")
    public boolean concurrencyAdmitted;

    /** The role of its job's exec work that this job's run plays; null for a job without roles. */
    public String role;

    /**
     * The job whose role runs this job is one of: its own id for the job itself, which plays the lead role, the
     * job's id for each child that plays another; null for a job without roles. Role runs are never published to a
     * pool's queue: the managers place them on nodes, all of one job's together ({@code RoleReservations}).
     */
    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(name = "role_of", length = 36)
    public UUID roleOf;

    /**
     * When the job's runs ended with a node death counted against it (crash-loop quarantine): epoch milliseconds,
     * comma-separated, oldest first; null for none.
     */
    @Column(name = "node_deaths")
    public String nodeDeaths;

    /** True while the job is {@code Paused} because its runs ended with their node's death too often. */
    public boolean quarantined;

    /** True when rebalancing never moves the job (an operator's move still does). */
    public boolean sticky;

    /** A new job, {@code Queued} and not yet published. */
    public static JobEntity queued(String name, String argument, String type, String pool, RestartMode restart,
                                   Instant now) {
        JobEntity job = new JobEntity();
        job.id = UUID.randomUUID();
        job.name = name;
        job.activeName = name;
        job.argument = argument;
        job.type = type;
        job.pool = pool;
        job.restart = restart;
        job.status = JobStatus.Queued;
        job.createdAt = now;
        job.modifiedAt = now;
        return job;
    }

    /** True while a node runs the job or is asked to stop it: the states in which the owner is shown. */
    public boolean isRunning() {
        return JobStatus.HELD.contains(status);
    }

    /** Marks the job {@code Deleted}, which frees its name. */
    public void delete(Instant now) {
        activeName = null;
        changeStatus(JobStatus.Deleted, now);
    }

    public void changeStatus(JobStatus newStatus, Instant now) {
        status = newStatus;
        modifiedAt = now;
    }

    /** The last progress a run reported; null before the first. */
    public Progress progress() {
        return progressAt == null ? null : new Progress(progressDone, progressTotal, progressMessage, progressAt);
    }

    /**
     * The job's run was released (paused, restarted, moved, drained): no node runs it now. Its owner is cleared, so
     * that the next claim is granted at once, under the next epoch.
     */
    public void released(Instant now) {
        ownerId = null;
        steer = null;
        modifiedAt = now;
    }

    /**
     * True while the job waits {@code Queued} for a place of its concurrency key: it has no message then, and
     * the managers publish it only once its key admits it.
     */
    public boolean waitsForConcurrencyKey() {
        return concurrencyKey != null && !concurrencyAdmitted && status == JobStatus.Queued;
    }

    /**
     * The job, paused or ended, runs again (a resume or a rerun): the place of its key it had is gone, so it waits
     * for one at the end of the line, like a new job.
     */
    public void waitForPlaceAgain(Instant now) {
        concurrencyAdmitted = false;
        if (concurrencyKey != null) {
            concurrencyOrder = linePlace(now, 0); // at the end of the line, as a new job
        }
    }

    /**
     * A place in a concurrency key's line for a job that joins it at {@code at}, {@code place}-th of its request
     * (below 1,000, a batch's maximum): the jobs of one batch share a millisecond and keep their order.
     */
    public static long linePlace(Instant at, int place) {
        return at.toEpochMilli() * 1_000 + place;
    }

    /** How many node deaths are counted against the job ({@link #nodeDeaths}). */
    public int nodeDeathCount() {
        return nodeDeaths == null || nodeDeaths.isEmpty() ? 0 : nodeDeaths.split(",").length;
    }

    /**
     * The job runs again by an operator's hand (a resume or a rerun): it is no longer quarantined, and no node death
     * counted before counts any more.
     */
    public void forgetNodeDeaths() {
        nodeDeaths = null;
        quarantined = false;
    }

    /** Queues the job again; its message goes out anew, to {@link #placedOn} if set. */
    public void requeue(Instant now) {
        published = false;
        changeStatus(JobStatus.Queued, now);
    }

    /**
     * The ended job runs again, same id and name ({@code POST /api/jobs/{id}/rerun}): {@code Queued} and unpublished,
     * at the end of its key's line, with no owner, result, last error, restarts or progress, and its checkpoint
     * kept only when {@code keepCheckpoint}.
     */
    public void rerun(boolean keepCheckpoint, Instant now) {
        requeue(now);
        forgetNodeDeaths();
        waitForPlaceAgain(now);
        ownerId = null;
        result = null;
        lastError = null;
        restarts = 0;
        startedAt = null;
        lastHeartbeatAt = null;
        progressDone = null;
        progressTotal = null;
        progressMessage = null;
        progressAt = null;
        if (!keepCheckpoint) {
            checkpoint = null;
            checkpointAt = null;
        }
    }

    /** The message that carries the job on its pool's queue. */
    public JobMessage toMessage() {
        return new JobMessage(id, name, argument, type, pool, restart, maxRestarts, heartbeatTimeout, params, timeout,
                revision, group, groupIndex);
    }
}
