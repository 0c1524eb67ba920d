package io.orchestr.node.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.client.OrchestratorClient;
import io.orchestr.node.JobContext;
import io.orchestr.node.JobDataException;
import io.orchestr.node.JobHandler;
import io.orchestr.node.JobOutput;
import io.orchestr.shared.Progress;
import io.orchestr.shared.wire.JobMessage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One run of a job's handler: the virtual thread it runs on, and the {@link JobContext} the handler is given. Its
 * end goes back to its {@link Job} only as an event on the engine thread, never by a call from the run's thread.
 * Thread-safe. A run counts as cancelled once it is asked to stop and, on its own thread, once its
 * incarnation's {@link Lease} lapsed: a handler that polls {@link #isCancelled()} or waits in {@link
 * #awaitCancellation} stops without waiting for the engine thread, even right after the process was frozen for
 * longer than the fence.
 */
final class Run implements JobContext {

    /** The job a run is of, as the run sees it (the held job). Read and called on the engine thread only. */
    interface Job {
        /** The job as its runs run it. */
        JobMessage message();

        /** The epoch of the grant the run is under. */
        long epoch();

        /** The job's last checkpoint, for the run to start from; null when it has none. */
        JsonNode checkpoint();

        /** The run's handler returned ({@code failure} null) or threw {@code failure}. */
        void runEnded(Run ended, Throwable failure);
    }

    /**
     * What an incarnation gives each of its runs.
     *
     * @param manager the node's client of the manager, null when it has none
     * @param engine  posts a task to the engine thread
     * @param alive   the incarnation's runs whose thread has not ended: a run is in it from before its thread starts
     *                until its handler returned
     */
    record Host(String nodeName, UUID nodeId, Clock clock, Lease lease, OrchestratorClient manager, Executor engine,
                Set<Run> alive) {
    }

    private final JobMessage message;
    private final long epoch;
    private final Host host;
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private final RunData data;
    private final RunOutput output;
    private final Thread thread;
    private final long startedNanos = System.nanoTime();
    private volatile Instant lastHeartbeat;
    private volatile long lastHeartbeatNanos;

    private Run(JobHandler handler, Job job, Host host, RunData.CheckpointStore checkpoints, RunOutput output) {
        this.message = job.message();
        this.epoch = job.epoch();
        this.host = host;
        this.data = new RunData(job.toString(), message.params(), job.checkpoint(), checkpoints, host.clock());
        this.output = output;
        heartbeat();
        this.thread = Thread.ofVirtual().name("orchestr-job-" + message.name()).unstarted(() -> {
            Throwable failure = null;
            try {
                handler.run(this);
                // a result refused by ctx.result() fails the run even when the handler caught the refusal
                failure = data.refusal().map(why -> new JobDataException(why, null)).orElse(null);
            } catch (Throwable t) { // a handler's failure of any kind is the job's business, never the node's
                failure = t;
            } finally {
                output.close(); // before the end is reported: a reader that sees the run ended has it all
            }
            host.alive().remove(this);
            Throwable thrown = failure;
            host.engine().execute(() -> job.runEnded(this, thrown));
        });
    }

    /**
     * Starts {@code handler} for {@code job}, under its grant's epoch and from its last checkpoint, on a thread of its
     * own. Called on the engine thread.
     *
     * @param checkpoints sends the run's checkpoints to the managers and waits for their answer
     * @param output      the run's output file, closed once the handler returned
     */
    static Run start(JobHandler handler, Job job, Host host, RunData.CheckpointStore checkpoints,
                     RunOutput output) {
        Run run = new Run(handler, job, host, checkpoints, output);
        host.alive().add(run);
        run.thread.start();
        return run;
    }

    @Override
    public UUID jobId() {
        return message.jobId();
    }

    @Override
    public String jobName() {
        return message.name();
    }

    @Override
    public String argument() {
        return message.argument();
    }

    @Override
    public String type() {
        return message.type();
    }

    @Override
    public Optional<String> group() {
        return Optional.ofNullable(message.group());
    }

    @Override
    public OptionalInt index() {
        return message.index() == null ? OptionalInt.empty() : OptionalInt.of(message.index());
    }

    @Override
    public long epoch() {
        return epoch;
    }

    @Override
    public String nodeName() {
        return host.nodeName();
    }

    @Override
    public UUID nodeId() {
        return host.nodeId();
    }

    @Override
    public boolean isCancelled() {
        return cancelled.getCount() == 0 || fenced();
    }

    @Override
    public boolean awaitCancellation(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!isCancelled()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                // wake when the lease would lapse, unless a confirm renews it meanwhile
                long wait = Math.min(left, Math.max(host.lease().remainingNanos(), 0) + 1);
                if (cancelled.await(wait, TimeUnit.NANOSECONDS)) {
                    return true;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    @Override
    public void heartbeat() {
        lastHeartbeatNanos = System.nanoTime();
        lastHeartbeat = host.clock().instant();
    }

    @Override
    public <T> T params(Class<T> type) {
        return data.params(type);
    }

    @Override
    public void result(Object value) {
        data.result(value);
    }

    @Override
    public void progress(long done, long total, String message) {
        data.progress(done, total, message);
    }

    @Override
    public void checkpoint(Object state) {
        data.checkpoint(state);
    }

    @Override
    public <T> Optional<T> lastCheckpoint(Class<T> type) {
        return data.lastCheckpoint(type);
    }

    @Override
    public JobOutput output() {
        return output;
    }

    @Override
    public OrchestratorClient jobs() {
        if (host.manager() == null) {
            throw new IllegalStateException("node '" + host.nodeName() + "' has no manager URL, which job '"
                    + message.name() + "' needs to create or watch jobs: set orchestr.node.manager-url"
                    + " (ORCHESTR_NODE_MANAGER_URL) on the runnable or Quarkus node, or"
                    + " OrchestratedServerBuilder.managerUrl(URI)");
        }
        return host.manager();
    }

    /** Asks the handler to stop: from now on {@link #isCancelled} is true. */
    void cancel() {
        cancelled.countDown();
    }

    void interrupt() {
        thread.interrupt();
    }

    /** Asks the handler to stop and interrupts its thread. */
    void stopAtOnce() {
        cancel();
        interrupt();
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    /** True once the incarnation's lease lapsed: an end of the run then means nothing but the fence. */
    boolean fenced() {
        return host.lease().lapsed();
    }

    /** The result the handler left, if any. */
    Optional<JsonNode> resultLeft() {
        return data.result();
    }

    /** The handler's last progress report; null before its first. */
    Progress lastProgress() {
        return data.progress();
    }

    /** How long ago the run started, on the monotonic clock. */
    Duration sinceStart() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** The last heartbeat (or the start) on the wall clock, for the managers to show. */
    Instant lastHeartbeat() {
        return lastHeartbeat;
    }

    /** How long ago the last heartbeat (or the start) was, on the monotonic clock. */
    Duration sinceHeartbeat() {
        return Duration.ofNanos(System.nanoTime() - lastHeartbeatNanos);
    }
}
