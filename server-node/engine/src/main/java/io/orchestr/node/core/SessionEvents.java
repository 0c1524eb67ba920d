package io.orchestr.node.core;

import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToNode;

/**
 * What a {@link Session} reports from the broker client's threads, already decoded. Implementations hand each
 * event to the engine thread and return at once; they must not throw.
 */
interface SessionEvents {
    void jobDelivered(long deliveryTag, JobMessage job);

    void jobUnreadable(long deliveryTag, String queue, String error);

    void controlDelivered(long deliveryTag, ToNode message);

    void controlUnreadable(long deliveryTag, String queue, String error);

    /** A job message from a sender that is not a manager ({@link TrustedSenders}): {@code what} it is, and why. */
    void jobRefused(long deliveryTag, String queue, String what, String why);

    /** A control message from a sender that is not a manager ({@link TrustedSenders}). */
    void controlRefused(long deliveryTag, String queue, String what, String why);

    /** A manager asks for a run's output; the answer goes to {@code replyTo} with {@code correlationId}. */
    void outputAsked(long deliveryTag, ToNode.Output request, String replyTo, String correlationId);

    /** The broker confirmed publish {@code seqNo} (and all before it when {@code multiple}), or refused it. */
    void confirmed(long seqNo, boolean multiple, boolean positive);

    /** The broker blocked the connection's publishes (a memory or disk alarm), for {@code reason}. */
    void blocked(String reason);

    /** The broker unblocked the connection. */
    void unblocked();

    /** The connection, a channel or a consumer died, or was closed by the node itself. */
    void lost(String cause);
}
