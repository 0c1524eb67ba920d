package io.orchestr.manager.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.orchestr.manager.Failures;
import io.orchestr.shared.Causes;
import io.orchestr.shared.json.MalformedMessageException;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.wire.ToManager;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;

/**
 * One consumer of the manager queue on a channel of its own. The broker delivers a channel's messages one at a
 * time to its consumer, so each lane handles its messages in order, inline; lanes run in parallel.
 *
 * <p>Every delivery ends in exactly one of: ack (handled, or a snapshot that failed: the node's next one replaces
 * it), nack without requeue (unreadable, or failed {@link FailedAttempts#limit()} times for a reason other than an
 * outage: dead-lettered), or nack with requeue after a pause (handling failed, e.g. the database is down).
 * Nothing escapes the callback, an {@link Error} of the handler's (a bug: an assertion, a class that does not
 * link, a stack overflow) included, since anything thrown there closes the channel and the lane would stop for
 * good; only an {@link OutOfMemoryError} or an internal error of the JVM goes on.
 */
final class Lane extends DefaultConsumer {
    private static final Logger LOG = Logger.getLogger(Lane.class);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final String queue;
    private final WireCodec codec;
    private final InboundHandler handler;
    private final FailedAttempts attempts;
    private final String deadLetters;

    Lane(Channel channel, String queue, WireCodec codec, InboundHandler handler, FailedAttempts attempts,
         String deadLetters) {
        super(channel);
        this.queue = queue;
        this.codec = codec;
        this.handler = handler;
        this.attempts = attempts;
        this.deadLetters = deadLetters;
    }

    @Override
    public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        long tag = envelope.getDeliveryTag();
        ToManager message;
        try {
            message = codec.decodeToManager(body);
        } catch (MalformedMessageException e) {
            LOG.warnf("Dead-lettering an unreadable message from %s (message id %s, %d bytes): %s", queue,
                    properties.getMessageId(), body.length, e.getMessage());
            settle(tag, false, false);
            return;
        }
        try {
            handler.handle(message);
            attempts.handled(properties, body);
            settle(tag, true, false);
        } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
            settleFailed(tag, message, properties, body, e);
        }
    }

    private void settleFailed(long tag, ToManager message, AMQP.BasicProperties properties, byte[] body,
                              Throwable failure) {
        String what = message.getClass().getSimpleName() + " from node " + message.nodeId();
        if (message instanceof ToManager.Snapshot) {
            // the node sends a new one every heartbeat interval: a stale one retried would only delay the fresh
            // ones (a backlog that takes longer to drain than the outage lasted)
            LOG.warnf("Could not apply %s: %s; dropping it, the node's next snapshot replaces it", what,
                    Causes.describe(failure));
            settle(tag, true, false);
            return;
        }
        // an outage or a deadlock passes; anything else is likely to fail the same way every time
        boolean passing = Failures.isOutage(failure) || Failures.isDeadlock(failure);
        if (!passing && attempts.failedForGood(properties, body)) {
            LOG.warnf(failure, "Could not handle %s, %d times: dead-lettering it to %s", what, attempts.limit(),
                    deadLetters);
            settle(tag, false, false);
            return;
        }
        if (passing) {
            LOG.warnf("Could not handle %s: %s; requeueing it in %d ms", what, Causes.describe(failure),
                    RETRY_PAUSE.toMillis());
        } else {
            LOG.warnf(failure, "Could not handle %s; requeueing it in %d ms", what, RETRY_PAUSE.toMillis());
        }
        pause();
        settle(tag, false, true);
    }

    private void settle(long tag, boolean ack, boolean requeue) {
        try {
            if (ack) {
                getChannel().basicAck(tag, false);
            } else {
                getChannel().basicNack(tag, false, requeue);
            }
        } catch (IOException | RuntimeException e) {
            // the channel is closed: the broker requeues the message itself, and a recovered channel starts anew
            LOG.debugf("Could not settle delivery %d on %s: %s", tag, queue, e.getMessage());
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
