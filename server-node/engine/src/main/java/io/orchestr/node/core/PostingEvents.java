package io.orchestr.node.core;

import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToNode;

import java.util.function.BiConsumer;

/**
 * Hands one incarnation's session events to the engine thread, except confirms, which renew the lease on the
 * broker client's thread. Events that reach it after the incarnation was
 * retired (fenced, lost or closed) are dropped there: its deliveries are dead.
 */
final class PostingEvents implements SessionEvents {
    private final Loop loop;
    private final Incarnation incarnation;
    private final BiConsumer<Incarnation, String> onLost;

    PostingEvents(Loop loop, Incarnation incarnation, BiConsumer<Incarnation, String> onLost) {
        this.loop = loop;
        this.incarnation = incarnation;
        this.onLost = onLost;
    }

    @Override
    public void jobDelivered(long deliveryTag, JobMessage job) {
        toLive(() -> incarnation.onJobDelivered(deliveryTag, job));
    }

    @Override
    public void jobUnreadable(long deliveryTag, String queue, String error) {
        toLive(() -> incarnation.onJobUnreadable(deliveryTag, queue, error));
    }

    @Override
    public void controlDelivered(long deliveryTag, ToNode message) {
        toLive(() -> incarnation.onControl(deliveryTag, message));
    }

    @Override
    public void controlUnreadable(long deliveryTag, String queue, String error) {
        toLive(() -> incarnation.onControlUnreadable(deliveryTag, queue, error));
    }

    @Override
    public void jobRefused(long deliveryTag, String queue, String what, String why) {
        toLive(() -> incarnation.onJobRefused(deliveryTag, queue, what, why));
    }

    @Override
    public void controlRefused(long deliveryTag, String queue, String what, String why) {
        toLive(() -> incarnation.onControlRefused(deliveryTag, queue, what, why));
    }

    @Override
    public void outputAsked(long deliveryTag, ToNode.Output request, String replyTo, String correlationId) {
        toLive(() -> incarnation.onOutputAsked(deliveryTag, request, replyTo, correlationId));
    }

    @Override
    public void confirmed(long seqNo, boolean multiple, boolean positive) {
        // not through the engine thread: a confirm renews the lease, which must not wait for a busy or stuck engine
        incarnation.onConfirmed(seqNo, multiple, positive);
    }

    @Override
    public void blocked(String reason) {
        // not through the engine thread either: it may be the one stuck in a blocked publish
        incarnation.onBlocked(reason);
    }

    @Override
    public void unblocked() {
        incarnation.onUnblocked();
    }

    @Override
    public void lost(String cause) {
        loop.post(() -> onLost.accept(incarnation, cause));
    }

    private void toLive(Runnable event) {
        loop.post(() -> {
            if (incarnation.isLive()) {
                event.run();
            }
        });
    }
}
