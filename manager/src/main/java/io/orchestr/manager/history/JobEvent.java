package io.orchestr.manager.history;

import io.orchestr.shared.JobEventKind;
import io.orchestr.shared.Limits;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One event of a job's history, to record with {@link JobHistory}. Build it with the factory of its kind and add
 * what applies: {@code JobEvent.granted(job, now, node, epoch)}, {@code JobEvent.of(JobEventKind.PAUSED, job,
 * now).withActor(actor)}. The server's name need not be given: the history takes it from the server's row when it
 * has one.
 *
 * @param jobId    the job
 * @param at       when the manager decided or learned it, on its own clock (never a node's)
 * @param kind     what happened
 * @param serverId the node incarnation concerned, or null
 * @param epoch    the grant concerned, or null
 * @param actor    who asked (the REST caller, or {@link #nodeActor the node}); null for what the manager itself did or
 *                 found out
 * @param detail   why, in words, or null; cut to {@value #DETAIL} characters
 */
public record JobEvent(UUID jobId, Instant at, JobEventKind kind, UUID serverId, Long epoch, String actor,
                       String detail) {
    /** The longest detail kept, as the column holds it. */
    public static final int DETAIL = 1_000;
    /** The longest actor kept. */
    public static final int ACTOR = 200;

    public JobEvent {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        actor = Limits.cut(actor, ACTOR);
        detail = Limits.cut(detail, DETAIL);
    }

    /** An event of this kind, with no node, epoch, actor or detail yet. */
    public static JobEvent of(JobEventKind kind, UUID jobId, Instant at) {
        return new JobEvent(jobId, at, kind, null, null, null, null);
    }

    /** The same event about the run of {@code serverId} under {@code epoch}. */
    public JobEvent withRun(UUID server, long grant) {
        return new JobEvent(jobId, at, kind, server, grant, actor, detail);
    }

    /** The same event asked for by {@code who}. */
    public JobEvent withActor(String who) {
        return new JobEvent(jobId, at, kind, serverId, epoch, who, detail);
    }

    /** The same event, saying why. */
    public JobEvent withDetail(String why) {
        return new JobEvent(jobId, at, kind, serverId, epoch, actor, why);
    }

    /** The actor of what a node reported or did. */
    public static String nodeActor(UUID nodeId) {
        return "node " + nodeId;
    }

    /** The job was stored, at the request of {@code actor}. */
    public static JobEvent created(UUID jobId, Instant at, String actor) {
        return of(JobEventKind.CREATED, jobId, at).withActor(actor);
    }

    /** The job was granted to {@code nodeId} under {@code epoch}, a new epoch: a run begins. */
    public static JobEvent granted(UUID jobId, Instant at, UUID nodeId, long epoch) {
        return of(JobEventKind.GRANTED, jobId, at).withRun(nodeId, epoch);
    }

    /** {@code nodeId} reported the run of its grant under {@code epoch} running. */
    public static JobEvent started(UUID jobId, Instant at, UUID nodeId, long epoch) {
        return of(JobEventKind.STARTED, jobId, at).withRun(nodeId, epoch).withActor(nodeActor(nodeId));
    }

    /** The job's node went silent; the job may still run there. */
    public static JobEvent heartbeatLost(UUID jobId, Instant at, UUID nodeId, long epoch, String why) {
        return of(JobEventKind.HEARTBEAT_LOST, jobId, at).withRun(nodeId, epoch).withDetail(why);
    }

    /** The run of {@code nodeId} under {@code epoch} is over, and why; the job goes on. */
    public static JobEvent stopped(UUID jobId, Instant at, UUID nodeId, long epoch, String why) {
        return of(JobEventKind.STOPPED, jobId, at).withRun(nodeId, epoch).withDetail(why);
    }

    /** The run under {@code epoch} stored a checkpoint of {@code size} bytes of JSON. */
    public static JobEvent checkpoint(UUID jobId, Instant at, UUID nodeId, long epoch, int size) {
        return of(JobEventKind.CHECKPOINT, jobId, at).withRun(nodeId, epoch).withActor(nodeActor(nodeId))
                .withDetail(size + " bytes");
    }

    /** The job ended for good on {@code nodeId} ({@code COMPLETED}, {@code FAILED} or {@code DELETED}). */
    public static JobEvent ended(JobEventKind kind, UUID jobId, Instant at, UUID nodeId, long epoch, String why) {
        return of(kind, jobId, at).withRun(nodeId, epoch).withActor(nodeActor(nodeId)).withDetail(why);
    }

    /** {@code actor} asked for the cancel of the job while {@code nodeId} ran it under {@code epoch}. */
    public static JobEvent cancelled(UUID jobId, Instant at, UUID nodeId, long epoch, String actor) {
        return of(JobEventKind.CANCELLED, jobId, at).withRun(nodeId, epoch).withActor(actor)
                .withDetail("Deleting until its node stops it");
    }

    /** The job is Deleted, and why; {@code actor} asked for it, or null. */
    public static JobEvent deleted(UUID jobId, Instant at, String actor, String why) {
        return of(JobEventKind.DELETED, jobId, at).withActor(actor).withDetail(why);
    }
}
