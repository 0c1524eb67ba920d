package io.orchestr.node.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.node.CheckpointException;
import io.orchestr.node.NodeListener;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The checkpoints one incarnation's runs sent to the managers, until the managers answer. A handler's thread
 * {@linkplain #store stores} one and waits on a future of its own; the send, the bookkeeping and the answer all
 * happen on the engine thread, which never waits for the managers. Engine-confined, except {@link #store}.
 */
final class Checkpoints {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);

    /** A checkpoint sent and not answered yet, and the run's thread that waits for the answer. */
    private record Pending(HeldJob job, JsonNode state, CompletableFuture<Void> stored) {
    }

    private final UUID nodeId;
    private final ConfirmedSender sender;
    private final Loop loop;
    private final Duration timeout;
    private final NodeListener listener;
    /** Checkpoint ids grow within the incarnation: the managers keep the highest of a grant. */
    private final AtomicLong lastId = new AtomicLong();
    private final Map<Long, Pending> pending = new HashMap<>();
    /** Set once the incarnation is gone: later checkpoints fail at once. */
    private String gone;

    Checkpoints(UUID nodeId, ConfirmedSender sender, Loop loop, Duration timeout, NodeListener listener) {
        this.nodeId = nodeId;
        this.listener = listener;
        this.sender = sender;
        this.loop = loop;
        this.timeout = timeout;
    }

    /**
     * On the run's own thread: sends {@code state} as {@code job}'s checkpoint under {@code epoch} and waits until
     * the managers stored it.
     *
     * @throws CheckpointException when the run is fenced, the managers refused it, or no answer came in time
     */
    void store(HeldJob job, long epoch, Lease lease, JsonNode state) {
        if (lease.lapsed()) {
            throw new CheckpointException("checkpoint of " + job + " refused: the node's lease with the broker"
                    + " lapsed, so the run is fenced and the job may already run elsewhere", null);
        }
        long id = lastId.incrementAndGet();
        CompletableFuture<Void> stored = new CompletableFuture<>();
        loop.post(() -> send(id, new Pending(job, state, stored), epoch));
        try {
            stored.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new CheckpointException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            loop.post(() -> pending.remove(id));
            throw new CheckpointException("checkpoint " + id + " of " + job + " was not confirmed within "
                    + Durations.brief(timeout) + ": the managers may be down or slow, and it may or may not be stored",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            loop.post(() -> pending.remove(id));
            throw new CheckpointException("interrupted while waiting for checkpoint " + id + " of " + job
                    + " to be stored; it may or may not be stored", e);
        }
    }

    private void send(long id, Pending checkpoint, long epoch) {
        if (gone != null) {
            checkpoint.stored().completeExceptionally(refusal(checkpoint.job(), gone));
            return;
        }
        pending.put(id, checkpoint);
        sender.send(new ToManager.Checkpoint(checkpoint.job().id(), nodeId, epoch, id, checkpoint.state()),
                Session.Delivery.DURABLE, "checkpoint " + id + " of " + checkpoint.job());
    }

    /** The managers answered a checkpoint: its run's thread goes on, and a stored one becomes the job's last. */
    void answered(ToNode.CheckpointReply reply) {
        Pending checkpoint = pending.remove(reply.checkpoint());
        if (checkpoint == null || !checkpoint.job().id().equals(reply.jobId())) {
            LOG.debug("Ignored the answer to checkpoint {} of job {}: its run stopped waiting", reply.checkpoint(),
                    reply.jobId());
            return;
        }
        if (reply.stored()) {
            checkpoint.job().checkpointStored(checkpoint.state());
            checkpoint.stored().complete(null);
            listener.checkpointStored(reply.jobId());
        } else {
            LOG.info("The managers refused checkpoint {} of {}: {}", reply.checkpoint(), checkpoint.job(),
                    reply.reason());
            checkpoint.stored().completeExceptionally(refusal(checkpoint.job(), "the manager refused it: "
                    + reply.reason()));
        }
    }

    /** The incarnation is gone: the checkpoints still in flight fail now instead of at their timeout. */
    void abandon(String why) {
        gone = "the node's connection is gone (" + why + ")";
        pending.values().forEach(checkpoint -> checkpoint.stored().completeExceptionally(
                refusal(checkpoint.job(), gone + "; it may or may not be stored")));
        pending.clear();
    }

    private static CheckpointException refusal(HeldJob job, String why) {
        return new CheckpointException("checkpoint of " + job + " not stored: " + why, null);
    }
}
