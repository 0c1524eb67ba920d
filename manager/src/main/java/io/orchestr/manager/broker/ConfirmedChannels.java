package io.orchestr.manager.broker;

import io.orchestr.manager.BrokerException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeoutException;

/**
 * Publishing with publisher confirms, safe from any thread: each publication borrows a channel of its own (a
 * channel must not be shared across threads), publishes, waits for the broker's confirms and gives the channel
 * back. Channels are opened on demand and reused; a channel that failed is closed for good.
 *
 * <p>The broker confirms a message it could not route as well; a publication sent {@code mandatory} learns of it
 * through the message coming back, which the broker sends before the confirm.
 */
@ApplicationScoped
class ConfirmedChannels {
    private static final int MAX_IDLE = 16;
    private static final long CONFIRM_TIMEOUT_MILLIS = 5_000;

    /** What to publish on a borrowed channel. */
    @FunctionalInterface
    interface ChannelPublish {
        void publishOn(Channel channel) throws IOException;
    }

    /** A channel, and the queue its last mandatory message could not reach, if any. */
    private static final class Borrowed {
        final Channel channel;
        volatile String returnedFrom;

        Borrowed(Channel channel) {
            this.channel = channel;
            channel.addReturnListener(returned -> returnedFrom = returned.getRoutingKey());
        }
    }

    private final BrokerConnections connections;
    private final BlockingQueue<Borrowed> idle = new LinkedBlockingQueue<>();

    ConfirmedChannels(BrokerConnections connections) {
        this.connections = connections;
    }

    /**
     * Runs {@code publication} and returns once the broker confirmed all it published.
     *
     * @throws UnroutableException when a message published {@code mandatory} reached no queue
     * @throws BrokerException     when the broker is unreachable, refuses a message or does not confirm in time
     */
    void publish(String what, ChannelPublish publication) {
        publish(what, publication, true);
    }

    /**
     * Runs {@code publication} and returns once the client handed it to the connection, without waiting for the
     * broker's confirms: for messages whose loss the receiver repairs by asking again.
     *
     * @throws BrokerException when the broker is unreachable
     */
    void publishWithoutConfirm(String what, ChannelPublish publication) {
        publish(what, publication, false);
    }

    private void publish(String what, ChannelPublish publication, boolean awaitConfirms) {
        Borrowed borrowed = borrow(what);
        borrowed.returnedFrom = null;
        boolean confirmed = false;
        try {
            publication.publishOn(borrowed.channel);
            if (awaitConfirms) {
                borrowed.channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MILLIS);
            }
            confirmed = true;
        } catch (IOException | TimeoutException | ShutdownSignalException e) {
            throw new BrokerException("cannot publish " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException("interrupted while publishing " + what, e);
        } finally {
            if (confirmed && idle.size() < MAX_IDLE) {
                idle.offer(borrowed);
            } else {
                abortQuietly(borrowed.channel);
            }
        }
        if (awaitConfirms && borrowed.returnedFrom != null) {
            throw new UnroutableException(what, borrowed.returnedFrom);
        }
    }

    private Borrowed borrow(String what) {
        for (Borrowed borrowed = idle.poll(); borrowed != null; borrowed = idle.poll()) {
            if (borrowed.channel.isOpen()) {
                return borrowed;
            }
            abortQuietly(borrowed.channel);
        }
        try {
            Channel channel = connections.publishing().createChannel();
            channel.confirmSelect();
            return new Borrowed(channel);
        } catch (IOException | ShutdownSignalException e) {
            throw new BrokerException("cannot open a channel to publish " + what + ": " + e.getMessage(), e);
        }
    }

    private static void abortQuietly(Channel channel) {
        try {
            // abort rather than close: it waits for nothing, and a recovering channel stops recovering
            channel.abort();
        } catch (IOException | RuntimeException e) {
            // the channel is unusable either way
        }
    }
}
