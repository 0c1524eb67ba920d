package io.orchestr.node.core;

import io.orchestr.node.NodeListener;
import io.orchestr.shared.wire.ToManager.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.UUID;

/** Passes events to the user's listener; what it throws is logged, never let into the engine. */
final class SafeListener implements NodeListener {
    private static final Logger LOG = LoggerFactory.getLogger(SafeListener.class);

    private final NodeListener delegate;

    SafeListener(NodeListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void connected(UUID nodeId) {
        guard("connected", () -> delegate.connected(nodeId));
    }

    @Override
    public void granted(UUID jobId, long epoch) {
        guard("granted", () -> delegate.granted(jobId, epoch));
    }

    @Override
    public void dropped(UUID jobId, String reason) {
        guard("dropped", () -> delegate.dropped(jobId, reason));
    }

    @Override
    public void jobStarted(UUID jobId, String jobName, long epoch, int restarts) {
        guard("jobStarted", () -> delegate.jobStarted(jobId, jobName, epoch, restarts));
    }

    @Override
    public void jobEnded(UUID jobId, Outcome outcome, String error) {
        guard("jobEnded", () -> delegate.jobEnded(jobId, outcome, error));
    }

    @Override
    public void jobHandedBack(UUID jobId, String reason) {
        guard("jobHandedBack", () -> delegate.jobHandedBack(jobId, reason));
    }

    @Override
    public void fenced(UUID nodeId, Duration silence) {
        guard("fenced", () -> delegate.fenced(nodeId, silence));
    }

    @Override
    public void deliveriesLost(UUID nodeId, String cause, int jobs) {
        guard("deliveriesLost", () -> delegate.deliveriesLost(nodeId, cause, jobs));
    }

    @Override
    public void malformedMessage(String queue, String error) {
        guard("malformedMessage", () -> delegate.malformedMessage(queue, error));
    }

    private static void guard(String event, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("Node listener failed on {}; ignored", event, e);
        }
    }
}
