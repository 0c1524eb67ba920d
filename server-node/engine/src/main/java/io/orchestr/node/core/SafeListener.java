package io.orchestr.node.core;

import io.orchestr.node.NodeListener;
import io.orchestr.shared.wire.ToManager.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Passes events to the user's listeners, each in turn; what one throws is logged, never let into the engine or kept
 * from the next.
 */
final class SafeListener implements NodeListener {
    private static final Logger LOG = LoggerFactory.getLogger(SafeListener.class);

    private final List<NodeListener> delegates;

    SafeListener(List<NodeListener> delegates) {
        this.delegates = List.copyOf(delegates);
    }

    @Override
    public void connected(UUID nodeId) {
        guard("connected", delegate -> delegate.connected(nodeId));
    }

    @Override
    public void granted(UUID jobId, long epoch) {
        guard("granted", delegate -> delegate.granted(jobId, epoch));
    }

    @Override
    public void dropped(UUID jobId, String reason) {
        guard("dropped", delegate -> delegate.dropped(jobId, reason));
    }

    @Override
    public void jobStarted(UUID jobId, String jobName, long epoch, int restarts) {
        guard("jobStarted", delegate -> delegate.jobStarted(jobId, jobName, epoch, restarts));
    }

    @Override
    public void jobEnded(UUID jobId, Outcome outcome, String error) {
        guard("jobEnded", delegate -> delegate.jobEnded(jobId, outcome, error));
    }

    @Override
    public void jobHandedBack(UUID jobId, String reason) {
        guard("jobHandedBack", delegate -> delegate.jobHandedBack(jobId, reason));
    }

    @Override
    public void fenced(UUID nodeId, Duration silence) {
        guard("fenced", delegate -> delegate.fenced(nodeId, silence));
    }

    @Override
    public void deliveriesLost(UUID nodeId, String cause, int jobs) {
        guard("deliveriesLost", delegate -> delegate.deliveriesLost(nodeId, cause, jobs));
    }

    @Override
    public void malformedMessage(String queue, String error) {
        guard("malformedMessage", delegate -> delegate.malformedMessage(queue, error));
    }

    @Override
    public void checkpointStored(UUID jobId) {
        guard("checkpointStored", delegate -> delegate.checkpointStored(jobId));
    }

    @Override
    public void confirmed(Duration latency) {
        guard("confirmed", delegate -> delegate.confirmed(latency));
    }

    @Override
    public void reported(int slots, int held, Duration heartbeatAge) {
        guard("reported", delegate -> delegate.reported(slots, held, heartbeatAge));
    }

    private void guard(String event, Consumer<NodeListener> call) {
        for (NodeListener delegate : delegates) {
            try {
                call.accept(delegate);
            } catch (RuntimeException e) {
                LOG.warn("Node listener {} failed on {}; ignored", delegate.getClass().getName(), event, e);
            }
        }
    }
}
