package io.orchestr.node.core;

import io.orchestr.node.JobContext;
import io.orchestr.shared.wire.JobMessage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The {@link JobContext} of one handler run. Thread-safe. */
final class RunContext implements JobContext {
    private final JobMessage message;
    private final long epoch;
    private final String nodeName;
    private final UUID nodeId;
    private final Clock clock;
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private volatile Instant lastHeartbeat;

    RunContext(JobMessage message, long epoch, String nodeName, UUID nodeId, Clock clock) {
        this.message = message;
        this.epoch = epoch;
        this.nodeName = nodeName;
        this.nodeId = nodeId;
        this.clock = clock;
        this.lastHeartbeat = clock.instant();
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
        return cancelled.getCount() == 0;
    }

    @Override
    public boolean awaitCancellation(Duration timeout) {
        try {
            return cancelled.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    @Override
    public void heartbeat() {
        lastHeartbeat = clock.instant();
    }

    Instant lastHeartbeat() {
        return lastHeartbeat;
    }

    void cancel() {
        cancelled.countDown();
    }
}
