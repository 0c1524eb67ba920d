package io.orchestr.node.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.client.OrchestratorClient;
import io.orchestr.node.JobContext;
import io.orchestr.node.JobOutput;
import io.orchestr.shared.wire.JobMessage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The {@link JobContext} of one handler run. Thread-safe. A run counts as cancelled once it is asked to stop and,
 * on its own thread, once its incarnation's {@link Lease} lapsed: a handler that polls {@link #isCancelled()} or
 * waits in {@link #awaitCancellation} stops without waiting for the engine thread, even right after the process was
 * frozen for longer than the fence.
 */
final class RunContext implements JobContext {
    private final JobMessage message;
    private final long epoch;
    private final String nodeName;
    private final UUID nodeId;
    private final Clock clock;
    private final Lease lease;
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private final RunData data;
    private final RunOutput output;
    /** Null when the node has no manager URL. */
    private final OrchestratorClient manager;
    private final long startedNanos = System.nanoTime();
    private volatile Instant lastHeartbeat;
    private volatile long lastHeartbeatNanos;

    /**
     * @param lastCheckpoint the job's last checkpoint as the run starts, null for none
     * @param checkpoints    sends the run's checkpoints to the managers and waits for their answer
     * @param output         the run's output file, closed by {@link #closeOutput()}
     * @param manager        the node's client of the manager, null when it has none
     */
    RunContext(JobMessage message, long epoch, String nodeName, UUID nodeId, Clock clock, Lease lease,
               JsonNode lastCheckpoint, RunData.CheckpointStore checkpoints, RunOutput output,
               OrchestratorClient manager) {
        this.manager = manager;
        this.message = message;
        this.epoch = epoch;
        this.nodeName = nodeName;
        this.nodeId = nodeId;
        this.clock = clock;
        this.lease = lease;
        this.data = new RunData("job '" + message.name() + "' (" + message.jobId() + ")", message.params(),
                lastCheckpoint, checkpoints, clock);
        this.output = output;
        heartbeat();
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
        return nodeName;
    }

    @Override
    public UUID nodeId() {
        return nodeId;
    }

    @Override
    public boolean isCancelled() {
        return cancelled.getCount() == 0 || lease.lapsed();
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
                long wait = Math.min(left, Math.max(lease.remainingNanos(), 0) + 1);
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
        lastHeartbeat = clock.instant();
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

    /** The handler returned: its output file is closed, and later writes are dropped. */
    void closeOutput() {
        output.close();
    }

    @Override
    public OrchestratorClient jobs() {
        if (manager == null) {
            throw new IllegalStateException("node '" + nodeName + "' has no manager URL, which job '" + message.name()
                    + "' needs to create or watch jobs: set orchestr.node.manager-url (ORCHESTR_NODE_MANAGER_URL) on"
                    + " the runnable or Quarkus node, or OrchestratedServerBuilder.managerUrl(URI)");
        }
        return manager;
    }

    /** The run's result and progress, as the handler left them. */
    RunData data() {
        return data;
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

    /** True once the lease of the run's incarnation lapsed: the incarnation is fenced. */
    boolean leaseLapsed() {
        return lease.lapsed();
    }

    void cancel() {
        cancelled.countDown();
    }
}
