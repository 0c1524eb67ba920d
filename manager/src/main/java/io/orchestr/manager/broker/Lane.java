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
import java.util.function.Consumer;

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
 *
 * <p>For readiness, a lane tells whether the broker cancelled its consumer (the queue was deleted, say: the
 * broker then delivers nothing more to it, though its channel stays open) and how long the delivery in hand has
 * been handled. After a cancel it hands itself to {@code onCancel}, which calls {@link #resubscribe()} once the
 * queue exists again.
 */
final class Lane extends DefaultConsumer {
    private static final Logger LOG = Logger.getLogger(Lane.class);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    private static final long IDLE = Long.MIN_VALUE;

    private final String queue;
    private final WireCodec codec;
    private final InboundHandler handler;
    private final FailedAttempts attempts;
    private final String deadLetters;
    private final Consumer<Lane> onCancel;
    /** Set by the broker's cancel, cleared once the lane consumes again. */
    private volatile boolean cancelled;
    /** {@link System#nanoTime()} when the delivery in hand arrived, {@link #IDLE} between deliveries. */
    private volatile long handlingSince = IDLE;

    Lane(Channel channel, String queue, WireCodec codec, InboundHandler handler, FailedAttempts attempts,
         String deadLetters, Consumer<Lane> onCancel) {
        super(channel);
        this.queue = queue;
        this.codec = codec;
        this.handler = handler;
        this.attempts = attempts;
        this.deadLetters = deadLetters;
        this.onCancel = onCancel;
    }

    @Override
    public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        handlingSince = System.nanoTime();
        try {
            handle(envelope.getDeliveryTag(), properties, body);
        } finally {
            handlingSince = IDLE;
        }
    }

    /**
     * The broker cancelled this consumer: its queue was deleted (or, in a cluster, its leader moved). The
     * channel stays open but nothing more arrives on it until {@link #resubscribe()}.
     */
    @Override
    public void handleCancel(String consumerTag) {
        cancelled = true;
        LOG.warnf("The broker cancelled a consumer of %s (was the queue deleted?): this lane receives nothing until"
                + " it consumes again, and readiness is DOWN until then", queue);
        onCancel.accept(this);
    }

    @Override
    public void handleConsumeOk(String consumerTag) {
        super.handleConsumeOk(consumerTag);
        // also after the connection's recovery, which consumes again under the same tag
        cancelled = false;
    }

    /** True from the broker's cancel of this consumer until it consumes again. */
    boolean cancelled() {
        return cancelled;
    }

    /** True while one delivery has been in hand for longer than {@code limit}. */
    boolean stuck(Duration limit) {
        long since = handlingSince;
        return since != IDLE && System.nanoTime() - since > limit.toNanos();
    }

    String queue() {
        return queue;
    }

    /**
     * Consumes the queue again on the same channel, under the tag the cancelled consumer had: the connection's
     * recovery keeps a record per tag, which this one replaces, so that a later recovery consumes once, not
     * twice. Call only once the queue exists again: consuming a missing queue closes the channel.
     *
     * @throws IOException when the broker refused
     */
    void resubscribe() throws IOException {
        getChannel().basicConsume(queue, false, getConsumerTag(), this);
        // consume-ok reaches handleConsumeOk on the consumer thread, maybe later: the consume already succeeded
        cancelled = false;
    }

    private void handle(long tag, AMQP.BasicProperties properties, byte[] body) {
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
            handler.handle(message, properties.getUserId());
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
