package io.orchestr.client;

import io.orchestr.shared.JobStatus;
import io.orchestr.shared.Limits;
import io.orchestr.shared.api.JobUpdate;
import io.orchestr.shared.api.BulkRequest;
import io.orchestr.shared.api.BulkResult;
import io.orchestr.shared.api.JobEventView;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;
import io.orchestr.shared.api.Page;
import io.orchestr.shared.api.ServerView;

import java.net.URI;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Creates, changes, reruns, cancels and watches jobs through a manager's REST API. Instances are thread-safe and
 * hold one HTTP client; every call blocks until the manager answers.
 *
 * <p>Errors: a 404 throws {@link NotFoundException}, a 409 {@link ConflictException}, any other non-2xx answer or
 * an unreachable manager {@link OrchestratorException}, with the manager's message.
 */
public interface OrchestratorClient {

    /**
     * A client for the manager at {@code baseUri}, e.g. {@code http://localhost:8080}, that sends the bearer token of
     * the environment variable {@code ORCHESTR_TOKEN}, or none when it is unset or blank.
     */
    static OrchestratorClient create(URI baseUri) {
        return create(baseUri, System.getenv("ORCHESTR_TOKEN"));
    }

    /**
     * A client for the manager at {@code baseUri} that sends {@code token} as {@code Authorization: Bearer}; a
     * {@code null} or blank token sends none (for a manager with {@code ORCHESTR_AUTH=off}). A manager answers a
     * missing or unknown token with 401 and too small a role with 403 ({@link OrchestratorException#status()}).
     */
    static OrchestratorClient create(URI baseUri, String token) {
        return new HttpOrchestratorClient(baseUri, Duration.ofSeconds(10), token);
    }

    /** Creates a job with the default type, pool and restart policy; returns its id. */
    default UUID createJob(String name, String argument) {
        return createJob(NewJob.of(name, argument)).id();
    }

    /**
     * Creates a job with the options {@code job} holds, e.g.
     * {@code NewJob.of("sync", "").withMaxRestarts(5).withHeartbeatTimeout(Duration.ofSeconds(30))}; returns it as
     * stored, {@code Queued}.
     */
    JobView createJob(NewJob job);

    /**
     * Creates up to 1,000 jobs at once, all or none, with the options each {@link NewJob} holds; returns them as
     * stored, {@code Queued}, in the order given. Much faster than as many {@link #createJob(NewJob)} calls: the
     * manager stores them in one transaction and waits once for the broker.
     *
     * @throws OrchestratorException a 400 when the list is empty or longer than 1,000, or an element is invalid:
     *                               its {@link OrchestratorException#index() index} and
     *                               {@link OrchestratorException#field() field} say which
     * @throws ConflictException     when jobs that are not {@code Deleted} have some of the names (listed in
     *                               {@link ConflictException#names()}), or two elements give the same name (the
     *                               second's {@link OrchestratorException#index() index})
     */
    List<JobView> createJobs(List<NewJob> jobs);

    /**
     * Asks for the job to be cancelled; idempotent. Returns the job, now {@code Deleting} or {@code Deleted}; a
     * {@code Completed} or {@code Failed} job becomes {@code Deleted}, which frees its name.
     */
    JobView markOnDeleting(UUID jobId);

    /**
     * Pauses the job: it stops wherever it runs and runs nowhere until resumed. Returns it {@code Pausing} (until
     * its node confirms the stop) or {@code Paused}; a repeat is a no-op.
     *
     * @throws ConflictException when the job ended or is being cancelled
     */
    JobView pause(UUID jobId);

    /**
     * Queues a paused job again; a no-op for a queued or running one.
     *
     * @throws ConflictException when the job ended, is being cancelled or is still {@code Pausing}
     */
    JobView resume(UUID jobId);

    /**
     * Stops the job's run and starts a new one, never both at once.
     *
     * @throws ConflictException when the job is not queued or running
     */
    JobView restart(UUID jobId);

    /**
     * Stops the job's run and starts the next on {@code serverId}, or, when null, on the node of its pool with the
     * most free slots other than its own; a queued job is placed on {@code serverId}.
     *
     * @throws ConflictException when no other node can take it, or the job is not queued or running
     */
    JobView move(UUID jobId, UUID serverId);

    /**
     * Changes a job that waits ({@code Queued} or {@code Paused}), e.g.
     * {@code update(id, JobUpdate.none().withArgument("region=us").withoutTimeout())}; its next run follows the
     * change. Returns the job as changed.
     *
     * @throws ConflictException     when the job is in any other status
     * @throws OrchestratorException a 400 naming the {@link OrchestratorException#field() field} whose new value
     *                               is invalid
     */
    JobView update(UUID jobId, JobUpdate update);

    /**
     * Queues a {@code Completed} or {@code Failed} job again, under the same id and name, without its last
     * checkpoint; returns it, {@code Queued}, its result, last error, restarts and progress reset.
     *
     * @throws ConflictException when the job is in any other status
     */
    default JobView rerun(UUID jobId) {
        return rerun(jobId, false);
    }

    /**
     * {@link #rerun(UUID)}, the new run starting from the job's last checkpoint when {@code keepCheckpoint}.
     *
     * @throws ConflictException when the job is neither {@code Completed} nor {@code Failed}
     */
    JobView rerun(UUID jobId, boolean keepCheckpoint);

    /**
     * Cancels, pauses, resumes or reruns every job the request chooses (a group, a parent's children, or ids), each
     * as the single call would; returns how many jobs matched and how many changed.
     */
    BulkResult bulk(BulkRequest request);

    JobView job(UUID jobId);

    Page<JobView> jobs(JobFilter filter, PageRequest page);

    /**
     * The children of {@code parentId} ({@code GET /api/jobs?parentId=}, every page), newest first, {@code Deleted}
     * ones included until the manager purges them.
     */
    default List<JobView> children(UUID parentId) {
        List<JobView> children = new ArrayList<>();
        for (int page = 0; ; page++) {
            Page<JobView> found = jobs(JobFilter.childrenOf(parentId), new PageRequest(page, Limits.PAGE_SIZE));
            children.addAll(found.items());
            if (found.items().size() < Limits.PAGE_SIZE || children.size() >= found.total()) {
                return children;
            }
        }
    }

    /**
     * One page of the job's history, oldest first: created, granted to a node under an epoch, stopped and why,
     * ended, and what else happened to it. A job keeps its last events only (1,000 by default).
     *
     * @throws NotFoundException when no job has this id
     */
    Page<JobEventView> events(UUID jobId, PageRequest page);

    /**
     * The last 64 KiB of the output of the job's current run, or of its last run once none goes
     * ({@code JobContext.output()}), decoded as UTF-8.
     *
     * @throws NotFoundException     when no job has this id, or it has not run yet
     * @throws OrchestratorException with status 410 when the node that has the output is gone, 504 when it does not
     *                               answer (a node older than run outputs)
     */
    String output(UUID jobId);

    /**
     * The job's output as {@link #output(UUID)} shows it, then what its run writes, as it comes: the stream ends when
     * the run is over. Close it to stop following.
     *
     * @throws NotFoundException     when no job has this id, or it has not run yet
     * @throws OrchestratorException as {@link #output(UUID)}
     */
    InputStream followOutput(UUID jobId);

    Page<ServerView> servers(ServerFilter filter, PageRequest page);

    /** The server with the jobs it runs. */
    ServerView server(UUID serverId);

    /**
     * Drains the node: it takes no new jobs and hands back every job it holds, each job's next run starting only once
     * its last one stopped; {@code Draining}, then {@code Drained} once it holds nothing. It stays connected, and
     * drained across its reconnects, until {@link #undrain}. A repeat is a no-op.
     *
     * @throws ConflictException when the server left, is lost, or runs a node that predates drains
     * @throws NotFoundException when no server has this id
     */
    ServerView drain(UUID serverId);

    /**
     * Undrains the node: it takes jobs again ({@code Active}). A repeat is a no-op.
     *
     * @throws ConflictException when the server left, is lost, or runs a node that predates drains
     * @throws NotFoundException when no server has this id
     */
    ServerView undrain(UUID serverId);

    /**
     * Polls the job until it has {@code status}; returns it then.
     *
     * @throws OrchestratorException when the timeout passes first, naming the last status seen, or at once when the
     *                               job reached another final status (it never leaves one)
     */
    JobView awaitStatus(UUID jobId, JobStatus status, Duration timeout);

    /**
     * Polls the job until its status is final ({@code Completed}, {@code Failed} or {@code Deleted}); returns it then.
     *
     * @throws AwaitTimeoutException when the timeout passes first, naming the last status seen
     */
    JobView awaitEnd(UUID jobId, Duration timeout);

    /**
     * Polls the job until it ends; returns its {@code result} read as {@code type} (Jackson), or null when it
     * completed without one.
     *
     * @throws JobNotCompletedException when it ended {@code Failed} or {@code Deleted}, with its {@code lastError}
     * @throws OrchestratorException    when the timeout passes first, naming the last status seen, or the result
     *                                  does not bind to {@code type}
     */
    <R> R awaitResult(UUID jobId, Class<R> type, Duration timeout);

    /**
     * {@link #awaitResult} without a deadline, polling on a virtual thread of its own, which stops once the future
     * is done (completing or cancelling it from outside stops the polling too). The future fails as
     * {@code awaitResult} throws, and with any error of a poll (an unknown job, an unreachable manager).
     */
    <R> CompletableFuture<R> resultAsync(UUID jobId, Class<R> type);
}
