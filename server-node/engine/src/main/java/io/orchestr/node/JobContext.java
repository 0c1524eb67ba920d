package io.orchestr.node;

import io.orchestr.client.OrchestratorClient;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * What a {@link JobHandler} knows about the run it performs, and how it cooperates with the node.
 *
 * <p>Threading: meant for the handler's own thread, but every method is thread-safe, so a handler may hand the
 * context to threads it starts. A context belongs to one run: a restarted handler gets a new one.
 */
public interface JobContext {
    /** The job's id, as the manager's REST API shows it. */
    UUID jobId();

    /** The job's unique name. */
    String jobName();

    /** The free-text argument the job was created with; empty, never null, when none was given. */
    String argument();

    /** The handler type the job asked for. */
    String type();

    /**
     * The label the runs of the job's fan-out share ({@code group} at creation; {@code GET /api/jobs?group=} lists
     * them and their results).
     *
     * @return empty for a job created in no group, and when the manager predates groups in job messages
     */
    Optional<String> group();

    /**
     * The job's place in its group, 0 or more (a batch numbers the runs of one group from 0 in order when they give
     * none), for a run that takes its share of the fan-out's work.
     *
     * @return empty outside a group
     */
    OptionalInt index();

    /**
     * The epoch of the grant this run holds: a fencing token that grows with every grant of the job to another
     * node incarnation. Side effects that must never come from two runners at once can reject writes carrying
     * an older epoch than one they have already seen.
     */
    long epoch();

    /** The name of the node running the job (not unique). */
    String nodeName();

    /** The id of the node incarnation running the job (unique, changes when the node reconnects). */
    UUID nodeId();

    /**
     * True once the node asked this run to stop (the job was cancelled, handed back, or the node stops), and once
     * the node's lease with the broker lapsed (the node may be cut off, and the job may soon run elsewhere). The
     * lease is checked here, on the handler's own thread, so a handler that calls this before each unit of work
     * stops even when the node's engine is stuck or the process was frozen for longer than the fence timeout. A
     * handler that never calls this (or {@link #awaitCancellation}) learns of a fence only by the interrupt of its
     * thread, and a side effect that must never overlap another run should carry {@link #epoch()} as a fencing
     * token to wherever it lands.
     */
    boolean isCancelled();

    /**
     * Waits until this run is asked to stop (see {@link #isCancelled()}, the lapse of the lease included), or
     * {@code timeout} passes, whichever comes first.
     *
     * @return true when the run should stop (also when the thread was interrupted, which the node only does to
     *         stop a run; the interrupt flag is kept), false when the timeout passed first
     */
    boolean awaitCancellation(Duration timeout);

    /**
     * Tells the manager, through the node's next snapshot, that the job is alive and making progress. A job created
     * with a heartbeat timeout must call this within the timeout of its start and of its previous call: a run that
     * does not is stopped as hung (cancelled and interrupted), and its end counts as a failure for its restart
     * mode.
     */
    void heartbeat();

    /**
     * The job's {@code params} read as {@code type} with Jackson (java.time as ISO-8601, unknown properties
     * ignored), on every call anew.
     *
     * @return null when the job was created without params
     * @throws JobDataException when they do not bind to {@code type}, naming the job and the type; a handler that
     *                          lets it fly fails its run, as any throw does
     */
    <T> T params(Class<T> type);

    /**
     * Sets the result the job ends with: serialized with Jackson at once, shown as the job's {@code result} once
     * this run ends the job, {@code Completed} or {@code Failed} (a run that throws and is not restarted: a controller
     * reports what its children did either way). A later call replaces an earlier one, and null clears it. A run that
     * the restart policy follows with another run leaves no result: only the run that ends the job gives one.
     *
     * @throws JobDataException when {@code value} does not serialize, or is more than
     *                          {@link io.orchestr.shared.Limits#RESULT} bytes of JSON: the result is never cut, and
     *                          the run then fails even if the handler catches this and returns
     */
    void result(Object value);

    /**
     * Reports how far the run is; the job view shows it as {@code progress} within one heartbeat interval. Cheap:
     * only the last report is kept, and it travels in the node's next snapshot when it changed, so a handler may
     * call this as often as it likes. It is not a heartbeat (see {@link #heartbeat()}).
     *
     * @param done    units done, in whatever the handler counts
     * @param total   units in all (0 or less when unknown)
     * @param message what it is doing, in words, may be null; cut to {@link io.orchestr.shared.Limits#PROGRESS_MESSAGE}
     *                characters
     */
    void progress(long done, long total, String message);

    /**
     * Stores {@code state} durably in the manager as the job's checkpoint, which every later run of the job reads
     * with {@link #lastCheckpoint} (after a restart, a failover to another node, a move or a resume). Serialized
     * with Jackson at once; blocks the calling thread until the manager answers that it stored it, at most the
     * node's checkpoint timeout (10 s by default). Fenced by {@link #epoch()}: the manager stores it only while this
     * run's grant is the job's current one, so a stale run can never overwrite the state of the run that replaced
     * it. Meant for small states (a cursor, a counter), at a pace of a few per second at most: every call is a
     * round trip to the manager and a database write.
     *
     * @throws JobDataException    when {@code state} is null, does not serialize, or is more than
     *                             {@link io.orchestr.shared.Limits#CHECKPOINT} bytes of JSON; nothing is sent
     * @throws CheckpointException when it was not stored: the run is stale or fenced (refused), or the manager did
     *                             not answer in time (it may then still be stored)
     */
    void checkpoint(Object state);

    /**
     * The job's last stored checkpoint read as {@code type} with Jackson, on every call anew: the one this run's
     * grant carried from the manager, or a later one this run (or an earlier run under the same grant) stored.
     *
     * @return empty when the job has no checkpoint yet
     * @throws JobDataException when it does not bind to {@code type}
     */
    <T> Optional<T> lastCheckpoint(Class<T> type);

    /**
     * The run's output: text (or bytes) for people to read, kept in a file on the node and shown by {@code GET
     * /api/jobs/{id}/output}, live while the run goes and after it ended, from any manager. See {@link JobOutput}
     * for its threading and its limits.
     */
    JobOutput output();

    /**
     * The node's client of the manager, for handlers that create jobs and wait for them (controllers, such as the
     * runnable node's {@code pipeline} type). One client serves every run of the node; it is thread-safe, and each
     * call blocks until the manager answers. Jobs created through it directly have no parent: create them with
     * {@link #createChild} so that they carry this job as their {@code parentId}, which makes cancelling or pausing
     * this job do the same to them, and lets a later run of this job find them ({@link #children()}) instead of
     * creating them twice.
     *
     * @throws IllegalStateException when the node has no manager URL ({@code orchestr.node.manager-url},
     *                               {@code ORCHESTR_NODE_MANAGER_URL}, or {@code OrchestratedServerBuilder.managerUrl})
     */
    OrchestratorClient jobs();

    /**
     * Creates {@code job} through {@link #jobs()} as a child of this job: with this job's id as its
     * {@code parentId}, unless it names a parent of its own.
     *
     * @return the child as stored, {@code Queued}
     * @throws IllegalStateException when the node has no manager URL
     */
    default JobView createChild(NewJob job) {
        return jobs().createJob(job.parentId() == null ? job.withParent(jobId()) : job);
    }

    /**
     * Creates {@code jobs} through {@link #jobs()} as children of this job, as {@link #createChild} does, all or
     * none ({@link OrchestratorClient#createJobs}).
     *
     * @return the children as stored, {@code Queued}, in the order given
     * @throws IllegalStateException when the node has no manager URL
     */
    default List<JobView> createChildren(List<NewJob> jobs) {
        return jobs().createJobs(jobs.stream().map(job -> job.parentId() == null ? job.withParent(jobId()) : job)
                .toList());
    }

    /**
     * This job's children ({@code GET /api/jobs?parentId=}, every page), newest first, as the manager shows them
     * now, {@code Deleted} ones included until the manager purges them: how a run of a controller finds the
     * children an earlier run of the job created (before a failover, a restart or a pause) instead of creating them
     * again.
     *
     * @throws IllegalStateException when the node has no manager URL
     */
    default List<JobView> children() {
        return jobs().children(jobId());
    }
}
