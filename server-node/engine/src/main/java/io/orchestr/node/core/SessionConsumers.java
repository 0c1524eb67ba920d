package io.orchestr.node.core;

import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.CancelCallback;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmCallback;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.ShutdownListener;
import io.orchestr.shared.json.MalformedMessageException;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker client's callbacks for one session. They run on the client's dispatch threads: decode, hand off to
 * {@link SessionEvents}, return. They never throw, since the client would close the channel and requeue every
 * job on it.
 */
final class SessionConsumers {
    private static final Logger LOG = LoggerFactory.getLogger(SessionConsumers.class);

    private final WireCodec codec;
    private final SessionEvents events;
    private final TrustedSenders managers;

    SessionConsumers(WireCodec codec, SessionEvents events, TrustedSenders managers) {
        this.codec = codec;
        this.events = events;
        this.managers = managers;
    }

    /** Reports the channel's shutdown, whatever its cause. */
    Channel watch(Channel channel, String name) {
        channel.addShutdownListener(shutdown(name + " channel"));
        return channel;
    }

    ShutdownListener shutdown(String what) {
        return cause -> guarded(() -> events.lost(Session.describe(cause) + " (" + what + ")"));
    }

    DeliverCallback jobs(String queue) {
        return (consumerTag, delivery) -> guarded(() -> {
            long tag = delivery.getEnvelope().getDeliveryTag();
            JobMessage job;
            try {
                job = codec.decodeJob(delivery.getBody());
            } catch (MalformedMessageException e) {
                events.jobUnreadable(tag, queue, e.getMessage());
                return;
            }
            String sender = delivery.getProperties().getUserId();
            if (!managers.trusts(sender)) {
                events.jobRefused(tag, queue, "job message of job " + job.jobId() + " (type " + job.type() + ")",
                        managers.refusal(sender));
                return;
            }
            events.jobDelivered(tag, job);
        });
    }

    DeliverCallback control(String queue) {
        return (consumerTag, delivery) -> guarded(() -> {
            long tag = delivery.getEnvelope().getDeliveryTag();
            ToNode message;
            try {
                message = codec.decodeToNode(delivery.getBody());
            } catch (MalformedMessageException e) {
                events.controlUnreadable(tag, queue, e.getMessage());
                return;
            }
            String sender = delivery.getProperties().getUserId();
            if (!managers.trusts(sender)) {
                events.controlRefused(tag, queue, describe(message), managers.refusal(sender));
                return;
            }
            String replyTo = delivery.getProperties().getReplyTo();
            if (message instanceof ToNode.Output output && replyTo != null) {
                events.outputAsked(tag, output, replyTo, delivery.getProperties().getCorrelationId());
                return;
            }
            events.controlDelivered(tag, message);
        });
    }

    /** How a refused control message is named in the log: its kind, and its job when it is about one. */
    private static String describe(ToNode message) {
        String kind = WireCodec.kindOf(message);
        return message instanceof ToNode.AboutJob about ? kind + " of job " + about.jobId() : kind;
    }

    /** The broker cancelled a consumer (queue deleted, consumer timeout on 4.3+): its deliveries are gone. */
    CancelCallback cancelled(String queue) {
        return consumerTag -> guarded(() -> events.lost("the broker cancelled the consumer of " + queue
                + " (the queue was deleted, or, on RabbitMQ 4.3 and later, a job's message outlived the broker's"
                + " consumer timeout)"));
    }

    /** Reports the broker blocking and unblocking the connection (its resource alarms). */
    BlockedListener blocking() {
        return new BlockedListener() {
            @Override
            public void handleBlocked(String reason) {
                guarded(() -> events.blocked(reason));
            }

            @Override
            public void handleUnblocked() {
                guarded(events::unblocked);
            }
        };
    }

    ConfirmCallback confirms(boolean positive) {
        return (seqNo, multiple) -> guarded(() -> events.confirmed(seqNo, multiple, positive));
    }

    private static void guarded(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException | Error e) {
            LOG.error("Broker callback failed; the node carries on", e);
        }
    }
}
